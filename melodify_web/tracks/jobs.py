"""Queue a track's job. Queues carry only the id; the state is on the Track row.

Scale-out (REDIS_URL set): a Celery task. Embedded: wake the worker thread, which reads queued rows.
Either way the job is sent only after the transaction that created the row commits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction


def enqueue(track_id: str) -> None:
    transaction.on_commit(lambda: send(track_id))


def send(track_id: str) -> None:
    if settings.MELODIFY_SCALE_OUT:
        from .tasks import render_track

        render_track.delay(track_id)
    else:
        from .worker import wake

        wake()
