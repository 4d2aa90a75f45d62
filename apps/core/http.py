"""Who is asking: the client's address, as the login lockout, the rate limit and the visitor counter see it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind a reverse proxy every request comes from the proxy, so
    settings.PORTAL_CLIENT_ADDRESS_META names the header the proxy sets (e.g. "HTTP_X_REAL_IP");
    the proxy must overwrite it, never pass on what the client sent."""
    key = getattr(settings, "PORTAL_CLIENT_ADDRESS_META", "REMOTE_ADDR")
    value = request.META.get(key) or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()
