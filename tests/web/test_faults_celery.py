"""Faults in scale-out mode, injected for real: the site and two `melodify worker` processes over Redis
and PostgreSQL, and workers killed (SIGKILL), stopped (SIGTERM: the job is handed to another worker),
handed a job twice, or a job that hangs.
Every track ends done or failed with a message, never stuck as running; each test prints its counts
(submitted, killed, finished, lost) and lost is 0.

The stale window, the sweep and the time limit are short here (seconds, not the defaults' minute), so
the bound each test checks scales with them: MELODIFY_STALE_SECONDS + MELODIFY_SWEEP_SECONDS + the job.
Uses its own database (faults_celery_test) and Redis DB 10, and removes both afterwards."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from melodify.samples import photo_bytes

from .live import base_env, free_port, post_photo, start, stop, wait_for_tracks, wait_until_up
from .scale import database_url, fresh_database_and_redis, rows, wait_for_workers

DB_NAME = "faults_celery_test"
REDIS_URL = "redis://127.0.0.1:6379/10"
OWNER = "faults-celery-owner-01"
SLOW_SECONDS = 4
STEADY_SECONDS = 20   # a job that reports progress all along: a stop hands it off at its next step
FAULTY_COMPOSERS = ("embedded", "slow", "steady", "worker-killing", "hanging", "native-hang")   # each has its own Celery queue
TIME_LIMIT = 30   # above STEADY_SECONDS and the hanging test's wait
HARD_TIME_LIMIT = TIME_LIMIT + 5
STALE, SWEEP = 4, 1
# A lost job is found within STALE + SWEEP (+ a Celery retry of the same length), then runs again.
BOUND = 2 * (STALE + SWEEP) + SLOW_SECONDS + 30


class Cluster:
    """The site and workers w1, w2; a test may kill or stop a worker, and `revive` starts it again."""

    def __init__(self, tmp: Path, db_name: str = DB_NAME, redis_url: str = REDIS_URL) -> None:
        self.tmp = tmp
        self.env = base_env(tmp / "data", DATABASE_URL=database_url(db_name), REDIS_URL=redis_url,
                            SECRET_KEY="faults-test-secret-key-not-for-production",
                            MELODIFY_ENGINE_MODULES="tests.engines", MELODIFY_TEST_SLOW_SECONDS=str(SLOW_SECONDS),
                            MELODIFY_TEST_STEADY_SECONDS=str(STEADY_SECONDS),
                            MELODIFY_TIME_LIMIT=str(TIME_LIMIT), MELODIFY_HARD_TIME_LIMIT=str(HARD_TIME_LIMIT),
                            MELODIFY_STALE_SECONDS=str(STALE),
                            MELODIFY_SWEEP_SECONDS=str(SWEEP), MELODIFY_HEARTBEAT_SECONDS="1",
                            MELODIFY_MAX_ATTEMPTS="2", MELODIFY_RETRY_DELAY="1")
        self.base_url = f"http://127.0.0.1:{free_port()}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.starts = 0

    def log(self, name: str) -> Path:
        return self.tmp / f"{name}.log"

    def start(self) -> None:
        server = self.processes["server"] = start(["serve", "--port", self.base_url.rsplit(":", 1)[1]], self.env,
                                                   self.log("server"))
        wait_until_up(self.base_url, server, self.log("server"))
        for name in ("w1", "w2"):
            self.revive(name)

    def revive(self, name: str) -> None:
        """Start worker `name` (again: its log goes on in a new file)."""
        self.starts += 1
        log = self.tmp / f"{name}.{self.starts}.log"
        self.processes[name] = start(["worker", "--concurrency", "1", "--name", f"{name}@%h",
                                      "--engines", ",".join(FAULTY_COMPOSERS)], self.env, log)
        wait_for_workers(self.env["REDIS_URL"], [name])

    def worker_logs(self) -> str:
        return "".join(p.read_text() for p in sorted(self.tmp.glob("w*.log")))

    def signal(self, name: str, sig: int) -> subprocess.Popen:
        process = self.processes[name]
        os.killpg(process.pid, sig) if sig == signal.SIGKILL else os.kill(process.pid, sig)
        return process

    def stop(self) -> None:
        for process in reversed(self.processes.values()):
            stop(process)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with fresh_database_and_redis(DB_NAME, REDIS_URL):
        running = Cluster(tmp_path_factory.mktemp("faults-celery"))
        try:
            running.start()
            yield running
        finally:
            running.stop()


@pytest.fixture
def workers(cluster):
    """Both workers alive at the start of each test."""
    for name in ("w1", "w2"):
        if cluster.processes[name].poll() is not None:
            cluster.revive(name)
    return cluster


def submit(cluster: Cluster, count: int, **fields: str) -> list[str]:
    ids = []
    for i in range(count):
        status, _, track = post_photo(f"{cluster.base_url}/api/v1/tracks", OWNER,
                                      photo_bytes("sunset", size=(320, 240), seed=time.monotonic_ns() % 10**6 + i),
                                      duration="5", **fields)
        assert status == 202, track
        ids.append(track["id"])
    return ids


def running_on(track_ids: list[str], timeout: float = 60) -> tuple[str, str]:
    """(track id, worker name) of the first of these tracks a worker has taken."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = rows(DB_NAME, "SELECT id, worker FROM tracks_track WHERE id = ANY(%s) AND status = 'running'",
                     track_ids)
        if found:
            return found[0][0], found[0][1].split("@")[0]
        time.sleep(0.2)
    raise AssertionError(f"no worker took any of {track_ids} in {timeout} s")


