"""Mastering: exact length, fades, -14 LUFS integrated, true peak <= -1 dBTP.

Loudness is BS.1770 (the K-weighting filters are pyloudnorm's, so it agrees with pyloudnorm's
meter). The true-peak limiter looks ahead: it finds inter-sample peaks on a 4x oversampled copy (a 49-tap
polyphase interpolator, as BS.1770 describes), works out the gain each sample needs, holds it, and
smooths it, so the gain dips before a peak instead of clipping it, and comes back up gently.

Speed: the costly parts (oversampling, K-weighting) run once. A gain that varies slowly scales the
oversampled peaks and the K-weighted energy by the same factor, so each gain/limit iteration after
that is a few array operations on the envelopes.

Silent input stays silent: there is no loudness to raise, so -14 LUFS cannot be reached. Nor can it
for audio whose energy is all in its peaks (isolated clicks): under a -1 dBTP ceiling such input
ends as loud as the ceiling allows. Music is never like that.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, lfilter, upfirdn

from ..contracts import Audio

TARGET_LUFS = -14.0
TOLERANCE_LU = 0.2           # stop iterating inside this; the promise is 1 LU
LIMIT_DBTP = -1.6            # where the limiter aims: headroom under the -1 dBTP promise for MP3/Vorbis overshoot
OVERSAMPLE = 4
LOOKAHEAD = 0.004            # s: the gain reaches its dip this early
RELEASE = 0.060              # s: and holds it this long after the peak
RECOVERY = 0.030             # s: then comes back up over about this long
FADE_IN = 0.010              # s: just enough to avoid a click
SILENCE = 1e-9               # peak below this is silence


def master_audio(audio: Audio, *, duration: float) -> Audio:
    rate = audio.sample_rate
    x = sanitise(audio.samples)
    x = x - np.array([x[:, c].mean() for c in range(x.shape[1])])   # DC offset: lost headroom, thumps
    x = fit_length(x, int(round(duration * rate)))
    x = apply_fades(x, rate, fade_out_seconds(duration))
    peak = float(np.abs(x).max()) if x.size else 0.0
    if peak < SILENCE:
        return Audio(np.zeros_like(x, dtype=np.float32), rate)
    x = x / peak                                       # so quiet input is not lost under the gates
    return Audio(loudness_and_peak(x, rate).astype(np.float32), rate)


def sanitise(samples: np.ndarray) -> np.ndarray:
    """Finite float64 (frames, channels); mono becomes two identical channels."""
    x = np.nan_to_num(np.asarray(samples, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[1] == 1:
        x = np.repeat(x, 2, axis=1)
    return x


def fit_length(x: np.ndarray, frames: int) -> np.ndarray:
    if x.shape[0] >= frames:
        return x[:frames].copy()
    return np.concatenate([x, np.zeros((frames - x.shape[0], x.shape[1]))])


def fade_out_seconds(duration: float) -> float:
    """About an eighth of the piece: 0.6 s at 5 s, 1.8 s at 15 s, 2.5 s from 21 s on."""
    return float(np.clip(duration * 0.12, 0.3, 2.5))


def apply_fades(x: np.ndarray, rate: int, fade_out: float) -> np.ndarray:
    n = x.shape[0]
    fin = min(n, int(FADE_IN * rate))
    fout = min(n, int(fade_out * rate))
    if fin:
        x[:fin] *= np.sin(np.linspace(0.0, np.pi / 2, fin))[:, None] ** 2
    if fout:
        # A cosine-squared curve: gentle at first, like a hand on a fader, then down to -inf.
        x[n - fout:] *= np.cos(np.linspace(0.0, np.pi / 2, fout))[:, None] ** 2
    return x


# --- measurement ------------------------------------------------------------------------------------

# 4x interpolation filter: 49 taps (about 12 per phase, as BS.1770's true-peak meter uses), odd so
# the upsampled signal lines up with the original samples after dropping 24 points.
_INTERPOLATOR = (OVERSAMPLE * firwin(49, 1 / OVERSAMPLE, window=("kaiser", 6.0))).astype(np.float32)


def sample_peaks(x: np.ndarray) -> np.ndarray:
    """Per frame, the largest |value| on any channel at the sample and the 3 points after it (4x).
    Channel-first float32 makes upfirdn about twice as fast as resample_poly on (frames, 2)."""
    n = x.shape[0]
    delay = (len(_INTERPOLATOR) - 1) // 2
    up = upfirdn(_INTERPOLATOR, np.ascontiguousarray(x.T, dtype=np.float32), up=OVERSAMPLE, axis=1)
    up = np.abs(up[:, delay: delay + n * OVERSAMPLE]).reshape(x.shape[1], n, OVERSAMPLE)
    peaks = np.abs(x[:, 0]).astype(np.float32)       # (numpy reduces over a short axis slowly:
    for channel in range(x.shape[1]):                # explicit loops over channels and phases)
        np.maximum(peaks, np.abs(x[:, channel]), out=peaks, casting="unsafe")
        for phase in range(OVERSAMPLE):
            np.maximum(peaks, up[channel, :, phase], out=peaks)
    return peaks.astype(np.float64)


def k_weighted_power(x: np.ndarray, rate: int) -> np.ndarray:
    """Per frame, the K-weighted power summed over channels (BS.1770 weights 1 for L and R)."""
    from pyloudnorm.iirfilter import IIRfilter

    shelf = IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf")
    high_pass = IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")
    power = np.zeros(x.shape[0])
    for channel in range(x.shape[1]):
        y = lfilter(shelf.b, shelf.a, x[:, channel]) * shelf.passband_gain
        y = lfilter(high_pass.b, high_pass.a, y) * high_pass.passband_gain
        power += np.square(y)
    return power


def integrated_loudness(power: np.ndarray, rate: int) -> float:
    """BS.1770-4 gated loudness from per-frame power, blocks as pyloudnorm cuts them."""
    block, hop = 0.4, 0.25        # 400 ms blocks, 75 % overlap
    count = int(np.round((power.shape[0] / rate - block) / (block * hop))) + 1
    if count < 1:
        return float("-inf")
    j = np.arange(count)
    lower = (block * (j * hop) * rate).astype(np.int64)        # pyloudnorm's int() bounds
    upper = np.minimum((block * (j * hop + 1) * rate).astype(np.int64), power.shape[0])
    cumulative = np.concatenate([[0.0], np.cumsum(power)])
    z = (cumulative[upper] - cumulative[lower]) / (block * rate)
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(z)
    gated = z[loud >= -70.0]
    if gated.size == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    gated = z[(loud > relative) & (loud > -70.0)]
    return float(-0.691 + 10 * np.log10(gated.mean())) if gated.size else float("-inf")


# --- gain and limiting ------------------------------------------------------------------------------

def limiter_gain(peaks: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    """A smooth gain <= ceiling / peak at every frame: the least gain needed over
    [i - release, i + lookahead] (hold), then two moving averages whose half-widths add up to at
    most the lookahead, so the smoothed dip still covers each peak fully. A longer average of the
    held gain, where it is lower, turns the end of each hold into a gentle ramp instead of a step."""
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    ahead = max(4, int(LOOKAHEAD * rate))
    release = int(RELEASE * rate) // 2 * 2 + ahead % 2      # ahead + release even: a centred window
    held = hold_min(need, ahead, release)
    quarter = ahead // 4
    smooth = uniform_filter1d(held, 2 * quarter + 1, mode="nearest")
    smooth = uniform_filter1d(smooth, 2 * quarter + 1, mode="nearest")
    gentle = uniform_filter1d(held, int(RECOVERY * rate) // 2 * 2 + 1, mode="nearest")
    return np.minimum(np.minimum(smooth, gentle), 1.0)


def hold_min(need: np.ndarray, ahead: int, release: int) -> np.ndarray:
    """held[i] = min(need[i - release : i + ahead + 1]), for ahead + release even."""
    padded = np.concatenate([np.ones(release), need, np.ones(ahead)])
    centre = (release + ahead) // 2
    held = minimum_filter1d(padded, size=release + ahead + 1, mode="nearest")
    return held[centre: centre + need.shape[0]]


def loudness_and_peak(x: np.ndarray, rate: int) -> np.ndarray:
    peaks = sample_peaks(x)
    power = k_weighted_power(x, rate)
    ceiling = 10 ** (LIMIT_DBTP / 20)
    gain_db = TARGET_LUFS - integrated_loudness(power, rate)
    gain = np.ones(x.shape[0])
    for _ in range(8):
        level = 10 ** (gain_db / 20)
        gain = level * limiter_gain(peaks * level, ceiling, rate)
        error = TARGET_LUFS - integrated_loudness(power * gain ** 2, rate)
        if abs(error) <= TOLERANCE_LU:
            break
        gain_db += error
    # The envelope model (peaks scale with a slowly moving gain) is close, not exact: LIMIT_DBTP
    # leaves 0.6 dB below the promised ceiling for it and for lossy codecs' overshoot.
    return x * gain[:, None]
