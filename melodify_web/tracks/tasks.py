"""The Celery task: thin, idempotent, all the work is in services.track_render."""

from celery import shared_task
from celery.exceptions import TimeLimitExceeded
from celery.signals import celeryd_after_setup, task_failure
from django.conf import settings
from django.db import close_old_connections

from . import handoff, jobs, services, sweeper  # noqa: F401 - handoff, sweeper: every worker hands off, sweeps

_worker = {"name": ""}   # this worker's node name, as its jobs write it on their rows


@shared_task(bind=True, name=jobs.TASK, acks_late=True, reject_on_worker_lost=True)
def render_track(self, track_id: str) -> str:
    outcome = services.track_render(track_id=track_id, worker=self.request.hostname or "celery")
    if outcome == services.Outcome.BUSY:
        # Another worker holds the row. If that worker died (its message came back to us), the row
        # goes stale once its heartbeat stops: look again then, and take it.
        raise self.retry(countdown=settings.MELODIFY_STALE_SECONDS + settings.MELODIFY_SWEEP_SECONDS,
                         max_retries=None)
    return outcome


@celeryd_after_setup.connect
def _named(sender: str, **_) -> None:
    _worker["name"] = sender


@task_failure.connect(sender=render_track)
def _killed_over_time(exception: BaseException | None = None, args: tuple = (), **_) -> None:
    """In the worker's main process, once the pool has killed a job's process at the hard time limit (a
    hang in native code, deaf to the soft one): fail its track saying so, its partial files removed,
    rather than let the sweep run it again until the attempts run out."""
    if isinstance(exception, TimeLimitExceeded) and args:
        close_old_connections()
        services.track_stopped_over_time(track_id=args[0], worker=_worker["name"])
