"""Scale-out mode for real: the site and two `melodify worker` processes over Redis (Celery) and
PostgreSQL. 20 tracks through the API: all done, each rendered exactly once, both workers busy.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379; uses its own
database (melodify_scale_test) and Redis DB 9, and removes both afterwards."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from melodify.samples import SCENES, photo_bytes

from .live import base_env, free_port, post_photo, request, start, stop, wait_for_tracks, wait_until_up
from .scale import fresh_database_and_redis, rows
from .scale import wait_for_workers as wait_for

DB_NAME = "melodify_scale_test"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/9"
OWNER = "scale-out-test-owner-01"
TRACKS = 20
WORKERS = ("w1", "w2")


@pytest.fixture
def backing_services():
    with fresh_database_and_redis(DB_NAME, REDIS_URL):
        yield


def test_two_workers_render_twenty_tracks_each_exactly_once(tmp_path, backing_services):
    env = base_env(tmp_path / "data", DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL,
                   SECRET_KEY="scale-out-test-secret-key-not-for-production")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    logs = {name: tmp_path / f"{name}.log" for name in ("server", *WORKERS)}
    processes = []
    try:
        server = start(["serve", "--port", str(port)], env, logs["server"])
        processes.append(server)
        wait_until_up(base_url, server, logs["server"])   # migrations are done once it answers
        for name in WORKERS:
            processes.append(start(["worker", "--concurrency", "1", "--name", f"{name}@%h"], env, logs[name]))
        wait_for_workers(list(WORKERS))

        began = time.monotonic()
        scenes = list(SCENES)
        ids = []
        for i in range(TRACKS):
            image = photo_bytes(scenes[i % len(scenes)], size=(480, 360), seed=i)
            status, headers, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, image, duration="5")
            assert status == 202, track
            ids.append(track["id"])
        submitted = time.monotonic()
        tracks = wait_for_tracks(base_url, OWNER, ids, timeout=180)
        finished = time.monotonic()

        failed = {i: t["error"] for i, t in tracks.items() if t["status"] != "done"}
        assert not failed, failed
        assert all(t["percent"] == 100 and t["urls"]["mp3"] for t in tracks.values())
        # Each job claimed once (the row's attempts) and rendered once (the workers' logs).
        rendered = Counter()
        by_worker = Counter()
        for name in WORKERS:
            for track_id in re.findall(r"track (\S+) rendered by ", logs[name].read_text()):
                rendered[track_id] += 1
                by_worker[name] += 1
        assert rendered == Counter({track_id: 1 for track_id in ids}), rendered
        assert "rendered by" not in logs["server"].read_text()   # the site only queues in this mode
        assert all(by_worker[name] > 0 for name in WORKERS), by_worker
        attempts = _attempts(ids)
        assert set(attempts.values()) == {1}, attempts
        status, _, mp3 = request(tracks[ids[0]]["urls"]["mp3"])
        assert status == 200 and len(mp3) > 10_000
        print(f"\nscale-out: {TRACKS} tracks submitted in {submitted - began:.1f} s, all done "
              f"{finished - began:.1f} s after the first; renders per worker {dict(by_worker)}")
    finally:
        for process in reversed(processes):
            stop(process)


def _attempts(ids: list[str]) -> dict[str, int]:
    """The attempts counter of each row, read straight from the scale-out database."""
    return dict(rows(DB_NAME, "SELECT id, attempts FROM tracks_track WHERE id = ANY(%s)", ids))


def wait_for_workers(names: list[str]) -> None:
    wait_for(REDIS_URL, names)


def test_a_passing_fault_goes_back_to_celery_with_its_delay_and_the_track_finishes(tmp_path, backing_services):
    env = base_env(tmp_path / "data", DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL,
                   SECRET_KEY="scale-out-test-secret-key-not-for-production",
                   MELODIFY_ENGINE_MODULES="tests.engines", MELODIFY_COMPOSER="flaky", MELODIFY_RETRY_DELAY="1")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    logs = {name: tmp_path / f"{name}.log" for name in ("server", "w1")}
    processes = []
    try:
        server = start(["serve", "--port", str(port)], env, logs["server"])
        processes.append(server)
        wait_until_up(base_url, server, logs["server"])
        processes.append(start(["worker", "--concurrency", "1", "--name", "w1@%h"], env, logs["w1"]))
        wait_for_workers(["w1"])
        ids = []
        for i in range(3):
            status, _, track = post_photo(f"{base_url}/api/v1/tracks", OWNER,
                                          photo_bytes("sunset", size=(320, 240), seed=i), duration="5")
            assert status == 202, track
            ids.append(track["id"])
        tracks = wait_for_tracks(base_url, OWNER, ids, timeout=120)
        assert {t["status"] for t in tracks.values()} == {"done"}, {i: t["error"] for i, t in tracks.items()}
        assert set(_attempts(ids).values()) == {2}     # busy once, done on the retry
        assert all(t["engine"]["composer"] == "flaky" for t in tracks.values())
        assert len(re.findall(r"hit a passing fault: the composer is busy", logs["w1"].read_text())) == 3
    finally:
        for process in reversed(processes):
            stop(process)
