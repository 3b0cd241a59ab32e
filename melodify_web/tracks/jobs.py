"""Queue a track's job. Queues carry only the id; the state is on the Track row.

Scale-out (REDIS_URL set): a Celery task, sent by name so this module imports no task code.
Embedded: wake the worker thread, which reads queued rows. Either way the job is sent only after
the transaction that created the row commits; a retry's delay is honoured by both.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import transaction

from .errors import QueueUnavailable

TASK = "melodify.render_track"
DEFAULT_QUEUE = "melodify"     # the embedded composer's; settings.CELERY_TASK_DEFAULT_QUEUE
_wake = threading.Event()


def queue_for(composer: str) -> str:
    """The Celery queue of a composer engine: "melodify" for the embedded one, "melodify-musicgen"...
    A worker serves the queues of the engines it can run (`melodify worker --engines musicgen`)."""
    return DEFAULT_QUEUE if composer == "embedded" else f"{DEFAULT_QUEUE}-{composer}"


def enqueue(track_id: str, delay: float = 0.0, queue: str = DEFAULT_QUEUE) -> None:
    transaction.on_commit(lambda: send(track_id, delay, queue))


QUEUE_DOWN = ("the job queue (Redis) cannot be reached just now, so nothing was made; "
              "send the same request again in a little while")
RETRY_AFTER_QUEUE_DOWN = 15


def send(track_id: str, delay: float = 0.0, queue: str = DEFAULT_QUEUE) -> None:
    """Raises QueueUnavailable (503, Retry-After) when the broker is down."""
    if settings.MELODIFY_SCALE_OUT:
        from kombu.exceptions import OperationalError

        from melodify_web.celery import app

        try:
            app.send_task(TASK, args=[track_id], countdown=delay or None, queue=queue)
        except OperationalError as exc:
            raise QueueUnavailable(QUEUE_DOWN, retry_after=RETRY_AFTER_QUEUE_DOWN) from exc
    else:
        wake()


def broker_backlog() -> int:
    """Messages waiting in the broker's queue, not yet taken by a worker (scale-out only; 0 otherwise)."""
    if not settings.MELODIFY_SCALE_OUT:
        return 0
    from kombu.exceptions import OperationalError
    from redis import RedisError

    from melodify_web.celery import app

    try:
        with app.connection_for_write() as conn:
            return int(conn.default_channel.client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))
    except (OperationalError, RedisError) as exc:
        raise QueueUnavailable(QUEUE_DOWN, retry_after=RETRY_AFTER_QUEUE_DOWN) from exc


_on_wake = None   # the server's job processes listen here (worker.JobProcesses)


def on_wake(listener) -> None:
    global _on_wake
    _on_wake = listener


def wake() -> None:
    """Wake the embedded worker (a new job, or time to stop): a thread in this process, or the server's
    job processes."""
    _wake.set()
    if _on_wake is not None:
        _on_wake()


def wait_for_work(timeout: float) -> None:
    """The embedded worker's nap: over after `timeout` seconds, or at once when a job is queued."""
    _wake.wait(timeout)
    _wake.clear()
