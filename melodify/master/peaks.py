"""The waveform the player draws: one peak per bucket, small enough to send as JSON."""

from __future__ import annotations

import numpy as np

from ..contracts import Audio


def waveform_peaks(audio: Audio, points: int = 500) -> list[float]:
    """Max |sample| over all channels per bucket, 0..1, 3 decimals, exactly `points` values.
    Buckets split the frames as evenly as possible; with fewer frames than points some are empty (0)."""
    if points < 1:
        raise ValueError(f"points must be at least 1, got {points!r}")
    samples = np.nan_to_num(np.asarray(audio.samples, dtype=np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
    if samples.ndim == 1:
        samples = samples[:, None]
    level = np.abs(samples[:, 0])
    for channel in range(1, samples.shape[1]):       # column by column: numpy's max(axis=1) is slow
        np.maximum(level, np.abs(samples[:, channel]), out=level)
    edges = np.linspace(0, level.shape[0], points + 1).astype(np.int64)
    starts, ends = edges[:-1], edges[1:]
    peaks = np.zeros(points, dtype=np.float64)
    full = ends > starts
    if full.any():   # empty buckets have start == end == the next start, so the ranges still tile
        peaks[full] = np.maximum.reduceat(level, starts[full])
    return [round(float(min(1.0, p)), 3) for p in peaks]
