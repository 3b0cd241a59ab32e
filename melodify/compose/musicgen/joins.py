"""What a join between continuation windows sounds like, measured: a click is a jump between neighbouring
samples far above the music's own, a level jump is the loudness before and after differing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPAN = 0.25   # seconds either side of a join whose loudness is compared


@dataclass(frozen=True)
class Join:
    at: float           # seconds
    level_jump_db: float
    click: float        # the largest sample-to-sample step within 5 ms of the join, over the 99.9th
                        # percentile step of the half second around it (about 1 or below: no click)


def measure(samples: np.ndarray, sample_rate: int, at: float) -> Join:
    mono = samples.reshape(len(samples), -1).mean(axis=1)
    i, span = int(at * sample_rate), int(SPAN * sample_rate)
    before, after = mono[max(0, i - span):i], mono[i:i + span]

    def rms_db(x: np.ndarray) -> float:
        return 20 * np.log10(np.sqrt(np.mean(x ** 2)) + 1e-9)

    steps = np.abs(np.diff(mono[max(0, i - 2 * span):i + 2 * span]))
    near = np.abs(np.diff(mono[max(0, i - sample_rate // 200):i + sample_rate // 200]))
    typical = float(np.percentile(steps, 99.9)) + 1e-9 if len(steps) else 1e-9
    return Join(at, abs(rms_db(after) - rms_db(before)), float(near.max() / typical) if len(near) else 0.0)