def report(what: str, tracks: dict[str, dict], killed: int, note: str = "") -> int:
    finished = sum(t["status"] in ("done", "failed") for t in tracks.values())
    lost = len(tracks) - finished
    print(f"\n{what}: submitted {len(tracks)}, killed {killed}, finished {finished} "
          f"(done {sum(t['status'] == 'done' for t in tracks.values())}), lost {lost}{note}")
    return lost


def test_a_worker_killed_mid_job_leaves_its_job_to_the_other_within_a_bounded_time(workers):
    ids = submit(workers, 3, composer="slow")
    victim_track, victim = running_on(ids)
    workers.signal(victim, signal.SIGKILL)   # the whole worker: main process and pool, as a lost machine
    killed_at = time.monotonic()
    tracks = wait_for_tracks(workers.base_url, OWNER, ids, timeout=BOUND + 2 * SLOW_SECONDS)
    waited = time.monotonic() - killed_at
    assert report("worker SIGKILLed mid-job", tracks, killed=1,
                  note=f"; all done {waited:.0f} s after the kill (bound {BOUND} s)") == 0
    assert {t["status"] for t in tracks.values()} == {"done"}, {i: t["error"] for i, t in tracks.items()}
    (worker, attempts), = rows(DB_NAME, "SELECT worker, attempts FROM tracks_track WHERE id = %s", victim_track)
    assert not worker.startswith(victim) and attempts == 2, (worker, attempts)   # finished by the other
    assert waited < BOUND, f"the killed worker's job took {waited:.0f} s to finish"
    assert f"track {victim_track}: its runner went silent; queued again" in workers.worker_logs()


def test_a_job_that_kills_every_worker_it_meets_fails_with_a_message_after_the_attempt_cap(workers):
    ids = submit(workers, 1, composer="worker-killing")
    tracks = wait_for_tracks(workers.base_url, OWNER, ids, timeout=6 * (STALE + SWEEP) + 60)
    assert report("a job that kills its worker", tracks, killed=3) == 0
    track = tracks[ids[0]]
    assert track["status"] == "failed"
    assert "trying again did not help" in track["error"]["message"]
    assert rows(DB_NAME, "SELECT attempts FROM tracks_track WHERE id = %s", ids[0]) == [(3,)]


