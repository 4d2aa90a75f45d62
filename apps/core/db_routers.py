"""Read-only work on a streaming read replica, when one is configured (DATABASE_REPLICA_URL).

The public pages, the open data and the reports only read the programme's records, and most of the
load is theirs: :class:`ReplicaReadsMiddleware` marks a GET or HEAD request to one of those URL
namespaces, and :class:`ReplicaRouter` sends that request's reads of programme records to the
"replica" alias. Everything else, every write, and every read of what must be current to the
moment (logins, sessions, lockouts, the visitor counter) stays on "default". Without
DATABASE_REPLICA_URL neither is installed and the portal uses one database.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"

# URL namespaces whose GET and HEAD requests only read: the public site with the open data, and the reports.
READ_ONLY_NAMESPACES = frozenset({"portal", "reports"})
# Read on the primary even during a read-only request: a replica lags by a moment, and a login, a
# session, a lockout or the visitor counter ("current to the moment it is asked") must not.
PRIMARY_APPS = frozenset({"admin", "auth", "axes", "contenttypes", "sessions"})
PRIMARY_MODELS = frozenset({"portal.dailyvisits", "portal.onlinevisitor", "portal.visitcountersettings"})

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def _always_on_primary(model: type[Model]) -> bool:
    return model._meta.app_label in PRIMARY_APPS or model._meta.label_lower in PRIMARY_MODELS


class ReplicaRouter:
    """Reads of a read-only request go to the replica; all else, and all writes, to the primary."""

    def db_for_read(self, model: type[Model], **hints) -> str:
        if _reading_from_replica.get() and not _always_on_primary(model):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: type[Model], **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints) -> bool:
        return True  # one database and its copy: every relation is within the same data

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY  # the replica follows the primary's schema by streaming replication


class ReplicaReadsMiddleware:
    """Marks a GET or HEAD request to a read-only namespace for the router, for the view and its rendering."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reading_from_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _reading_from_replica.reset(token)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match is not None and match.namespace in READ_ONLY_NAMESPACES:
            _reading_from_replica.set(True)
