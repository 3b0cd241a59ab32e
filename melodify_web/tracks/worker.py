"""The embedded worker: the loop that runs queued jobs one at a time. `melodify serve` runs it in
MELODIFY_EMBEDDED_JOBS child processes (one per core by default: the composer is Python, and threads
would share one interpreter lock), each woken through a pipe; the claim on the row keeps two off the
same job. In a child the loop also enforces MELODIFY_TIME_LIMIT (a signal, so on its main thread).

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
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import close_old_connections, connections

from . import jobs, selectors, services

log = logging.getLogger(__name__)


class EmbeddedWorker(threading.Thread):
    def __init__(self, poll_seconds: float = 1.0, *, number: int = 1, requeue: bool = True,
                 time_limit: int | None = None) -> None:
        super().__init__(name=f"melodify-worker-{number}", daemon=True)
        self.poll_seconds = poll_seconds
        self.requeue = requeue
        self.time_limit = time_limit
        self.stopping = threading.Event()
        self.worker_name = f"embedded@{socket.gethostname()}:{os.getpid()}/{number}"

    def run(self) -> None:
        try:
            if self.requeue:
                requeue_interrupted()
            while not self.stopping.is_set():
                self.run_queued()
                retry_in = selectors.seconds_to_next_retry()
                jobs.wait_for_work(self.poll_seconds if retry_in is None else min(self.poll_seconds, retry_in))
        finally:
            connections.close_all()

    def run_queued(self) -> None:
        """Run queued jobs, oldest first, until none is left (or we are told to stop)."""
        while not self.stopping.is_set():
            close_old_connections()
            track_id = selectors.next_queued_id()
            if track_id is None:
                return
            try:
                with time_limit(self.time_limit):
                    services.track_render(track_id=track_id, worker=self.worker_name)
            except Exception:  # noqa: BLE001 - the loop must survive anything (e.g. the DB going away)
                log.exception("embedded worker: track %s", track_id)
                self.stopping.wait(self.poll_seconds)

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
    """`count` child processes running the loop (`python -m melodify_web.job_process N`). A byte on a
    child's stdin wakes it; end of file (the server stopped or died) stops it after its job."""

    def __init__(self, count: int) -> None:
        self.count = max(1, count)
        self.children: list[subprocess.Popen | None] = [None] * self.count
        self.lock = threading.Lock()

    def start(self) -> None:
        requeue_interrupted()   # once, before any child takes a job
        for number in range(self.count):
            self._spawn(number)
        jobs.on_wake(self.wake)

    def _spawn(self, number: int) -> None:
        argv = [sys.executable, "-m", "melodify_web.job_process", str(number + 1)]   # nothing from a request
        self.children[number] = subprocess.Popen(argv, stdin=subprocess.PIPE)  # nosec B603

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
        jobs.on_wake(None)
        with self.lock:
            children, self.children = [c for c in self.children if c], [None] * self.count
        for child in children:
            try:
                child.stdin.close()
            except BrokenPipeError:
                pass
        for child in children:
            try:
                child.wait(timeout)
            except subprocess.TimeoutExpired:
                child.kill()


def start(jobs_at_once: int | None = None) -> JobProcesses:
    from django.conf import settings

    processes = JobProcesses(jobs_at_once or settings.MELODIFY_EMBEDDED_JOBS)
    processes.start()
    return processes


def child_main(number: int) -> None:
    """A job process (Django set up): the loop on its main thread (for the time limit), woken by bytes
    on stdin."""
    from django.conf import settings

    loop = EmbeddedWorker(number=number, requeue=False, time_limit=settings.MELODIFY_TIME_LIMIT)

    def listen() -> None:
        while sys.stdin.buffer.read1(64):
            jobs.wake()
        loop.stopping.set()   # the server is gone or stopping
        jobs.wake()

    threading.Thread(target=listen, name="melodify-wake", daemon=True).start()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    loop.run()
