"""The Celery task: thin, idempotent, all the work is in services.track_render."""

from celery import shared_task

from . import services


@shared_task(bind=True, name="melodify.render_track", acks_late=True, reject_on_worker_lost=True)
def render_track(self, track_id: str) -> None:
    services.track_render(track_id=track_id, worker=self.request.hostname or "celery")
