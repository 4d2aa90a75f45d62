"""Uploaded files waiting between preview and confirmation.

The file stays on the server, under a random token that is remembered in the uploader's own
session; the confirmation re-reads and re-validates it. Nothing parsed is ever taken back from
the browser. Beside it are kept the versions of the records the preview found (importer.Versions),
so that the confirmation refuses to overwrite a change someone saved in between.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

SESSION_KEY = "pending_imports"
MAX_AGE_SECONDS = 2 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class Pending(NamedTuple):
    kind: str
    file_name: str
    content: bytes
    versions: dict[str, dict[str, int]]


def _directory() -> Path:
    directory = Path(getattr(settings, "IMPORT_PENDING_DIR", Path(tempfile.gettempdir()) / "taybinh-imports"))
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _forget_stale(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in [*directory.glob("*.upload"), *directory.glob("*.versions")]:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another request cleaned it first


def keep(request, *, kind: str, file_name: str, content: bytes, versions: dict[str, dict[str, int]]) -> str:
    """Store the upload and the versions its preview saw; return the token the confirmation form sends back."""
    directory = _directory()
    _forget_stale(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.upload").write_bytes(content)
    (directory / f"{token}.versions").write_text(json.dumps(versions), encoding="utf-8")
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"kind": kind, "file_name": file_name, "user": request.user.pk, "at": time.time()}
    request.session[SESSION_KEY] = pending
    return token


def fetch(request, token: str) -> Pending | None:
    """The upload if this user uploaded it in this session and it has not expired."""
    if not _TOKEN.match(token or ""):
        return None
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["user"] != request.user.pk or time.time() - entry["at"] > MAX_AGE_SECONDS:
        return None
    path = _directory() / f"{token}.upload"
    versions = path.with_suffix(".versions")
    if not path.is_file() or not versions.is_file():
        return None
    return Pending(entry["kind"], entry["file_name"], path.read_bytes(), json.loads(versions.read_text("utf-8")))


def discard(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
    if _TOKEN.match(token or ""):
        (_directory() / f"{token}.upload").unlink(missing_ok=True)
        (_directory() / f"{token}.versions").unlink(missing_ok=True)
