"""A storage error is a passing fault: the job goes back to the queue with its backoff and finishes on a
later attempt. A bad photo is the sender's problem: failed at once, never retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from melodify_web.tracks import services
from melodify_web.tracks.models import Track

from django.utils.module_loading import import_string

from .helpers import create_track, render

pytestmark = pytest.mark.django_db


def test_a_storage_error_is_retried_after_its_backoff_and_the_track_finishes(api, photo, settings, media_dir):
    backend = "tests.web.faulty_storage.FlakyStorage"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend,
                                                          "OPTIONS": {"location": str(media_dir)}}}
    FlakyStorage = import_string(backend)   # the class the storage setting loads
    FlakyStorage.failed.clear()
    track_id = create_track(api, photo, duration="5")["id"]
    first = render(track_id)
    wait = (first.run_after - timezone.now()).total_seconds()
    assert first.status == "queued" and FlakyStorage.failed == [f"tracks/{track_id}/track.mp3"]
    assert services.backoff(1) - 1 <= wait <= services.backoff(1)   # the backoff, not at once
    Track.objects.filter(id=track_id).update(run_after=timezone.now() - timedelta(seconds=1))
    done = render(track_id)
    assert (done.status, done.attempts) == ("done", 2)
    assert (media_dir / done.mp3.name).stat().st_size > 10_000


def test_a_bad_photo_fails_at_once_and_is_never_retried(api, photo, media_dir):
    track_id = create_track(api, photo, duration="5")["id"]
    row = Track.objects.get(id=track_id)
    (media_dir / row.photo.name).write_bytes(b"<html>not a photo</html>")   # spoiled after it was stored
    assert services.track_render(track_id=track_id, worker="test") == services.Outcome.FAILED
    failed = Track.objects.get(id=track_id)
    assert (failed.status, failed.attempts, failed.run_after) == ("failed", 1, None)
    assert failed.error_code == "not_an_image" and "Traceback" not in failed.error_message
    assert services.track_render(track_id=track_id, worker="test") == services.Outcome.SKIPPED
