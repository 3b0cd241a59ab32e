"""The embedded worker thread, for real: woken by a new job, and finishing jobs a stopped server left."""

from __future__ import annotations

import time

import pytest

from melodify_web.tracks import services, worker
from melodify_web.tracks.models import Track

from .helpers import create_track

pytestmark = pytest.mark.django_db(transaction=True)   # the thread has its own connection


def wait_for(track_id: str, statuses=("done", "failed"), timeout: float = 90) -> Track:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        track = Track.objects.get(id=track_id)
        if track.status in statuses:
            return track
        time.sleep(0.05)
    raise AssertionError(f"track {track_id} still {track.status} after {timeout} s")


@pytest.fixture
def embedded_worker():
    thread = worker.EmbeddedWorker(poll_seconds=30)   # a long poll: only wake() can make it prompt
    yield thread
    thread.stop()
    assert not thread.is_alive(), "the worker thread did not stop"


def test_worker_thread_is_woken_by_a_new_track_and_finishes_it(api, photo, embedded_worker):
    embedded_worker.start()
    time.sleep(0.2)   # let it reach its wait
    started = time.monotonic()
    track = create_track(api, photo, duration="5")
    running = wait_for(track["id"], statuses=("running", "done", "failed"), timeout=10)
    assert time.monotonic() - started < 10, "the worker was not woken by the new job"
    done = wait_for(track["id"])
    assert done.status == "done" and done.attempts == 1
    assert done.worker == running.worker == embedded_worker.worker_name
    body = api.get(f"/api/v1/tracks/{track['id']}").json()
    assert body["status"] == "done" and body["urls"]["mp3"]


def test_jobs_interrupted_by_a_stop_are_finished_when_the_worker_starts(api, photo, night_photo,
                                                                       embedded_worker):
    interrupted = create_track(api, photo, duration="5")["id"]
    waiting = create_track(api, night_photo, duration="5")["id"]
    services.track_claim(track_id=interrupted, worker="embedded@old-server")   # the server died here
    assert Track.objects.get(id=interrupted).status == "running"
    embedded_worker.start()
    for track_id in (interrupted, waiting):
        assert wait_for(track_id).status == "done"
    row = Track.objects.get(id=interrupted)
    assert row.attempts == 2 and row.worker == embedded_worker.worker_name


def test_worker_runs_queued_jobs_oldest_first(api, photo, night_photo, embedded_worker):
    first = create_track(api, photo, duration="5")["id"]
    second = create_track(api, night_photo, duration="5")["id"]
    embedded_worker.start()
    a, b = wait_for(first), wait_for(second)
    assert a.started_at < b.started_at


def test_a_worker_prepares_the_site_composer_or_the_engines_it_serves_as_it_starts(settings, test_engines):
    settings.MELODIFY_COMPOSER, settings.MELODIFY_COMPOSER_DEVICE = "slow-model", "cpu"
    services.prepare_engines().join(10)                  # an embedded job process: the site's own composer
    assert test_engines.PREPARED == ["cpu"]
    services.prepare_engines(["embedded", "slow-model"]).join(10)   # `melodify worker --engines ...`
    assert test_engines.PREPARED == ["cpu", "cpu"]      # the site's device for the site's composer
    settings.MELODIFY_COMPOSER = "embedded"
    services.prepare_engines(["slow-model"]).join(10)
    assert test_engines.PREPARED == ["cpu", "cpu", None]   # another composer: its own default device
