"""The embedded worker: threads inside the serving process (MELODIFY_EMBEDDED_JOBS, one per core by
default), each running queued jobs one at a time; the claim on the row keeps two off the same job.

Woken at once through `jobs` when a job is queued, and polling every second otherwise, so a job queued
by another process (a second server) is still found, and a retry runs once its backoff is over. On start it requeues jobs that were
running when the server stopped, so they finish after a restart.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.db import close_old_connections, connections

from . import jobs, selectors, services

log = logging.getLogger(__name__)


class EmbeddedWorker(threading.Thread):
    def __init__(self, poll_seconds: float = 1.0, *, number: int = 1, requeue: bool = True) -> None:
        super().__init__(name=f"melodify-worker-{number}", daemon=True)
        self.poll_seconds = poll_seconds
        self.requeue = requeue
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


class EmbeddedWorkers:
    """`jobs` worker threads, stopped together."""

    def __init__(self, jobs: int) -> None:
        self.threads = [EmbeddedWorker(number=n + 1, requeue=False) for n in range(max(1, jobs))]

    def start(self) -> None:
        requeue_interrupted()   # once, before any thread takes a job
        for thread in self.threads:
            thread.start()

    def stop(self, timeout: float | None = 30) -> None:
        for thread in self.threads:
            thread.stopping.set()
        jobs.wake()
        for thread in self.threads:
            thread.join(timeout)


def start(jobs_at_once: int | None = None) -> EmbeddedWorkers:
    from django.conf import settings

    workers = EmbeddedWorkers(jobs_at_once or settings.MELODIFY_EMBEDDED_JOBS)
    workers.start()
    return workers
