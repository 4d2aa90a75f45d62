"""Uploaded files waiting between preview and confirmation.

The file stays on the server, under a random token that is remembered in the uploader's own
session; the confirmation re-reads and re-validates it. Nothing parsed is ever taken back from
the browser.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "pending_imports"
MAX_AGE_SECONDS = 2 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _directory() -> Path:
    directory = Path(getattr(settings, "IMPORT_PENDING_DIR", Path(tempfile.gettempdir()) / "taybinh-imports"))
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _forget_stale(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another request cleaned it first


def keep(request, *, kind: str, file_name: str, content: bytes) -> str:
    """Store the upload; return the token the confirmation form sends back."""
    directory = _directory()
    _forget_stale(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.upload").write_bytes(content)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"kind": kind, "file_name": file_name, "user": request.user.pk, "at": time.time()}
    request.session[SESSION_KEY] = pending
    return token


def fetch(request, token: str) -> tuple[str, str, bytes] | None:
    """(kind, file name, content) if this user uploaded it in this session and it has not expired."""
    if not _TOKEN.match(token or ""):
        return None
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["user"] != request.user.pk or time.time() - entry["at"] > MAX_AGE_SECONDS:
        return None
    path = _directory() / f"{token}.upload"
    if not path.is_file():
        return None
    return entry["kind"], entry["file_name"], path.read_bytes()


def discard(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    if pending.pop(token, None) is not None:
        request.session[SESSION_KEY] = pending
    if _TOKEN.match(token or ""):
        (_directory() / f"{token}.upload").unlink(missing_ok=True)
