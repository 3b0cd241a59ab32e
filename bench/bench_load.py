"""Load: many clients submitting tracks at once over loopback, against the embedded server and against
the site with Celery workers (Redis + PostgreSQL). A bounded client of our own: threads, urllib.

    nice -n 10 python bench/bench_load.py [--tracks 200] [--clients 20] [--mode embedded|celery|both]
        [--jobs N] [--workers 2] [--baseline] [--big-photo]

Each client posts its share of the tracks one after another (a photo, 5 s of music), then polls them until
they are done. Printed per mode: throughput (finished tracks a minute), p50/p99 of the API calls (POST
and GET), time from submitting to a finished track, errors (any non-2xx answer or a failed track: must
be 0), and the server's resident memory (RSS) sampled through the run (first sample after warm-up, peak,
last), which should stay flat, and the peak with its job processes (embedded mode). --baseline adds
the embedded server with one job at a time, to compare with one job per core (--jobs, default the
machine's cores). --big-photo measures the peak memory of one job on a 108 MP photo (12000x9000 JPEG)
in a fresh process.
Celery mode needs PostgreSQL at 127.0.0.1:5432 (a database faults_bench, made and dropped) and Redis
at 127.0.0.1:6379 (DB 11, flushed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from melodify.samples import SCENES, photo_bytes  # noqa: E402
from tests.web.live import (base_env, free_port, get_json, post_photo, start, stop,  # noqa: E402
                            wait_until_up)

DB_NAME = "faults_bench"
REDIS_URL = "redis://127.0.0.1:6379/11"
POLL = 0.5


@dataclass
class Run:
    posts: list[float] = field(default_factory=list)      # seconds per POST
    gets: list[float] = field(default_factory=list)       # seconds per GET
    to_done: list[float] = field(default_factory=list)    # submit -> seen done, seconds
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, value: float) -> None:
        with self.lock:
            getattr(self, name).append(value)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


def client(base_url: str, number: int, count: int, run: Run) -> None:
    """One client: submit `count` tracks, then poll each until it is done or failed."""
    owner = f"bench-load-client-{number:04d}"
    scenes = list(SCENES)
    submitted: dict[str, float] = {}
    for i in range(count):
        image = photo_bytes(scenes[(number + i) % len(scenes)], size=(480, 360), seed=number * 1000 + i)
        began = time.perf_counter()
        status, _, body = post_photo(f"{base_url}/api/v1/tracks", owner, image, duration="5")
        run.add("posts", time.perf_counter() - began)
        if status != 202:
            run.error(f"POST {status}: {body.get('error')}")
            continue
        submitted[body["id"]] = began
    while submitted:
        for track_id, began in list(submitted.items()):
            asked = time.perf_counter()
            try:
                track = get_json(f"{base_url}/api/v1/tracks/{track_id}", owner)
            except AssertionError as exc:
                run.error(f"GET: {exc}")
                del submitted[track_id]
                continue
            run.add("gets", time.perf_counter() - asked)
            if track["status"] in ("done", "failed"):
                if track["status"] == "failed":
                    run.error(f"track failed: {track['error']}")
                run.add("to_done", time.perf_counter() - began)
                del submitted[track_id]
        time.sleep(POLL)


class RssSampler(threading.Thread):
    """The server process's resident memory once a second, and with its job processes (embedded mode)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        import psutil

        self.process = psutil.Process(pid)
        self.samples: list[float] = []
        self.tree: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            try:
                server = self.process.memory_info().rss
                children = sum(c.memory_info().rss for c in self.process.children(recursive=True))
            except Exception:  # noqa: BLE001 - the server went away: the run reports it
                return
            self.samples.append(server / 2**20)
            self.tree.append((server + children) / 2**20)


def drive(base_url: str, server_pid: int, tracks: int, clients: int) -> dict:
    # Warm-up: one track through, so imports and the SoundFont load are not in the figures.
    warm = Run()
    client(base_url, 9999, 1, warm)
    if warm.errors:
        raise SystemExit(f"warm-up failed: {warm.errors}")
    sampler = RssSampler(server_pid)
    sampler.start()
    run = Run()
    shares = [tracks // clients + (1 if n < tracks % clients else 0) for n in range(clients)]
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda n: client(base_url, n, shares[n], run), range(clients)))
    wall = time.perf_counter() - began
    sampler.done.set()
    sampler.join()
    return {"run": run, "wall": wall, "rss": sampler.samples, "tree": sampler.tree}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def row(label: str, result: dict) -> str:
    run: Run = result["run"]
    rss = result["rss"] or [float("nan")]
    finished = len(run.to_done)
    return (f"{label:<24} {finished:>5} {len(run.errors):>6} {finished / result['wall'] * 60:>9.1f} "
            f"{pct(run.posts, .5) * 1000:>7.0f} {pct(run.posts, .99) * 1000:>7.0f} "
            f"{pct(run.gets, .5) * 1000:>7.0f} {pct(run.gets, .99) * 1000:>7.0f} "
            f"{pct(run.to_done, .5):>7.1f} {pct(run.to_done, .99):>7.1f} "
            f"{rss[0]:>6.0f} {max(rss):>6.0f} {rss[-1]:>6.0f} {max(result['tree'] or [float('nan')]):>7.0f}")


