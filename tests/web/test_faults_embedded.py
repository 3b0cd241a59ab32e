"""Faults in embedded mode (`melodify serve`, SQLite, the job processes inside): the server killed
(SIGKILL) or stopped (SIGTERM) in the middle of a job and started again finishes it; a job process
stopped alone hands its job to the next; a job hung in native code is killed at the hard time limit;
20 clients submitting at once never meet "database is locked"."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

from melodify.samples import photo_bytes

from .live import (base_env, free_port, get_json, post_photo, serving, start, stop, wait_for_tracks,
                   wait_until_up)

OWNER = "faults-embedded-owner-01"


def test_the_server_killed_mid_job_and_started_again_finishes_the_job(tmp_path):
    env = base_env(tmp_path / "data", MELODIFY_ENGINE_MODULES="tests.engines", MELODIFY_TEST_SLOW_SECONDS="5")
    base_url = f"http://127.0.0.1:{free_port()}"
    port = base_url.rsplit(":", 1)[1]
    server = start(["serve", "--port", port], env, tmp_path / "server.1.log")
    try:
        wait_until_up(base_url, server, tmp_path / "server.1.log")
        _, _, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("sunset", size=(320, 240)),
                                 duration="5", composer="slow")
        deadline = time.monotonic() + 60
        while get_json(f"{base_url}/api/v1/tracks/{track['id']}", OWNER)["status"] != "running":
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.1)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)
        server = start(["serve", "--port", port], env, tmp_path / "server.2.log")
        wait_until_up(base_url, server, tmp_path / "server.2.log")
        done = wait_for_tracks(base_url, OWNER, [track["id"]], timeout=90)
        print(f"\nembedded server SIGKILLed mid-job: submitted 1, killed 1, "
              f"finished {sum(t['status'] == 'done' for t in done.values())}, lost 0")
        assert done[track["id"]]["status"] == "done", done[track["id"]]["error"]
        assert "requeued 1 track(s) interrupted by the last stop" in (tmp_path / "server.2.log").read_text()
    finally:
        stop(server)


TEST_ENGINES = {"MELODIFY_ENGINE_MODULES": "tests.engines"}


def test_twenty_clients_submitting_at_once_to_sqlite_never_meet_a_locked_database(tmp_path):
    clients, log = 20, tmp_path / "server.log"

    def submit(base_url: str, n: int) -> tuple[int, dict, str]:
        owner = f"{OWNER}-{n:03d}"
        status, _, body = post_photo(f"{base_url}/api/v1/tracks", owner, photo_bytes("forest", size=(240, 180),
                                     seed=n), duration="5")
        return status, body, owner

    with serving(tmp_path / "data", log) as base_url:
        with ThreadPoolExecutor(clients) as pool:
            answers = list(pool.map(lambda n: submit(base_url, n), range(clients)))
        assert [status for status, _, _ in answers] == [202] * clients, [b for s, b, _ in answers if s != 202]
        tracks = {}
        for _, body, owner in answers:
            tracks.update(wait_for_tracks(base_url, owner, [body["id"]], timeout=240))
    done = sum(t["status"] == "done" for t in tracks.values())
    print(f"\nSQLite, {clients} submitters at once: submitted {clients}, killed 0, finished {done}, "
          f"lost {clients - done}")
    assert done == clients, {i: t["error"] for i, t in tracks.items() if t["status"] != "done"}
    assert "database is locked" not in log.read_text()


def test_the_embedded_server_runs_as_many_jobs_at_once_as_it_is_told(tmp_path):
    log = tmp_path / "server.log"
    with serving(tmp_path / "data", log, MELODIFY_TEST_SLOW_SECONDS="3", MELODIFY_EMBEDDED_JOBS="2",
                 **TEST_ENGINES) as base_url:
        ids = [post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("sunset", size=(320, 240), seed=n),
                          duration="5", composer="slow")[2]["id"] for n in range(2)]
        most_at_once, deadline = 0, time.monotonic() + 60
        while time.monotonic() < deadline and most_at_once < 2:
            statuses = [get_json(f"{base_url}/api/v1/tracks/{i}", OWNER)["status"] for i in ids]
            most_at_once = max(most_at_once, statuses.count("running"))
            time.sleep(0.1)
        assert most_at_once == 2, "the two jobs never ran at the same time"
        assert "2 embedded job process(es)" in log.read_text()
        tracks = wait_for_tracks(base_url, OWNER, ids, timeout=60)
        assert {t["status"] for t in tracks.values()} == {"done"}


def test_a_hanging_job_in_the_embedded_server_is_ended_by_the_time_limit_and_its_partial_files_removed(tmp_path):
    with serving(tmp_path / "data", MELODIFY_TIME_LIMIT="4", **TEST_ENGINES) as base_url:
        _, _, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("sunset", size=(320, 240)),
                                 duration="5", composer="hanging")
        failed = wait_for_tracks(base_url, OWNER, [track["id"]], timeout=60)[track["id"]]
        assert failed["status"] == "failed" and failed["error"]["code"] == "time_limit"
        assert "longer than the 4 s limit" in failed["error"]["message"]
        assert [p.name for p in (tmp_path / "data" / "media" / "tracks" / track["id"]).iterdir()] == ["photo.jpg"]
        # the job process lives on and takes the next job
        _, _, next_track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("forest", size=(320, 240)),
                                      duration="5")
        assert wait_for_tracks(base_url, OWNER, [next_track["id"]], timeout=60)[next_track["id"]]["status"] == "done"


def test_the_server_sigtermed_mid_job_hands_the_job_back_and_started_again_finishes_it(tmp_path):
    env = base_env(tmp_path / "data", MELODIFY_EMBEDDED_JOBS="1", MELODIFY_TEST_STEADY_SECONDS="20",
                   **TEST_ENGINES)
    base_url = f"http://127.0.0.1:{free_port()}"
    port = base_url.rsplit(":", 1)[1]
    server = start(["serve", "--port", port], env, tmp_path / "server.1.log")
    try:
        wait_until_up(base_url, server, tmp_path / "server.1.log")
        _, _, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("sunset", size=(320, 240)),
                                 duration="5", composer="steady")
        folder = tmp_path / "data" / "media" / "tracks" / track["id"]
        deadline = time.monotonic() + 60
        while not (folder / "preview-0.wav").exists():   # well into the job: part of it is written
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.1)
        os.kill(server.pid, signal.SIGTERM)               # the server only, as `docker stop` does
        stopped_at = time.monotonic()
        assert server.wait(12) == 0, "the server waited for its job instead of handing it back"
        exited = time.monotonic() - stopped_at
        assert sorted(p.name for p in folder.iterdir()) == ["photo.jpg"]   # the partial files are gone
        server = start(["serve", "--port", port], env, tmp_path / "server.2.log")
        wait_until_up(base_url, server, tmp_path / "server.2.log")
        done = wait_for_tracks(base_url, OWNER, [track["id"]], timeout=120)
        finished = time.monotonic() - stopped_at
        print(f"\nembedded server SIGTERMed mid-job: submitted 1, killed 1, "
              f"finished {sum(t['status'] == 'done' for t in done.values())}, lost 0; it exited {exited:.1f} s "
              f"after SIGTERM, the restarted server finished the job {finished:.1f} s after")
        assert done[track["id"]]["status"] == "done", done[track["id"]]["error"]
        assert "handed back to the queue" in (tmp_path / "server.1.log").read_text()
        assert sorted(p.name for p in folder.iterdir()) == ["photo.jpg", "track.mid", "track.mp3", "track.wav"]
    finally:
        stop(server)
    with sqlite3.connect(tmp_path / "data" / "db.sqlite3") as db:   # the stop used no attempt
        assert db.execute("SELECT attempts FROM tracks_track WHERE id = ?", (track["id"],)).fetchall() == [(1,)]


def test_a_job_hung_in_native_code_is_killed_at_the_hard_time_limit_and_its_track_fails_with_a_message(tmp_path):
    log = tmp_path / "server.log"
    with serving(tmp_path / "data", log, MELODIFY_EMBEDDED_JOBS="1", MELODIFY_TIME_LIMIT="2",
                 MELODIFY_HARD_TIME_LIMIT="5", **TEST_ENGINES) as base_url:
        _, _, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("sunset", size=(320, 240)),
                                 duration="5", composer="native-hang")
        failed = wait_for_tracks(base_url, OWNER, [track["id"]], timeout=60)[track["id"]]
        assert failed["status"] == "failed" and failed["error"]["code"] == "time_limit", failed
        assert "longer than the 2 s limit" in failed["error"]["message"]
        assert [p.name for p in (tmp_path / "data" / "media" / "tracks" / track["id"]).iterdir()] == ["photo.jpg"]
        assert "ran past the 5 s hard time limit; killing it" in log.read_text()
        # another job process took its place and takes the next job
        _, _, next_track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("forest", size=(320, 240)),
                                      duration="5")
        assert wait_for_tracks(base_url, OWNER, [next_track["id"]], timeout=60)[next_track["id"]]["status"] == "done"


def test_a_job_process_sigtermed_alone_hands_its_job_back_and_the_server_starts_another_that_finishes_it(tmp_path):
    log = tmp_path / "server.log"
    with serving(tmp_path / "data", log, MELODIFY_EMBEDDED_JOBS="1", MELODIFY_TEST_STEADY_SECONDS="8",
                 **TEST_ENGINES) as base_url:
        _, _, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("sunset", size=(320, 240)),
                                 duration="5", composer="steady")
        database, deadline = tmp_path / "data" / "db.sqlite3", time.monotonic() + 60
        while not (running := sqlite3.connect(database).execute(
                "SELECT worker FROM tracks_track WHERE id = ? AND status = 'running'", (track["id"],)).fetchall()):
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.1)
        child = int(running[0][0].rsplit(":", 1)[1].split("/")[0])   # embedded@host:PID/N
        time.sleep(1)
        os.kill(child, signal.SIGTERM)
        done = wait_for_tracks(base_url, OWNER, [track["id"]], timeout=90)[track["id"]]
        assert done["status"] == "done", done["error"]
        (worker, attempts), = sqlite3.connect(database).execute(
            "SELECT worker, attempts FROM tracks_track WHERE id = ?", (track["id"],)).fetchall()
        assert f":{child}/" not in worker and attempts == 1, (worker, attempts)
        text = log.read_text()
        assert "handed back to the queue" in text and "embedded job process 1 exited with 0; starting another" in text
