"""Jobs go to the Celery queue of their composer engine, for real (site and worker processes, Redis,
PostgreSQL): with only `melodify worker --engines musicgen` running, the MusicGen tracks are made and the
embedded ones wait in their own queue for a worker that serves it, and none waits behind the other."""

from __future__ import annotations

import pytest

from melodify.samples import photo_bytes
from tests import musicgen_models

from .live import base_env, free_port, get_json, post_photo, start, stop, wait_for_tracks, wait_until_up
from .scale import fresh_database_and_redis, redis_client

DB_NAME = "melodify_queue_test"
REDIS_URL = "redis://127.0.0.1:6379/8"   # its own: the scale-out tests use 9, the fault tests 10
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
OWNER = "engine-queues-test-owner-01"


@pytest.fixture
def services():
    with fresh_database_and_redis(DB_NAME, REDIS_URL):
        yield redis_client(REDIS_URL)


def test_a_musicgen_worker_takes_only_musicgen_jobs_and_embedded_ones_wait_in_their_own_queue(tmp_path, services):
    folder = musicgen_models.musicgen(tmp_path / "musicgen")
    env = base_env(tmp_path / "data", DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, OMP_NUM_THREADS="1",
                   SECRET_KEY="queue-test-secret-key-not-for-production", MELODIFY_COMPOSER="musicgen",
                   MELODIFY_COMPOSER_MODEL=str(folder), MELODIFY_COMPOSER_DEVICE="cpu")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    processes = []
    try:
        server = start(["serve", "--port", str(port)], env, tmp_path / "server.log")
        processes.append(server)
        wait_until_up(base_url, server, tmp_path / "server.log")
        ids = {}
        for composer in ("musicgen", "embedded"):
            status, _, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("forest", size=(320, 240)),
                                          duration="5", composer=composer)
            assert status == 202, track
            ids[composer] = track["id"]
        assert services.llen("melodify-musicgen") == 1 and services.llen("melodify") == 1
        processes.append(start(["worker", "--engines", "musicgen", "--concurrency", "2", "--name", "mg@%h"], env,
                               tmp_path / "worker.log"))
        done = wait_for_tracks(base_url, OWNER, [ids["musicgen"]], timeout=240)[ids["musicgen"]]
        assert done["status"] == "done", done.get("error")
        assert done["engine"]["composer"] == "musicgen"
        embedded = get_json(f"{base_url}/api/v1/tracks/{ids['embedded']}", OWNER)
        assert embedded["status"] == "queued" and services.llen("melodify") == 1   # still waiting, untouched
    finally:
        for process in reversed(processes):
            stop(process)


def test_a_worker_for_an_unknown_engine_is_refused_naming_the_known_ones(tmp_path):
    import subprocess
    import sys

    from .live import REPO

    proc = subprocess.run([sys.executable, "-m", "melodify", "worker", "--engines", "musicgen,nosuch"], cwd=REPO,
                          env=base_env(tmp_path, REDIS_URL=REDIS_URL), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "unknown composer engine 'nosuch'" in proc.stderr
    assert "musicgen" in proc.stderr and "embedded" in proc.stderr
