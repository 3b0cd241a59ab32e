"""/healthz: the process is alive (for a restart policy). /readyz: it can do its work, the database,
the job queue and the file storage all answering (for a load balancer); 503 naming what is down."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest, JsonResponse

log = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _broker() -> str:
    if not settings.MELODIFY_SCALE_OUT:
        return "ok (embedded: jobs run in this process)"
    from melodify_web.tracks.jobs import broker_backlog

    return f"ok ({broker_backlog()} waiting)"


def _storage() -> str:
    storages["default"].exists("readyz-probe")   # a round trip to the disk, bucket or endpoint
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "broker": _broker, "storage": _storage}


def readyz(request: HttpRequest) -> JsonResponse:
    checks, down = {}, []
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - whatever it is, this part is down: say so, never a 500
            log.warning("readyz: %s is down: %s", name, exc)
            checks[name] = f"down: {type(exc).__name__}: {str(exc)[:200]}"
            down.append(name)
    response = JsonResponse({"ok": not down, "down": down, "checks": checks}, status=503 if down else 200)
    if down:
        response["Retry-After"] = "10"
    return response