def test_sigterm_mid_job_hands_the_job_to_the_other_worker_and_the_stopped_one_exits_at_once(workers, cluster):
    ids = submit(workers, 1, composer="steady")   # STEADY_SECONDS of steps: a warm stop would wait them out
    track_id, victim = running_on(ids)
    time.sleep(1.5)                                # well into the job: a preview chunk is written
    process = workers.signal(victim, signal.SIGTERM)
    stopped_at = time.monotonic()
    assert process.wait(STEADY_SECONDS - 8) == 0, "the stopped worker waited for its job instead of handing it off"
    exited = time.monotonic() - stopped_at
    tracks = wait_for_tracks(workers.base_url, OWNER, ids, timeout=STEADY_SECONDS + BOUND)
    finished = time.monotonic() - stopped_at
    assert report("worker SIGTERMed mid-job", tracks, killed=1,
                  note=f"; it exited {exited:.1f} s after SIGTERM, the job was done elsewhere "
                       f"{finished:.1f} s after") == 0
    assert tracks[track_id]["status"] == "done", tracks[track_id]["error"]
    (worker, attempts), = rows(DB_NAME, "SELECT worker, attempts FROM tracks_track WHERE id = %s", track_id)
    assert not worker.startswith(victim) and attempts == 1, (worker, attempts)   # the stop used no attempt
    assert f"track {track_id}: its worker is stopping; handed back to the queue" in workers.worker_logs()
    files = sorted(p.name for p in (cluster.tmp / "data" / "media" / "tracks" / track_id).iterdir())
    assert files == ["photo.jpg", "track.mid", "track.mp3", "track.wav"]   # no preview chunk left


def test_sigterm_during_a_stage_that_reports_no_progress_is_a_warm_stop_and_the_other_takes_the_rest(workers):
    ids = submit(workers, 3, composer="slow")      # silent for SLOW_SECONDS, then a step
    track_id, victim = running_on(ids)
    process = workers.signal(victim, signal.SIGTERM)
    assert process.wait(SLOW_SECONDS + 30) == 0
    tracks = wait_for_tracks(workers.base_url, OWNER, ids, timeout=4 * SLOW_SECONDS + BOUND)
    assert report("worker SIGTERMed in a silent stage", tracks, killed=1) == 0
    assert {t["status"] for t in tracks.values()} == {"done"}, {i: t["error"] for i, t in tracks.items()}
    assert set(attempt for (attempt,) in rows(DB_NAME, "SELECT attempts FROM tracks_track WHERE id = ANY(%s)",
                                              ids)) == {1}   # handed off or finished: no attempt used up
    assert "Warm shutdown" in workers.worker_logs()


def test_the_same_job_delivered_twice_makes_one_track(workers, cluster):
    from celery import Celery

    ids = submit(workers, 1, composer="slow")
    Celery(broker=REDIS_URL).send_task("melodify.render_track", args=[ids[0]], queue="melodify")
    tracks = wait_for_tracks(workers.base_url, OWNER, ids, timeout=60)
    time.sleep(STALE + SWEEP + 2)   # long enough for the second delivery to come back and look again
    assert report("one job delivered twice", tracks, killed=0) == 0
    assert tracks[ids[0]]["status"] == "done"
    assert rows(DB_NAME, "SELECT attempts FROM tracks_track WHERE id = %s", ids[0]) == [(1,)]
    assert len(re.findall(rf"track {re.escape(ids[0])} rendered by ", workers.worker_logs())) == 1
    files = sorted(p.name for p in (cluster.tmp / "data" / "media" / "tracks" / ids[0]).iterdir())
    assert files == ["photo.jpg", "track.mid", "track.mp3", "track.wav"]


def test_a_hanging_job_is_ended_by_the_time_limit_and_its_partial_files_removed(workers, cluster):
    ids = submit(workers, 1, composer="hanging")
    tracks = wait_for_tracks(workers.base_url, OWNER, ids, timeout=TIME_LIMIT + 60)
    assert report("a hanging job", tracks, killed=0) == 0
    track = tracks[ids[0]]
    assert track["status"] == "failed" and track["error"]["code"] == "time_limit"
    assert f"longer than the {TIME_LIMIT} s limit" in track["error"]["message"]
    assert [p.name for p in (cluster.tmp / "data" / "media" / "tracks" / ids[0]).iterdir()] == ["photo.jpg"]


