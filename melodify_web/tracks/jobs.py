"""Queue a track's job. Queues carry only the id; the state is on the Track row.

Scale-out (REDIS_URL set): a Celery task, sent by name so this module imports no task code.
Embedded: wake the worker thread, which reads queued rows. Either way the job is sent only after
the transaction that created the row commits; a retry's delay is honoured by both.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import transaction

TASK = "melodify.render_track"
DEFAULT_QUEUE = "melodify"     # the embedded composer's; settings.CELERY_TASK_DEFAULT_QUEUE
_wake = threading.Event()


def queue_for(composer: str) -> str:
    """The Celery queue of a composer engine: "melodify" for the embedded one, "melodify-musicgen"...
    A worker serves the queues of the engines it can run (`melodify worker --engines musicgen`)."""
    return DEFAULT_QUEUE if composer == "embedded" else f"{DEFAULT_QUEUE}-{composer}"


def enqueue(track_id: str, delay: float = 0.0, queue: str = DEFAULT_QUEUE) -> None:
    transaction.on_commit(lambda: send(track_id, delay, queue))


def send(track_id: str, delay: float = 0.0, queue: str = DEFAULT_QUEUE) -> None:
    if settings.MELODIFY_SCALE_OUT:
        from melodify_web.celery import app

        app.send_task(TASK, args=[track_id], countdown=delay or None, queue=queue)
    else:
        wake()


def wake() -> None:
    """Wake the embedded worker thread (a new job, or time to stop)."""
    _wake.set()


def wait_for_work(timeout: float) -> None:
    """The embedded worker's nap: over after `timeout` seconds, or at once when a job is queued."""
    _wake.wait(timeout)
    _wake.clear()
