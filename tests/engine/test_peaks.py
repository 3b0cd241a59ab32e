import json

import numpy as np

from melodify.contracts import Audio
from melodify.master.peaks import waveform_peaks


def test_peaks_are_exactly_points_values_in_0_1_with_3_decimals():
    x = np.random.default_rng(0).uniform(-1, 1, (44100 * 15, 2)).astype(np.float32) * 0.7
    peaks = waveform_peaks(Audio(x, 44100))
    assert len(peaks) == 500 and all(0.0 <= p <= 1.0 for p in peaks)
    assert all(round(p, 3) == p for p in peaks)
    json.dumps(peaks)


def test_peaks_follow_the_loudest_channel_in_each_bucket():
    x = np.zeros((1000, 2), np.float32)
    x[0, 0] = 0.25
    x[550, 1] = -0.8
    peaks = waveform_peaks(Audio(x, 44100), points=10)
    assert peaks == [0.25, 0.0, 0.0, 0.0, 0.0, 0.8, 0.0, 0.0, 0.0, 0.0]


def test_peaks_of_audio_shorter_than_points_and_of_broken_audio():
    assert len(waveform_peaks(Audio(np.full((3, 2), 0.5, np.float32), 44100), points=8)) == 8
    broken = np.array([[np.nan, 2.0], [np.inf, -0.1]], np.float32)
    assert waveform_peaks(Audio(broken, 44100), points=2) == [1.0, 1.0]
