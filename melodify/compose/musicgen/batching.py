"""Concurrent jobs for one model made in one call: the first job to arrive waits up to `max_wait` seconds
for others (up to `max_batch`), then runs them all as one batch while later arrivals gather for the
next. A decoding step costs about the same for 1 row as for 8 on a CPU or GPU, since it is bound by
reading the weights, so a batch of 4 takes little longer than one job."""

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
    result: Any = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class Batcher(Generic[J, R]):
    run: Callable[[list[J]], list[R]]
    max_batch: int = 4
    max_wait: float = 0.1
    batches: list[int] = field(default_factory=list)   # sizes of the batches run, for tests and benchmarks

    def __post_init__(self) -> None:
        self._queue: list[_Slot] = []
        self._busy = False
        self._cond = threading.Condition()

    def submit(self, job: J) -> R:
        slot = _Slot(job)
        with self._cond:
            self._queue.append(slot)
            self._cond.notify_all()
        while True:
            with self._cond:
                while self._busy and not slot.done:
                    self._cond.wait()
                if slot.done:
                    break
                self._busy = True      # this thread leads the next batch
                deadline = time.monotonic() + self.max_wait
                while len(self._queue) < self.max_batch and (left := deadline - time.monotonic()) > 0:
                    self._cond.wait(left)
                batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
            self._run(batch)
        if slot.error is not None:
            raise slot.error
        return slot.result

    def _run(self, batch: list[_Slot]) -> None:
        try:
            results = self.run([s.job for s in batch])
            for s, r in zip(batch, results):
                s.result = r
        except BaseException as exc:   # every job of the batch hears why it failed
            for s in batch:
                s.error = exc
        finally:
            with self._cond:
                self.batches.append(len(batch))
                for s in batch:
                    s.done = True
                self._busy = False
                self._cond.notify_all()
