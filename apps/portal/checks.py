"""`manage.py check --deploy`: production wants the shared cache (README, "Deploying")."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHE = Warning(
    "The cache is each process's own memory (CACHE_URL is unset or locmemcache://).",
    hint="Set CACHE_URL=rediscache://127.0.0.1:6379/1: with a cache per process every worker builds each page "
    "anew and keeps it five minutes after a change, and the visitor counter of one worker misses the views "
    "another has not yet written to the database.",
    id="portal.W001",
)


@register(Tags.caches, deploy=True)
def shared_cache_in_production(app_configs, **kwargs) -> list[Warning]:
    backend = settings.CACHES["default"]["BACKEND"]
    return [PER_PROCESS_CACHE] if settings.PRODUCTION and backend.endswith("LocMemCache") else []
