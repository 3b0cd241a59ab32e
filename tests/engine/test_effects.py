"""apply_effects: every genre's chain keeps the output's shape, is deterministic, and the chains
do what they say (lo-fi dulls the top and adds seeded vinyl noise, ambient adds a long tail)."""

import numpy as np
import pytest
from scipy.signal import welch

from melodify.compose.effects import apply_effects
from melodify.contracts import Audio
from melodify.genres import GENRE_NAMES, get_genre

RATE = 44100


def bright_stabs(seconds: float = 3.0) -> Audio:
    """Short bright chords with silence between them: tails and noise show up in the gaps."""
    t = np.arange(int(seconds * RATE)) / RATE
    saw = 2 * ((t * 330.0) % 1.0) - 1
    gate = (t % 1.0) < 0.15
    x = 0.4 * saw * gate
    return Audio(np.stack([x, 0.9 * x], axis=1).astype(np.float32), RATE)


def band_energy(x: np.ndarray, low: float, high: float) -> float:
    freqs, power = welch(x[:, 0], fs=RATE, nperseg=4096)
    return float(power[(freqs >= low) & (freqs < high)].sum())


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_effects_keep_shape_dtype_and_are_deterministic(genre):
    audio = bright_stabs()
    first = apply_effects(audio, get_genre(genre), seed=5)
    second = apply_effects(audio, get_genre(genre), seed=5)
    assert first.samples.shape == audio.samples.shape and first.samples.dtype == np.float32
    assert first.sample_rate == RATE
    assert np.isfinite(first.samples).all() and np.abs(first.samples).max() > 0.05
    assert first.samples.tobytes() == second.samples.tobytes()


def test_lofi_dulls_the_top_end():
    audio = bright_stabs()
    lofi = apply_effects(audio, get_genre("lo-fi"), seed=1).samples
    ratio_in = band_energy(audio.samples, 9000, 16000) / band_energy(audio.samples, 200, 2000)
    ratio_out = band_energy(lofi, 9000, 16000) / band_energy(lofi, 200, 2000)
    assert ratio_out < ratio_in / 10


def test_lofi_vinyl_noise_comes_from_the_seed():
    audio = bright_stabs()
    gap = slice(int(0.5 * RATE), int(0.9 * RATE))                  # between two stabs
    one = apply_effects(audio, get_genre("lo-fi"), seed=1).samples
    two = apply_effects(audio, get_genre("lo-fi"), seed=2).samples
    assert np.abs(one[gap]).max() > 1e-4                            # noise where the music is silent
    assert not np.array_equal(one, two)
    assert np.abs(one[gap]).max() < 0.1 * np.abs(one).max()         # under the music, not over it


def test_ambient_reverb_rings_into_the_gaps_more_than_jazz_room():
    audio = bright_stabs()
    gap = slice(int(0.4 * RATE), int(0.9 * RATE))
    dry = np.sqrt(np.mean(audio.samples[gap] ** 2))
    ambient = np.sqrt(np.mean(apply_effects(audio, get_genre("ambient"), seed=0).samples[gap] ** 2))
    jazz = np.sqrt(np.mean(apply_effects(audio, get_genre("jazz"), seed=0).samples[gap] ** 2))
    assert dry == 0 and ambient > 2 * jazz > 0


def test_rock_compressor_narrows_the_dynamics():
    t = np.arange(2 * RATE) / RATE
    loud_quiet = np.sin(2 * np.pi * 220 * t) * np.where(t < 1.0, 0.9, 0.05)
    audio = Audio(np.stack([loud_quiet, loud_quiet], axis=1).astype(np.float32), RATE)
    out = apply_effects(audio, get_genre("rock"), seed=0).samples
    def level(x, a, b):
        return np.sqrt(np.mean(x[int(a * RATE): int(b * RATE), 0] ** 2))
    assert level(out, 0.5, 0.9) / level(out, 1.5, 1.9) < 0.8 * level(audio.samples, 0.5, 0.9) / level(
        audio.samples, 1.5, 1.9)

