"""The genre's sound after the sampler: each genre's `effects` (a chain of pedalboard plugins as
data, see chains.py) played over the audio.

FluidSynth already adds its own reverb and chorus through each part's sends (a medium room), and
the sampler's guitars are overdriven in the samples, so these chains stay light: lo-fi's worn tape,
a bus compressor's glue for band genres, a big hall for ambient and cinematic, a little extra room
for acoustic genres. Mastering sets the final level, so no chain worries about its output gain.

Deterministic: plugins are built fresh for every call (no state carried between tracks) and the
only randomness, lo-fi's vinyl noise, comes from the track's seed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pedalboard
from scipy.signal import lfilter

from ..contracts import Audio
from ..genres import Genre


def apply_effects(audio: Audio, genre: Genre, seed: int) -> Audio:
    """The genre's chain applied to the audio; same audio, genre and seed give the same samples."""
    x = np.ascontiguousarray(audio.samples, dtype=np.float32)
    plugins: list[pedalboard.Plugin] = []
    for name, params in genre.effects:
        if name == "vinyl":
            x = run_board(x, plugins, audio.sample_rate)
            plugins = []
            x = add_vinyl(x, audio.sample_rate, seed, **params)
        else:
            plugins.append(getattr(pedalboard, name)(**params))
    x = run_board(x, plugins, audio.sample_rate)
    return replace(audio, samples=np.ascontiguousarray(x, dtype=np.float32))


def run_board(x: np.ndarray, plugins: list, rate: int) -> np.ndarray:
    """pedalboard takes (channels, frames) for 2-D input; ours is (frames, channels)."""
    if not plugins:
        return x
    return pedalboard.Pedalboard(plugins)(np.ascontiguousarray(x.T), rate, reset=True).T


def add_vinyl(x: np.ndarray, rate: int, seed: int, *, hiss_db: float, crackles_per_second: float,
              crackle_db: float) -> np.ndarray:
    """Record-surface noise under the music: soft hiss and sparse clicks, from the track's seed,
    relative to the music's peak so it sits the same under quiet and loud tracks."""
    rng = np.random.default_rng(seed)
    frames, channels = x.shape
    peak = float(np.abs(x).max()) or 1.0
    out = x.copy()
    for channel in range(channels):
        hiss = rng.standard_normal(frames, dtype=np.float32)
        hiss = lfilter([0.25], [1.0, -0.75], hiss)               # one-pole low-pass: warmer hiss
        out[:, channel] += (peak * 10 ** (hiss_db / 20) / 0.378) * hiss  # 0.378: its std after the filter
    ring = 0.6 ** np.arange(24, dtype=np.float32)                  # a click rings for half a millisecond
    count = rng.poisson(crackles_per_second * frames / rate)
    for start, channel, amplitude in zip(rng.integers(0, frames - len(ring), size=count),
                                         rng.integers(0, channels, size=count),
                                         rng.uniform(-1.0, 1.0, size=count)):
        out[start:start + len(ring), channel] += peak * 10 ** (crackle_db / 20) * amplitude * ring
    return out