def test_a_job_hung_in_native_code_is_killed_at_the_hard_time_limit_and_its_track_fails_with_a_message(workers,
                                                                                                     cluster):
    ids = submit(workers, 1, composer="native-hang")   # deaf to the soft limit: only killing it ends it
    tracks = wait_for_tracks(workers.base_url, OWNER, ids, timeout=HARD_TIME_LIMIT + 60)
    assert report("a job hung in native code", tracks, killed=0) == 0
    track = tracks[ids[0]]
    assert track["status"] == "failed" and track["error"]["code"] == "time_limit", track
    assert f"longer than the {TIME_LIMIT} s limit" in track["error"]["message"]
    assert rows(DB_NAME, "SELECT attempts FROM tracks_track WHERE id = %s", ids[0]) == [(1,)]   # not run again
    assert [p.name for p in (cluster.tmp / "data" / "media" / "tracks" / ids[0]).iterdir()] == ["photo.jpg"]
    assert "Hard time limit" in workers.worker_logs()
    again = submit(workers, 1)   # the pool's new process takes the next job
    assert wait_for_tracks(workers.base_url, OWNER, again, timeout=60)[again[0]]["status"] == "done"


PRIVATE_REDIS_PORT = 8120   # a redis-server of this test's own, stopped and started again
OUTAGE_DB = "faults_outage_test"   # apart from the module's cluster, which is still running


def redis_server(tmp: Path) -> subprocess.Popen:
    """A private redis-server that keeps nothing on disk: stopping it loses every queued message."""
    process = subprocess.Popen(["redis-server", "--port", str(PRIVATE_REDIS_PORT), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no", "--dir", str(tmp)],
                               stdout=open(tmp / "redis.log", "ab"), stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            import redis

            redis.Redis.from_url(url, socket_timeout=1).ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"redis-server did not start on port {PRIVATE_REDIS_PORT}: {(tmp / 'redis.log').read_text()}")


def test_with_redis_down_the_api_answers_503_with_retry_after_and_queued_work_resumes_when_it_is_back(tmp_path):
    from .live import request

    url = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"
    broker = redis_server(tmp_path)
    try:
        with fresh_database_and_redis(OUTAGE_DB, url):
            cluster = Cluster(tmp_path, OUTAGE_DB, url)
            try:
                server = cluster.processes["server"] = start(["serve", "--port", cluster.base_url.rsplit(":", 1)[1]],
                                                              cluster.env, cluster.log("server"))
                wait_until_up(cluster.base_url, server, cluster.log("server"))
                queued = submit(cluster, 2)                 # no worker yet: the messages wait in Redis...
                broker.kill()                               # ...and go with it, all of a sudden
                broker.wait(10)
                status, headers, body = post_photo(f"{cluster.base_url}/api/v1/tracks", OWNER,
                                                   photo_bytes("forest", size=(320, 240)), duration="5")
                assert status == 503 and body["error"]["code"] == "queue_unavailable", body
                assert int(headers["Retry-After"]) > 0
                assert "Redis" in body["error"]["message"] and "again" in body["error"]["message"]
                assert rows(OUTAGE_DB, "SELECT count(*) FROM tracks_track") == [(2,)]   # nothing half-made
                status, _, ready = request(cluster.base_url + "/readyz")
                assert status == 503 and b'"broker"' in ready
                assert "Traceback" not in cluster.log("server").read_text()

                broker = redis_server(tmp_path)             # back, empty
                cluster.revive("w1")
                tracks = wait_for_tracks(cluster.base_url, OWNER, queued, timeout=BOUND + 60)
                assert report("Redis stopped with 2 jobs queued", tracks, killed=0) == 0
                assert {t["status"] for t in tracks.values()} == {"done"}, {i: t["error"] for i, t in tracks.items()}
                assert submit(cluster, 1)                    # and new work is taken again
                assert request(cluster.base_url + "/readyz")[0] == 200
            finally:
                cluster.stop()
    finally:
        broker.kill()
        broker.wait(10)
