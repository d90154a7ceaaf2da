"""Reads from PostgreSQL read replicas, writes to the primary: an optional database router.

Off unless DATABASE_REPLICA_URLS names replicas (settings adds them as ``replica1``,
``replica2``…). A replica lags the primary by a moment, so reads stay on the primary where a
stale answer would surprise someone:

- inside a transaction on the primary (a write path reading what it just wrote);
- during a request that changes something (POST and other unsafe methods) and any /admin/ page;
- for a few seconds after a visitor changed something, marked by a short-lived cookie, so the
  page a form redirects to shows the change (read-your-writes).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
RECENT_WRITE_COOKIE = "marquee_wrote"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_pinned: ContextVar[bool] = ContextVar("reads_pinned_to_primary", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        replicas = replica_aliases()
        if not replicas or _pinned.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return random.choice(replicas)  # spreads load; nothing secret

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # replicas follow the primary's schema through replication


def pin_reads_after_writes(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Middleware: reads go to the primary for changing requests, the admin, and a visitor's
    next few seconds after a change."""
    lag = getattr(settings, "REPLICA_LAG_SECONDS", 5)

    def middleware(request: HttpRequest) -> HttpResponse:
        changing = request.method not in SAFE_METHODS
        pinned = (
            changing or request.path.startswith("/admin/") or RECENT_WRITE_COOKIE in request.COOKIES
        )
        token = _pinned.set(pinned)
        try:
            response = get_response(request)
        finally:
            _pinned.reset(token)
        if changing:
            response.set_cookie(
                RECENT_WRITE_COOKIE, "1", max_age=lag, httponly=True, samesite="Lax"
            )
        return response

    return middleware
