"""The embedded worker: the loop that runs queued jobs one at a time. `melodify serve` runs it in
MELODIFY_EMBEDDED_JOBS child processes (one per core by default: the composer is Python, and threads
would share one interpreter lock), each woken through a pipe; the claim on the row keeps two off the
same job. In a child the loop also enforces MELODIFY_TIME_LIMIT (a signal, so on its main thread); a
job hung in native code never hears that signal, so the server kills a child whose job has run past
MELODIFY_HARD_TIME_LIMIT (the child says on a second pipe which job it is on) and starts another.

Stopping (the server's SIGTERM, or its pipe closed): a child hands its job back (handoff.py) at the
job's next progress step and exits; the server started again makes it.

Woken at once through `jobs` when a job is queued, and polling every second otherwise, so a job queued
by another process (a second server) is still found, and a retry runs once its backoff is over. On start
the server requeues jobs that were running when it stopped, so they finish after a restart.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess  # nosec B404 - starts our own job processes, with a fixed argv
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import close_old_connections, connections

from . import handoff, jobs, selectors, services

log = logging.getLogger(__name__)


def worker_name(pid: int, number: int) -> str:
    return f"embedded@{socket.gethostname()}:{pid}/{number}"


class EmbeddedWorker(threading.Thread):
    def __init__(self, poll_seconds: float = 1.0, *, number: int = 1, requeue: bool = True,
                 time_limit: int | None = None, on_job: Callable[[str | None], None] | None = None) -> None:
        """`on_job`: told the track id as a job starts, and None once it is over."""
        super().__init__(name=f"melodify-worker-{number}", daemon=True)
        self.poll_seconds = poll_seconds
        self.requeue = requeue
        self.time_limit = time_limit
        self.on_job = on_job or (lambda track_id: None)
        self.stopping = threading.Event()
        self.worker_name = worker_name(os.getpid(), number)

    def stopped(self) -> bool:
        return self.stopping.is_set() or handoff.asked()

    def run(self) -> None:
        try:
            if self.requeue:
                requeue_interrupted()
            while not self.stopped():
                self.run_queued()
                retry_in = selectors.seconds_to_next_retry()
                jobs.wait_for_work(self.poll_seconds if retry_in is None else min(self.poll_seconds, retry_in))
        finally:
            connections.close_all()

    def run_queued(self) -> None:
        """Run queued jobs, oldest first, until none is left (or we are told to stop)."""
        while not self.stopped():
            close_old_connections()
            track_id = selectors.next_queued_id()
            if track_id is None:
                return
            self.on_job(track_id)
            try:
                with time_limit(self.time_limit):
                    services.track_render(track_id=track_id, worker=self.worker_name)
            except Exception:  # noqa: BLE001 - the loop must survive anything (e.g. the DB going away)
                log.exception("embedded worker: track %s", track_id)
                self.stopping.wait(self.poll_seconds)
            finally:
                self.on_job(None)

    def stop(self, timeout: float | None = 30) -> None:
        self.stopping.set()
        jobs.wake()
        self.join(timeout)


def requeue_interrupted() -> None:
    requeued = services.requeue_interrupted()
    if requeued:
        log.info("requeued %d track(s) interrupted by the last stop", requeued)


@contextmanager
def time_limit(seconds: int | None) -> Iterator[None]:
    """Raise Celery's SoftTimeLimitExceeded in this (main) thread after `seconds`, as a Celery worker
    does: services.track_render answers it the same way in both modes."""
    if not seconds:
        yield
        return
    from celery.exceptions import SoftTimeLimitExceeded

    def over(signum, frame):
        raise SoftTimeLimitExceeded(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, over)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class JobProcesses:
    """`count` child processes running the loop (`python -m melodify_web.job_process N FD`). A byte on a
    child's stdin wakes it; end of file (the server stopped or died) makes it hand its job back and
    exit. On pipe FD the child writes the id of each job it starts ("" once it is over), so a watchdog
    here kills one whose job runs past `hard_limit` seconds, fails that track and starts another."""

    def __init__(self, count: int, hard_limit: int | None = None) -> None:
        self.count = max(1, count)
        self.hard_limit = hard_limit or None
        self.children: list[subprocess.Popen | None] = [None] * self.count
        self.running: list[tuple[str, float] | None] = [None] * self.count   # (track id, since)
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def start(self) -> None:
        requeue_interrupted()   # once, before any child takes a job
        for number in range(self.count):
            self._spawn(number)
        jobs.on_wake(self.wake)
        threading.Thread(target=self._watch, name="melodify-job-watchdog", daemon=True).start()

    def _spawn(self, number: int) -> None:
        said, says = os.pipe()
        argv = [sys.executable, "-m", "melodify_web.job_process", str(number + 1), str(says)]   # nothing from a request
        child = subprocess.Popen(argv, stdin=subprocess.PIPE, pass_fds=(says,))  # nosec B603
        os.close(says)
        self.children[number], self.running[number] = child, None
        threading.Thread(target=self._hear, args=(number, child, said), name=f"melodify-job-{number + 1}",
                         daemon=True).start()

    def _hear(self, number: int, child: subprocess.Popen, fd: int) -> None:
        """What child `number` says it runs, until its pipe closes (it exited)."""
        with os.fdopen(fd, "rb") as lines:
            for line in lines:
                if self.children[number] is child:
                    track_id = line.decode().strip()
                    self.running[number] = (track_id, time.monotonic()) if track_id else None

    def _watch(self) -> None:
        """Every second: kill a child whose job has run past the hard limit, fail its track, start another;
        start again one that exited (a crash, out of memory, a SIGTERM of its own)."""
        try:
            while not self.stopping.wait(1.0):
                for number, job in enumerate(self.running):
                    if job and self.hard_limit and time.monotonic() - job[1] > self.hard_limit:
                        self._kill_hung(number, job[0])
                if any(child is not None and child.poll() is not None for child in self.children):
                    self.wake()
        finally:
            connections.close_all()

    def _kill_hung(self, number: int, track_id: str) -> None:
        with self.lock:
            child = self.children[number]
            if child is None or self.running[number] is None or self.running[number][0] != track_id:
                return
            log.warning("embedded job process %d: track %s ran past the %d s hard time limit; killing it",
                        number + 1, track_id, self.hard_limit)
            child.kill()
            child.wait()
            close_old_connections()
            services.track_stopped_over_time(track_id=track_id, worker=worker_name(child.pid, number + 1))
            if not self.stopping.is_set():
                self._spawn(number)

    def wake(self) -> None:
        """Wake every child; start again one that has died (a crash, out of memory)."""
        with self.lock:
            for number, child in enumerate(self.children):
                if child is None:
                    continue
                if child.poll() is not None:
                    log.warning("embedded job process %d exited with %s; starting another", number + 1,
                                child.returncode)
                    self._spawn(number)
                    child = self.children[number]
                try:
                    child.stdin.write(b"w")
                    child.stdin.flush()
                except (BrokenPipeError, ValueError):
                    pass

    def stop(self, timeout: float = 30) -> None:
        """Each child hands its job back at the job's next step and exits; one still busy after
        `timeout` (a stage with no steps) is killed, and its job runs again after a restart."""
        jobs.on_wake(None)
        self.stopping.set()
        with self.lock:
            children, self.children = [c for c in self.children if c], [None] * self.count
        for child in children:
            try:
                child.stdin.close()
            except BrokenPipeError:
                pass
        deadline = time.monotonic() + timeout
        for child in children:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()


def start(jobs_at_once: int | None = None) -> JobProcesses:
    from django.conf import settings

    processes = JobProcesses(jobs_at_once or settings.MELODIFY_EMBEDDED_JOBS, settings.MELODIFY_HARD_TIME_LIMIT)
    processes.start()
    return processes


def child_main(number: int, says: int) -> None:
    """A job process (Django set up): the loop on its main thread (for the time limit), woken by bytes
    on stdin, saying each job it runs on fd `says`. SIGTERM, or stdin closed, hands its job back."""
    from django.conf import settings

    out = os.fdopen(says, "w", buffering=1)

    def on_job(track_id: str | None) -> None:
        try:
            out.write(f"{track_id or ''}\n")
        except OSError:   # the server is gone: nobody to watch this job, which goes on
            pass

    loop = EmbeddedWorker(number=number, requeue=False, time_limit=settings.MELODIFY_TIME_LIMIT, on_job=on_job)

    def listen() -> None:
        while os.read(0, 64):   # the raw fd: a buffered stdin would abort the exit, this thread in it
            jobs.wake()
        handoff.ask()         # the server is gone or stopping
        loop.stopping.set()
        jobs.wake()

    threading.Thread(target=listen, name="melodify-wake", daemon=True).start()
    services.prepare_engines()
    signal.signal(signal.SIGTERM, lambda signum, frame: handoff.ask())   # only a flag: the loop sees it
    loop.run()
