"""The genre's sound after the sampler: a chain of pedalboard plugins per genre, as data.

FluidSynth already adds its own reverb and chorus through each part's sends (a medium room), and
the sampler's guitars are overdriven in the samples, so these chains stay light: lo-fi's worn tape,
a bus compressor's glue for band genres, a big hall for ambient and cinematic, a little extra room
for acoustic genres. Mastering sets the final level, so no chain worries about its output gain.

Deterministic: plugins are built fresh for every call (no state carried between tracks) and the
only randomness, lo-fi's vinyl noise, comes from the track's seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pedalboard
from scipy.signal import lfilter

from ..contracts import Audio
from ..genres import get_genre

Spec = tuple[str, dict[str, Any]]      # (pedalboard class name, its parameters) or ("vinyl", {...})

RUMBLE: Spec = ("HighpassFilter", {"cutoff_frequency_hz": 30.0})
# pedalboard's (JUCE's) Reverb scales dry by 2 and wet by 3: dry_level 0.5 leaves the music at unity.
ROOM: Spec = ("Reverb", {"room_size": 0.35, "damping": 0.6, "wet_level": 0.06, "dry_level": 0.5, "width": 0.9})
GLUE: Spec = ("Compressor", {"threshold_db": -18.0, "ratio": 2.5, "attack_ms": 15.0, "release_ms": 150.0})
AIR: Spec = ("HighShelfFilter", {"cutoff_frequency_hz": 9000.0, "gain_db": 1.5})

CHAINS: dict[str, tuple[Spec, ...]] = {
    "lo-fi": (
        RUMBLE,
        ("Chorus", {"rate_hz": 0.5, "depth": 0.12, "centre_delay_ms": 4.0, "feedback": 0.0, "mix": 0.3}),  # wow
        ("Distortion", {"drive_db": 5.0}),                                   # soft tape saturation
        ("Bitcrush", {"bit_depth": 11.0}),
        # Dull, like worn tape, after the crunch so it is dulled too; pedalboard's low-pass is
        # first order (6 dB/octave), so two of them.
        ("LowpassFilter", {"cutoff_frequency_hz": 6500.0}),
        ("LowpassFilter", {"cutoff_frequency_hz": 6500.0}),
        ("vinyl", {"hiss_db": -46.0, "crackles_per_second": 6.0, "crackle_db": -30.0}),
    ),
    "hip-hop": (RUMBLE, ("Compressor", {"threshold_db": -20.0, "ratio": 3.0, "attack_ms": 20.0, "release_ms": 120.0})),
    "rock": (RUMBLE, GLUE, AIR),
    "punk": (RUMBLE, ("Compressor", {"threshold_db": -20.0, "ratio": 3.0, "attack_ms": 10.0, "release_ms": 100.0})),
    "metal": (
        RUMBLE,
        ("Compressor", {"threshold_db": -20.0, "ratio": 3.5, "attack_ms": 8.0, "release_ms": 90.0}),
        ("LowShelfFilter", {"cutoff_frequency_hz": 120.0, "gain_db": 1.5}),
    ),
    "pop": (RUMBLE, GLUE, AIR),
    "k-pop": (RUMBLE, GLUE, AIR),
    "r&b": (RUMBLE, GLUE, ROOM),
    "funk": (RUMBLE, GLUE),
    "latin": (RUMBLE, GLUE, ROOM),
    "electronic": (
        RUMBLE,
        ("Compressor", {"threshold_db": -20.0, "ratio": 3.0, "attack_ms": 25.0, "release_ms": 180.0}),
        ("Reverb", {"room_size": 0.5, "damping": 0.5, "wet_level": 0.08, "dry_level": 0.5, "width": 1.0}),
    ),
    "house": (
        RUMBLE,
        ("Compressor", {"threshold_db": -20.0, "ratio": 3.5, "attack_ms": 30.0, "release_ms": 200.0}),
        AIR,
    ),
    "synthwave": (
        RUMBLE,
        ("Chorus", {"rate_hz": 0.6, "depth": 0.25, "centre_delay_ms": 7.0, "feedback": 0.0, "mix": 0.35}),
        ("Reverb", {"room_size": 0.75, "damping": 0.4, "wet_level": 0.12, "dry_level": 0.5, "width": 1.0}),
    ),
    "ambient": (
        RUMBLE,
        ("Reverb", {"room_size": 0.92, "damping": 0.35, "wet_level": 0.22, "dry_level": 0.45, "width": 1.0}),
    ),
    "cinematic": (
        RUMBLE,
        ("Reverb", {"room_size": 0.85, "damping": 0.45, "wet_level": 0.17, "dry_level": 0.5, "width": 1.0}),
    ),
    "classical": (RUMBLE, ROOM),
    "jazz": (RUMBLE, ROOM),
    "blues": (RUMBLE, ROOM),
    "folk": (RUMBLE, ROOM),
    "country": (RUMBLE, ROOM),
}


def apply_effects(audio: Audio, genre: str, seed: int) -> Audio:
    """The genre's chain applied to the audio; same audio, genre and seed give the same samples."""
    chain = CHAINS.get(get_genre(genre).name, (RUMBLE,))
    x = np.ascontiguousarray(audio.samples, dtype=np.float32)
    plugins: list[pedalboard.Plugin] = []
    for name, params in chain:
        if name == "vinyl":
            x = run_board(x, plugins, audio.sample_rate)
            plugins = []
            x = add_vinyl(x, audio.sample_rate, seed, **params)
        else:
            plugins.append(getattr(pedalboard, name)(**params))
    x = run_board(x, plugins, audio.sample_rate)
    return Audio(np.ascontiguousarray(x, dtype=np.float32), audio.sample_rate)


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
