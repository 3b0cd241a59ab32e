"""The Celery task: thin, idempotent, all the work is in services.track_render."""

from celery import shared_task
from django.conf import settings

from . import jobs, services, sweeper  # noqa: F401 - sweeper: every worker sweeps for lost jobs


@shared_task(bind=True, name=jobs.TASK, acks_late=True, reject_on_worker_lost=True)
def render_track(self, track_id: str) -> str:
    outcome = services.track_render(track_id=track_id, worker=self.request.hostname or "celery")
    if outcome == services.Outcome.BUSY:
        # Another worker holds the row. If that worker died (its message came back to us), the row
        # goes stale once its heartbeat stops: look again then, and take it.
        raise self.retry(countdown=settings.MELODIFY_STALE_SECONDS + settings.MELODIFY_SWEEP_SECONDS,
                         max_retries=None)
    return outcome
