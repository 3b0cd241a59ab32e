"""Handing a running job back when its runner is told to stop (SIGTERM: a deploy, Cloud Run scaling in
with ~10 s before SIGKILL), instead of finishing a long job first.

Once asked, the job stops at its next progress callback (HandOff), its partial files are removed, its
row goes back to queued without using up an attempt, and it is sent again to its composer's queue, so
another worker (or the embedded server, started again) makes it (services.track_render).

Celery: SIGTERM reaches the worker's main process (`worker_shutting_down`); it asks its prefork pool
processes with SIGUSR2, and a threads or solo pool hears it here directly. Embedded: a job process asks
itself on SIGTERM or when the server closes its pipe (worker.child_main).

A stage that reports no progress for a long time is not cut short: the worker waits for it, and a
platform that kills the worker meanwhile leaves the job to the sweep (a killed worker)."""

from __future__ import annotations

import os
import signal
import threading

from celery.signals import worker_process_init, worker_shutting_down

HANDOFF_SIGNAL = signal.SIGUSR2   # free in Celery's pool processes (SIGUSR1 is its soft time limit)
_asked = threading.Event()


class HandOff(BaseException):
    """Raised in a job at a progress callback once a hand-off is asked for. A BaseException, so an
    engine's `except Exception` lets it through, as it does SystemExit."""


def ask() -> None:
    _asked.set()


def asked() -> bool:
    return _asked.is_set()


def check() -> None:
    """Called at each progress callback: stop here if this runner is stopping."""
    if _asked.is_set():
        raise HandOff("the worker is stopping; the job goes back to the queue")


def listen() -> None:
    """Ask on HANDOFF_SIGNAL (in a pool process; only sets a flag, so safe in a signal handler)."""
    signal.signal(HANDOFF_SIGNAL, lambda signum, frame: ask())


@worker_process_init.connect
def _pool_process_started(**_) -> None:
    listen()


@worker_shutting_down.connect
def _worker_stopping(sig: str = "", how: str = "", **_) -> None:
    """In the worker's main process, from its signal handler: pass the stop on to the running jobs."""
    import billiard

    ask()   # a threads or solo pool runs jobs in this process
    for child in billiard.active_children():   # a prefork pool's processes
        try:
            os.kill(child.pid, HANDOFF_SIGNAL)
        except (ProcessLookupError, TypeError):   # gone already, or not started
            pass
