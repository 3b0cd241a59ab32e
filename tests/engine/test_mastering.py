"""master_audio: exact length, fades, -14 LUFS, true peak <= -1 dBTP, measured with pyloudnorm and
4x resample_poly, on loud, quiet, clipping, broken and silent input."""

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from melodify.contracts import Audio
from melodify.master.mastering import master_audio

RATE = 44100


def loudness(x: np.ndarray) -> float:
    return pyloudnorm.Meter(RATE).integrated_loudness(x.astype(np.float64))


def true_peak_db(x: np.ndarray) -> float:
    return 20 * np.log10(np.abs(resample_poly(x.astype(np.float64), 4, 1, axis=0)).max())


def music(seconds: float = 16.0, seed: int = 0) -> np.ndarray:
    """A stand-in mix: decaying plucked chords, a kick with sharp transients, and noise hats."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    beat = (t % 0.5)
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6)) * np.exp(-beat * 4) * 0.2
    kick = np.sin(2 * np.pi * 55 * t * (1 + 2 * np.exp(-beat * 30))) * np.exp(-beat * 12) * 0.6
    hats = rng.normal(0, 1, t.size) * np.exp(-((t + 0.25) % 0.5) * 60) * 0.1
    left, right = chord + kick + hats, 0.8 * chord + kick + 1.2 * hats
    return np.stack([left, right], axis=1).astype(np.float32)


CASES = {
    "normal": music(),
    "loud": music() * 8.0,
    "quiet": music() * 0.001,
    "clipping": np.clip(music() * 20.0, -1.0, 1.0),
    # Full-scale one-sample spikes over a quiet mix: needs some 20 dB of peak limiting.
    "spiky": np.where(np.arange(16 * RATE)[:, None] % 11025 == 0, 1.0, 0.0).astype(np.float32) + music() * 0.05,
}


@pytest.mark.parametrize("name", list(CASES))
def test_master_reaches_minus_14_lufs_and_minus_1_dbtp(name):
    out = master_audio(Audio(CASES[name], RATE), duration=15.0).samples
    assert abs(loudness(out) - (-14.0)) <= 1.0, name
    assert true_peak_db(out) <= -1.0, name


def test_master_cuts_to_the_exact_sample_and_pads_short_audio():
    assert master_audio(Audio(music(16.0), RATE), duration=15.0).samples.shape == (15 * RATE, 2)
    assert master_audio(Audio(music(4.0), RATE), duration=5.3).samples.shape == (int(round(5.3 * RATE)), 2)


def test_master_fades_out_at_the_end_and_in_without_a_click():
    out = master_audio(Audio(np.clip(music() * 4, -1, 1), RATE), duration=15.0).samples
    middle = np.sqrt(np.mean(out[7 * RATE: 8 * RATE] ** 2))
    last = np.sqrt(np.mean(out[-RATE // 20:] ** 2))
    assert last < middle / 100                               # last 50 ms: more than 40 dB down
    assert np.abs(out[:10]).max() < 0.01 * np.abs(out).max()   # starts from silence, no click
    # The fade is gradual: a second before the end the music is still clearly there.
    assert np.sqrt(np.mean(out[-int(1.2 * RATE): -RATE] ** 2)) > middle / 10


def test_master_replaces_nan_and_inf_with_silence_and_still_hits_the_targets():
    x = music()
    x[1000:2000] = np.nan
    x[5000, 0] = np.inf
    x[6000, 1] = -np.inf
    out = master_audio(Audio(x, RATE), duration=15.0).samples
    assert np.isfinite(out).all()
    assert abs(out[1000:2000]).max() < 0.05
    assert abs(loudness(out) + 14.0) <= 1.0 and true_peak_db(out) <= -1.0


def test_master_removes_dc_offset():
    out = master_audio(Audio(music() + np.float32(0.3), RATE), duration=15.0).samples
    assert abs(out.mean(axis=0)).max() < 1e-3


def test_mono_input_comes_out_stereo_with_equal_channels():
    out = master_audio(Audio(music()[:, 0], RATE), duration=15.0).samples
    assert out.shape == (15 * RATE, 2) and np.array_equal(out[:, 0], out[:, 1])


def test_silent_input_stays_silent_without_errors():
    # No loudness to raise: -14 LUFS cannot be reached, and nothing divides by zero.
    out = master_audio(Audio(np.zeros((RATE, 2), np.float32), RATE), duration=15.0)
    assert out.samples.shape == (15 * RATE, 2) and out.samples.dtype == np.float32
    assert not out.samples.any()


def test_master_is_deterministic():
    a = master_audio(Audio(music(), RATE), duration=15.0).samples
    b = master_audio(Audio(music(), RATE), duration=15.0).samples
    assert a.tobytes() == b.tobytes()
