"""The job (services.track_render): idempotent, claimed by one runner, saves as it goes, fails in plain
words, retries crashes up to MELODIFY_MAX_ATTEMPTS."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from melodify_web.tracks import services
from melodify_web.tracks.models import Track
from melodify_web.tracks.previews import PreviewWriter

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


def test_reading_and_brief_are_saved_before_composing_and_progress_is_written(api, photo, settings,
                                                                               test_engines):
    settings.MELODIFY_COMPOSER = "peeking"
    track = render(create_track(api, photo, duration="5")["id"])
    assert track.status == "done"
    seen = test_engines.PeekingComposer.seen
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


def test_time_left_in_a_long_compose_stage_comes_from_that_stages_own_rate():
    writer = services.ProgressWriter("any")
    writer.started = 0.0
    writer.stage_started["compose"] = (10.0, 0.05)          # the model began decoding 10 s in
    # 0.5 of the stage in 20 s: 0.45 left takes 18 s, whatever read and brief cost before it
    assert writer.eta("compose", 0.55, 0.5, now=30.0) == 18.0
    writer.stage_started["read"] = (0.0, 0.0)
    assert writer.eta("read", 0.5, 0.1, now=1.0) == 9.0     # elsewhere: the overall rate


def test_no_time_left_is_guessed_while_the_composer_loads_its_model():
    writer = services.ProgressWriter("any")
    writer.started = 0.0
    writer.stage_started["compose"] = (2.0, 0.0)
    assert writer.eta("compose", 0.0, 0.2, now=12.0) is None   # the overall rate would say 40 s, frozen
    assert writer.eta("compose", 0.02, 0.21, now=12.5) is not None


def test_a_streaming_composers_chunks_are_served_while_it_runs_and_gone_once_done(api, photo, media_dir):
    track = create_track(api, photo, duration="5")
    writer = PreviewWriter(track["id"])
    writer(np.zeros((8000, 1), dtype=np.float32), 8000)
    got = api.get(f"/tracks/{track['id']}/preview/0")
    assert got.status_code == 200 and got["Content-Type"] == "audio/wav" and got["Cache-Control"] == "no-store"
    assert api.get(f"/tracks/{track['id']}/preview/1").status_code == 404
    assert api.get("/tracks/no-such-track/preview/0").status_code == 404
    render(track["id"])
    assert api.get(f"/tracks/{track['id']}/preview/0").status_code == 404


def test_a_users_problem_fails_the_track_with_its_code_and_words(api, photo, monkeypatch):
    monkeypatch.setenv("MELODIFY_SOUNDFONT", "/nowhere/font.sf2")
    track = render(create_track(api, photo, duration="5")["id"])
    assert track.status == "failed" and track.attempts == 1
    body = api.get(f"/api/v1/tracks/{track.id}").json()
    assert body["error"]["code"] == "invalid_soundfont"
    assert "/nowhere/font.sf2" in body["error"]["message"]
    assert body["urls"]["mp3"] is None


def test_a_crash_is_retried_then_fails_with_plain_words_and_no_traceback(api, photo, settings, caplog,
                                                                          test_engines):
    settings.MELODIFY_COMPOSER = "crashing"
    settings.MELODIFY_MAX_ATTEMPTS = 3
    track_id = create_track(api, photo, duration="5")["id"]
    render(track_id)
    row = Track.objects.get(id=track_id)
    assert (row.status, row.attempts) == ("queued", 1)   # back in the queue for another try
    render(track_id)
    render(track_id)
    row = Track.objects.get(id=track_id)
    assert (row.status, row.attempts, len(test_engines.CRASHES)) == ("failed", 3, 3)
    render(track_id)   # a failed track is left alone
    assert len(test_engines.CRASHES) == 3
    error = api.get(f"/api/v1/tracks/{track_id}").json()["error"]
    assert error == {"code": "failed", "message": services.GENERIC_FAILURE}
    assert "secret internals" in caplog.text   # the traceback is in the server's log only


def test_a_passing_fault_is_retried_after_a_growing_delay_then_fails_with_its_own_words(
        api, photo, settings, test_engines):
    from melodify_web.tracks.selectors import next_queued_id

    settings.MELODIFY_COMPOSER = "rate-limited"
    settings.MELODIFY_MAX_ATTEMPTS, settings.MELODIFY_RETRY_DELAY, settings.MELODIFY_RETRY_MAX_DELAY = 3, 5, 60
    track_id = create_track(api, photo, duration="5")["id"]
    assert render(track_id).status == "queued"
    row = Track.objects.get(id=track_id)
    wait = (row.run_after - timezone.now()).total_seconds()
    assert 6 < wait <= 7, "the service asked for 7 s (Retry-After), more than the first backoff of 5 s"
    assert next_queued_id() is None            # the embedded worker leaves it until its time comes
    Track.objects.filter(id=track_id).update(run_after=timezone.now())
    assert next_queued_id() == track_id
    assert render(track_id).status == "queued"
    wait = (Track.objects.get(id=track_id).run_after - timezone.now()).total_seconds()
    assert 9 < wait <= 10, "the second delay doubles: 10 s"
    failed = render(track_id)
    assert (failed.status, failed.attempts, len(test_engines.CRASHES)) == ("failed", 3, 3)
    error = api.get(f"/api/v1/tracks/{track_id}").json()["error"]
    assert error == {"code": "rate_limited", "message": "the music service is busy (429); trying again shortly"}


def test_a_missing_set_up_fails_at_once_and_is_never_retried(api, photo, settings, test_engines):
    settings.MELODIFY_COMPOSER = "unconfigured"
    track = render(create_track(api, photo, duration="5")["id"])
    assert (track.status, track.attempts, track.error_code) == ("failed", 1, "engine_unavailable")
    assert "MUSIC_API_KEY" in track.error_message
    assert render(track.id).status == "failed" and len(test_engines.CRASHES) == 1


def test_backoff_doubles_up_to_its_cap_and_never_comes_sooner_than_a_service_asked(settings):
    settings.MELODIFY_RETRY_DELAY, settings.MELODIFY_RETRY_MAX_DELAY = 2, 30
    assert [services.backoff(n) for n in (1, 2, 3, 4, 5, 6)] == [2, 4, 8, 16, 30, 30]
    assert services.backoff(1, asked=45) == 45


def test_the_credits_and_licence_of_the_engines_that_made_it_travel_with_the_track(
        api, photo, settings, test_engines):
    embedded = render(create_track(api, photo, duration="5")["id"])
    assert [c["stage"] for c in embedded.credits] == ["reader", "briefer", "composer"]
    assert embedded.credits[2]["model"] == "FluidR3_GM.sf2" and embedded.credits[2]["commercial_use"] is True
    assert embedded.engine["licence"] == "free to use, including commercially"
    settings.MELODIFY_COMPOSER = "non-commercial"
    other = render(create_track(api, photo, duration="5")["id"])
    body = api.get(f"/api/v1/tracks/{other.id}").json()
    assert body["engine"]["composer"] == "non-commercial"
    assert body["credits"][2]["licence"] == "CC-BY-NC-4.0" and body["credits"][2]["commercial_use"] is False
    assert body["engine"]["licence"] == "for non-commercial use only"


def test_a_job_handed_off_stops_at_its_next_step_goes_back_queued_with_its_attempt_and_no_partial_files(
        api, photo, media_dir, test_engines, monkeypatch):
    import threading

    from melodify_web.tracks import handoff

    monkeypatch.setenv("MELODIFY_TEST_STEADY_SECONDS", "30")
    track_id = create_track(api, photo, duration="5", composer="steady")["id"]
    seen: list[str] = []

    def stop_once_a_preview_is_written() -> None:   # as SIGTERM does, in the middle of the job
        for _ in range(200):
            if any("preview-" in name for name in stored_files(media_dir)):
                break
            threading.Event().wait(0.05)
        seen.extend(stored_files(media_dir))
        handoff.ask()

    stopper = threading.Thread(target=stop_once_a_preview_is_written)
    stopper.start()
    try:
        assert services.track_render(track_id=track_id, worker="stopping") == services.Outcome.HANDED_OFF
    finally:
        stopper.join()
        handoff._asked.clear()
    assert f"tracks/{track_id}/preview-0.wav" in seen                 # it had written part of the track...
    assert stored_files(media_dir) == [f"tracks/{track_id}/photo.jpg"]   # ...and none of it is left
    row = Track.objects.get(id=track_id)
    assert (row.status, row.attempts, row.error_code, row.run_after) == ("queued", 0, "", None)
    monkeypatch.setenv("MELODIFY_TEST_STEADY_SECONDS", "0.2")
    assert render(track_id).status == "done" and Track.objects.get(id=track_id).attempts == 1