HEADER = (f"{'mode':<24} {'done':>5} {'errors':>6} {'per min':>9} {'POST50':>7} {'POST99':>7} "
          f"{'GET50':>7} {'GET99':>7} {'done50':>7} {'done99':>7} {'rss0':>6} {'rssmax':>6} {'rss1':>6} {'+jobs':>7}\n"
          f"{'':<24} {'':>5} {'':>6} {'tracks':>9} {'ms':>7} {'ms':>7} {'ms':>7} {'ms':>7} {'s':>7} {'s':>7} "
          f"{'MB':>6} {'MB':>6} {'MB':>6} {'max MB':>7}")

BENCH_ENV = {"MELODIFY_UPLOADS_PER_MINUTE": "0", "MELODIFY_MAX_QUEUE": "100000",
             "SECRET_KEY": "bench-load-secret-key-not-for-production"}


def embedded(tmp: Path, tracks: int, clients: int, jobs: int) -> dict:
    env = base_env(tmp / f"embedded-{jobs}", MELODIFY_EMBEDDED_JOBS=str(jobs), **BENCH_ENV)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp / f"embedded-{jobs}.log"
    server = start(["serve", "--port", str(port)], env, log)
    try:
        wait_until_up(base_url, server, log)
        return drive(base_url, server.pid, tracks, clients)
    finally:
        stop(server)


def celery(tmp: Path, tracks: int, clients: int, workers: int) -> dict:
    from tests.web.scale import database_url, fresh_database_and_redis, wait_for_workers

    with fresh_database_and_redis(DB_NAME, REDIS_URL):
        env = base_env(tmp / "celery", DATABASE_URL=database_url(DB_NAME), REDIS_URL=REDIS_URL, **BENCH_ENV)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        processes = [start(["serve", "--port", str(port)], env, tmp / "celery-server.log")]
        try:
            wait_until_up(base_url, processes[0], tmp / "celery-server.log")
            names = [f"bench{n}" for n in range(1, workers + 1)]
            for name in names:
                processes.append(start(["worker", "--concurrency", "1", "--name", f"{name}@%h"], env,
                                       tmp / f"celery-{name}.log"))
            wait_for_workers(REDIS_URL, names)
            return drive(base_url, processes[0].pid, tracks, clients)
        finally:
            for process in reversed(processes):
                stop(process)


BIG_PHOTO_JOB = """
import sys, time
from melodify import pipeline
from melodify.read import image_loading
from melodify.request import parse_request
image_loading.MAX_PIXELS = 120_000_000   # the measurement raises the 50 MP door; see the printout
def high_water_mb():   # VmHWM: this process's peak RSS (ru_maxrss would include the parent's, from before exec)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
data = open(sys.argv[1], "rb").read()
before = high_water_mb()
began = time.perf_counter()
photo = image_loading.load_image(data)
result = pipeline.run(photo.jpeg(), parse_request(duration="15"), photo_info={"width": photo.size[0],
                      "height": photo.size[1], "format": photo.format})
pipeline.export(result, "mp3")
peak = high_water_mb()
print(f"{before:.0f} {peak:.0f} {time.perf_counter() - began:.1f}")
"""


def big_photo(tmp: Path) -> None:
    path = tmp / "108mp.jpg"
    path.write_bytes(photo_bytes("sunny-beach", "JPEG", size=(12000, 9000)))
    done = subprocess.run([sys.executable, "-c", BIG_PHOTO_JOB, str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"the 108 MP job failed:\n{done.stderr[-2000:]}")
    before, peak, seconds = done.stdout.split()
    print(f"\none job on a 108 MP photo (12000x9000 JPEG, {path.stat().st_size / 2**20:.1f} MB), 15 s of music: "
          f"peak RSS {peak} MB (the process before the job, imports and the file read: {before} MB), "
          f"{seconds} s; limit 1024 MB: "
          f"{'under' if float(peak) < 1024 else 'OVER'}. (The image door refuses over 50 MP; this "
          f"measurement lifts that limit in its own process to see what the pipeline needs.)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tracks", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--mode", choices=("embedded", "celery", "both"), default="both")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="embedded jobs at once")
    parser.add_argument("--workers", type=int, default=2, help="Celery workers (one job each)")
    parser.add_argument("--baseline", action="store_true", help="also the embedded server at one job at a time")
    parser.add_argument("--big-photo", action="store_true", help="measure one job on a 108 MP photo")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="melodify-bench-load-"))
    results = []
    if args.baseline and args.mode != "celery":
        results.append(("embedded, 1 job (base)", embedded(tmp, args.tracks, args.clients, 1)))
    if args.mode in ("embedded", "both"):
        results.append((f"embedded, {args.jobs} jobs", embedded(tmp, args.tracks, args.clients, args.jobs)))
    if args.mode in ("celery", "both"):
        results.append((f"celery, {args.workers} workers", celery(tmp, args.tracks, args.clients, args.workers)))
    print(f"\n{args.tracks} tracks of 5 s from {args.clients} clients over loopback ({os.cpu_count()} cores)\n")
    print(HEADER)
    for label, result in results:
        print(row(label, result))
    errors = [e for _, result in results for e in result["run"].errors]
    for error in errors[:10]:
        print("  error:", error)
    if args.big_photo:
        big_photo(tmp)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
