"""The melody condition for musicgen-melody: the embedded composer's score for the same brief, played,
and turned into chroma as the model's feature extractor does (power spectrogram, chroma filter bank,
the loudest pitch class per frame as one-hot). Computed here with torch.stft, so it needs no torchaudio."""

from __future__ import annotations

import numpy as np
import torch

from ...contracts import MusicBrief
from .model import Chroma


def chroma_of(samples: np.ndarray, settings: Chroma) -> torch.Tensor:
    """(samples,) or (samples, channels) audio at settings.sample_rate -> (frames, 12) one-hot chroma."""
    from transformers.audio_utils import chroma_filter_bank

    wave = torch.from_numpy(np.asarray(samples, dtype=np.float32).reshape(len(samples), -1).mean(axis=1))
    if wave.shape[0] < settings.n_fft:
        pad = settings.n_fft - wave.shape[0]
        wave = torch.nn.functional.pad(wave, (pad // 2, pad - pad // 2))
    window = torch.hann_window(settings.n_fft)
    spec = torch.stft(wave, settings.n_fft, settings.hop, window=window, center=True, pad_mode="reflect",
                      return_complex=True).abs() ** 2
    bank = torch.from_numpy(chroma_filter_bank(num_frequency_bins=settings.n_fft, num_chroma=12,
                                               sampling_rate=settings.sample_rate, tuning=0)).float()
    raw = bank @ spec                                   # (12, frames)
    one_hot = torch.zeros_like(raw.T)
    one_hot.scatter_(1, raw.T.argmax(-1, keepdim=True), 1.0)
    return one_hot


def score_chroma(brief: MusicBrief, settings: Chroma) -> torch.Tensor:
    """The chroma of the embedded composer's score for `brief`, played on its SoundFont."""
    from ..render import render_score
    from ..score import write_score

    audio, _ = render_score(write_score(brief), sample_rate=settings.sample_rate)
    return chroma_of(audio.samples, settings)
