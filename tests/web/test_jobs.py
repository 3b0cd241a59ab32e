"""The job (services.track_render): idempotent, claimed by one runner, saves as it goes, fails in plain
words, retries crashes up to MELODIFY_MAX_ATTEMPTS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from melodify_web.tracks import services
from melodify_web.tracks.models import Track

from . import engines
from .conftest import stored_files
from .helpers import create_track, render

pytestmark = pytest.mark.django_db


def test_rendering_twice_makes_one_track_one_set_of_files_one_attempt(api, photo, media_dir):
    track = create_track(api, photo, duration="5")
    first = render(track["id"])
    files = stored_files(media_dir)
    mp3 = (media_dir / first.mp3.name).read_bytes()
    second = render(track["id"])
    assert second.status == "done" and second.attempts == 1
    assert second.finished_at == first.finished_at
    assert stored_files(media_dir) == files == sorted(
        f"tracks/{track['id']}/{name}" for name in ("photo.jpg", "track.mid", "track.mp3", "track.wav"))
    assert (media_dir / second.mp3.name).read_bytes() == mp3


def test_only_one_runner_can_claim_a_queued_track(api, photo):
    track = create_track(api, photo, duration="5")
    assert services.track_claim(track_id=track["id"], worker="a") is not None
    assert services.track_claim(track_id=track["id"], worker="b") is None
    row = Track.objects.get(id=track["id"])
    assert (row.status, row.worker, row.attempts) == ("running", "a", 1)


def test_render_says_what_it_did_so_a_queue_can_come_back_for_a_held_track(api, photo):
    track_id = create_track(api, photo, duration="5")["id"]
    services.track_claim(track_id=track_id, worker="other")
    assert services.track_render(track_id=track_id) == services.Outcome.BUSY   # held by a live runner
    Track.objects.filter(id=track_id).update(status="queued")
    assert services.track_render(track_id=track_id) == services.Outcome.DONE
    assert services.track_render(track_id=track_id) == services.Outcome.SKIPPED
    assert services.track_render(track_id="no-such-track") == services.Outcome.SKIPPED


def test_a_running_track_whose_worker_went_silent_can_be_claimed_again(api, photo, settings):
    track = create_track(api, photo, duration="5")
    services.track_claim(track_id=track["id"], worker="lost")
    Track.objects.filter(id=track["id"]).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.MELODIFY_TIME_LIMIT + 120))
    done = render(track["id"])
    assert (done.status, done.worker, done.attempts) == ("done", "test", 2)


def test_the_embedded_worker_looks_for_queued_and_silent_running_tracks_oldest_first(api, photo, settings):
    from melodify_web.tracks.selectors import next_queued_id

    silent = create_track(api, photo, duration="5")["id"]
    queued = create_track(api, photo, duration="5")["id"]
    services.track_claim(track_id=silent, worker="gone")
    assert next_queued_id() == queued   # a live runner's track is left alone
    Track.objects.filter(id=silent).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.MELODIFY_TIME_LIMIT + 120))
    assert next_queued_id() == silent


def test_same_photo_and_seed_give_the_same_mp3_bytes(api, photo, media_dir):
    a = render(create_track(api, photo, genre="house", duration="5", seed="42")["id"])
    b = render(create_track(api, photo, genre="house", duration="5", seed="42")["id"])
    assert (media_dir / a.mp3.name).read_bytes() == (media_dir / b.mp3.name).read_bytes()


def test_reading_and_brief_are_saved_before_composing_and_progress_is_written(api, photo, settings):
    engines.register()
    settings.MELODIFY_COMPOSER = "peeking"
    engines.PeekingComposer.seen.clear()
    track = render(create_track(api, photo, duration="5")["id"])
    assert track.status == "done"
    seen = engines.PeekingComposer.seen
    assert seen, "the composer never reported progress"
    assert all(row["reading"] and row["brief"] for row in seen)   # saved as soon as they existed
    assert seen[0]["stage"] == "compose" and 20 <= seen[0]["percent"] < 100


def test_progress_writes_are_throttled_to_about_four_a_second(api, photo):
    track = create_track(api, photo, duration="5")
    services.track_claim(track_id=track["id"])
    writer = services.ProgressWriter(track["id"])
    with CaptureQueriesContext(connection) as writes:
        for i in range(1000):   # a burst well within 0.25 s
            writer("compose", i / 1000)
        assert len(writes) == 1
        writer("master", 0.1)   # a new stage is always written
        assert len(writes) == 2
    row = Track.objects.get(id=track["id"])
    assert (row.stage, row.percent) == ("master", 77)


def test_a_users_problem_fails_the_track_with_its_code_and_words(api, photo, monkeypatch):
    monkeypatch.setenv("MELODIFY_SOUNDFONT", "/nowhere/font.sf2")
    track = render(create_track(api, photo, duration="5")["id"])
    assert track.status == "failed" and track.attempts == 1
    body = api.get(f"/api/v1/tracks/{track.id}").json()
    assert body["error"]["code"] == "invalid_soundfont"
    assert "/nowhere/font.sf2" in body["error"]["message"]
    assert body["urls"]["mp3"] is None


def test_a_crash_is_retried_then_fails_with_plain_words_and_no_traceback(api, photo, settings, caplog):
    engines.register()
    settings.MELODIFY_COMPOSER = "crashing"
    settings.MELODIFY_MAX_ATTEMPTS = 3
    engines.CRASHES.clear()
    track_id = create_track(api, photo, duration="5")["id"]
    render(track_id)
    row = Track.objects.get(id=track_id)
    assert (row.status, row.attempts) == ("queued", 1)   # back in the queue for another try
    render(track_id)
    render(track_id)
    row = Track.objects.get(id=track_id)
    assert (row.status, row.attempts, len(engines.CRASHES)) == ("failed", 3, 3)
    render(track_id)   # a failed track is left alone
    assert len(engines.CRASHES) == 3
    error = api.get(f"/api/v1/tracks/{track_id}").json()["error"]
    assert error == {"code": "failed", "message": services.GENERIC_FAILURE}
    assert "secret internals" in caplog.text   # the traceback is in the server's log only
