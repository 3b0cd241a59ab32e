"""The sweep that finds lost jobs, run by every Celery worker on a thread of its main process.

A job whose worker was killed (SIGKILL, a lost machine) stops beating its row; within
MELODIFY_STALE_SECONDS + MELODIFY_SWEEP_SECONDS a live worker puts it back in the queue, so it finishes
elsewhere in about a minute, not when Redis's visibility timeout (longer than any job) runs out.
Jobs whose message Redis lost (restarted without it) are sent again the same way.
"""

from __future__ import annotations

import logging
import threading

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)
_stop = threading.Event()


def sweep_once() -> int:
    from . import jobs, services
    from .models import Track

    ids = services.requeue_lost()
    for track in Track.objects.filter(id__in=ids):
        jobs.send(track.id, queue=services.queue_of(track))   # each to its composer's queue
    return len(ids)


def _loop() -> None:
    try:
        while not _stop.wait(settings.MELODIFY_SWEEP_SECONDS):
            close_old_connections()
            try:
                sweep_once()
            except Exception:  # noqa: BLE001 - Redis or the database away for a while: sweep again later
                log.warning("sweep for lost jobs failed; trying again in %d s", settings.MELODIFY_SWEEP_SECONDS,
                            exc_info=True)
    finally:
        connections.close_all()


@worker_ready.connect
def start(**_) -> None:
    _stop.clear()
    threading.Thread(target=_loop, name="melodify-sweeper", daemon=True).start()


@worker_shutdown.connect
def stop(**_) -> None:
    _stop.set()
