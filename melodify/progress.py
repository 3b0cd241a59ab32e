"""Progress is injected, not printed: every stage reports `(stage, fraction)` to a callback."""

from __future__ import annotations

import time
from typing import Callable

ProgressCallback = Callable[[str, float], None]

STAGES: tuple[str, ...] = ("read", "brief", "compose", "master")

# Rough share of wall time per stage on the embedded engines; used to turn
# (stage, fraction) into one overall figure for a progress bar or a percent field.
STAGE_WEIGHTS: dict[str, float] = {"read": 0.15, "brief": 0.05, "compose": 0.55, "master": 0.25}


def no_progress(stage: str, fraction: float) -> None:
    """The default callback: ignore progress."""


def overall(stage: str, fraction: float, weights: dict[str, float] = STAGE_WEIGHTS) -> float:
    """Overall completion 0..1 given the current stage and its own fraction done."""
    done = 0.0
    total = sum(weights.values())
    for name in STAGES:
        if name == stage:
            return min(1.0, (done + weights[name] * max(0.0, min(1.0, fraction))) / total)
        done += weights[name]
    raise ValueError(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")


class Laps:
    """Seconds per stage: each call records the time since the one before (or since it was made)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._clock = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage], self._clock = round(now - self._clock, 4), now
