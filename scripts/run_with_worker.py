"""`make run`: the development web server and the background task worker, started and stopped together.

    python scripts/run_with_worker.py 127.0.0.1:8000

Ctrl+C (or either process ending) stops both. Production runs them as two systemd services instead
(README, "Background tasks").
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(address: str) -> int:
    manage = [sys.executable, str(ROOT / "manage.py")]
    processes = [
        # The worker first: an import queued as soon as the site answers is picked up at once.
        subprocess.Popen([*manage, "db_worker", "--interval", "1"], cwd=ROOT),
        subprocess.Popen([*manage, "runserver", address], cwd=ROOT),
    ]

    def stop(*_args) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass  # the terminal sent SIGINT to both children too
    stop()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return max((process.returncode or 0) for process in processes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
