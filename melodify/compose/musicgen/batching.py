"""Concurrent jobs for one model made in one call: the first job to arrive waits up to `max_wait` seconds
for others (up to `max_batch`), then they run as one batch, on the batcher's own thread, while later
arrivals gather for the next. A decoding step is mostly reading the weights, which rows share, so a batch
of 4 takes far less than 4 jobs one after another."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ...errors import InvalidOption

J = TypeVar("J")
R = TypeVar("R")
MAX_BATCH_VAR, MAX_WAIT_VAR = "MELODIFY_MUSICGEN_MAX_BATCH", "MELODIFY_MUSICGEN_MAX_WAIT"


def settings() -> tuple[int, float]:
    """(max batch, max wait in seconds) from the environment: defaults 4 and 0.1."""
    try:
        batch, wait = int(os.environ.get(MAX_BATCH_VAR, "4")), float(os.environ.get(MAX_WAIT_VAR, "0.1"))
    except ValueError:
        raise InvalidOption(f"{MAX_BATCH_VAR}={os.environ.get(MAX_BATCH_VAR)!r} and {MAX_WAIT_VAR}="
                            f"{os.environ.get(MAX_WAIT_VAR)!r} must be a whole number and seconds",
                            code="invalid_setting") from None
    if batch < 1 or wait < 0:
        raise InvalidOption(f"{MAX_BATCH_VAR} must be 1 or more and {MAX_WAIT_VAR} 0 or more, got {batch} and "
                            f"{wait}", code="invalid_setting")
    return batch, wait


@dataclass
class _Slot(Generic[J]):
    job: J
    call: Callable[[], Any] | None = None   # work to run alone on the batches' thread (Batcher.call)
    result: Any = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class Batcher(Generic[J, R]):
    """Every batch runs on one thread of the batcher's own. torch's OpenMP keeps a pool of threads per
    thread that calls it, and once the pools hold more threads than there are cores, each parallel region
    wakes its pool by futex instead of spinning: a batch led by whichever request thread came first ran
    a step 1.6x slower than the same batch on the main thread (2 cores, 8 rows). The model is loaded through
    `call`, so a worker's torch work stays on this one thread and its one pool."""

    run: Callable[[list[J]], list[R]]
    max_batch: int = 4
    max_wait: float = 0.1
    batches: list[int] = field(default_factory=list)   # sizes of the batches run, for tests and benchmarks

    def __post_init__(self) -> None:
        self._queue: list[_Slot] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, job: J) -> R:
        return self._wait(_Slot(job))

    def call(self, work: Callable[[], Any]) -> Any:
        """work() on the batches' thread, between batches (loading the model there keeps torch on it)."""
        return self._wait(_Slot(None, call=work))

    def close(self) -> None:
        """Stop the batches' thread once the jobs queued are made (it holds the model through `run`)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join()

    def _wait(self, slot: _Slot) -> Any:
        with self._cond:
            if self._closed:
                raise RuntimeError("this batcher is closed: load the engine again")
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="musicgen-batches", daemon=True)
                self._thread.start()
            self._queue.append(slot)
            self._cond.notify_all()
            while not slot.done:
                self._cond.wait()
        if slot.error is not None:
            raise slot.error
        return slot.result

    def _serve(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:   # closed, and nothing left to make
                    return
                if self._queue[0].call is None:   # the first job waits a little for others to join it
                    deadline = time.monotonic() + self.max_wait
                    while self._jobs_ahead() < self.max_batch and (left := deadline - time.monotonic()) > 0:
                        self._cond.wait(left)
                    batch = self._queue[:self._jobs_ahead()][:self.max_batch]
                else:
                    batch = self._queue[:1]
                self._queue = self._queue[len(batch):]
            self._run(batch)

    def _jobs_ahead(self) -> int:
        """Jobs at the front of the queue before any `call`."""
        n = 0
        while n < len(self._queue) and self._queue[n].call is None:
            n += 1
        return n

    def _run(self, batch: list[_Slot]) -> None:
        try:
            if batch[0].call is not None:
                batch[0].result = batch[0].call()
            else:
                for s, r in zip(batch, self.run([s.job for s in batch])):
                    s.result = r
        except BaseException as exc:   # every job of the batch hears why it failed
            for s in batch:
                s.error = exc
        finally:
            with self._cond:
                if batch[0].call is None:
                    self.batches.append(len(batch))
                for s in batch:
                    s.done = True
                self._cond.notify_all()
