"""Jobs in, audio out: one batch of jobs decoded together, window after window.

A window is at most 30 s of codes (what MusicGen was trained on). A longer piece continues as audiocraft
does: the last 12 s of codes prompt the next window, which adds up to 18 s. All of a job's codes are
decoded by the codec in one pass at the end, so a join is one continuous
code stream, not two audio files glued together (`joins.py` measures that nothing can be heard there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from .decode import Sampling, generate_codes
from .model import Loaded

WINDOW = 30.0        # seconds of codes the model sees at once
STRIDE = 18.0        # new seconds per continuation window; the other 12 s prompt it
STREAM_EVERY = 2.0   # seconds of new audio per streamed chunk
STREAM_CONTEXT = 1.0 # seconds of codes decoded before a chunk, so the codec's state has settled there


@dataclass
class Job:
    text: str
    seconds: float
    seed: int
    chroma: torch.Tensor | None = None                    # (chroma frames, 12) one-hot melody over the piece
    on_progress: Callable[[float], None] | None = None    # fraction of the job's frames decoded
    on_audio: Callable[[np.ndarray, int], None] | None = None   # streamed (samples, channels) from offset


@dataclass
class Made:
    audio: np.ndarray          # (samples, channels) float32
    sample_rate: int
    joins: list[float] = field(default_factory=list)   # seconds where a continuation window began adding


def generate(loaded: Loaded, jobs: list[Job], sampling: Sampling = Sampling()) -> list[Made]:
    """Each job's audio, its length its own, its randomness from its own seed."""
    device = loaded.device
    generators = [torch.Generator(device=device).manual_seed(job.seed) for job in jobs]
    total = [loaded.frames(job.seconds) for job in jobs]
    window = min(loaded.frames(WINDOW), loaded.max_positions - loaded.decoder.codebooks - prefix_room(loaded))
    stride = min(loaded.frames(STRIDE), window)
    codes: list[torch.Tensor | None] = [None] * len(jobs)
    joins: list[list[float]] = [[] for _ in jobs]
    streams = [Stream(loaded, job) if job.on_audio else None for job in jobs]
    while True:
        live = [i for i, job in enumerate(jobs) if codes[i] is None or codes[i].shape[1] < total[i]]
        if not live:
            break
        prompts = [None if codes[i] is None else codes[i][:, -(window - stride):] for i in live]
        have = [0 if codes[i] is None else codes[i].shape[1] for i in live]
        frames = [min(window, (p.shape[1] if p is not None else 0) + total[i] - h)
                  for i, p, h in zip(live, prompts, have)]
        for i, h in zip(live, have):
            if h:
                joins[i].append(h / loaded.frame_rate)
        starts = [h - (p.shape[1] if p is not None else 0) for h, p in zip(have, prompts)]
        condition = loaded.condition([jobs[i].text for i in live],
                                     [window_chroma(loaded, jobs[i].chroma, s) for i, s in zip(live, starts)]
                                     if loaded.melody else None, sampling.guidance)

        def on_step(step: int, steps: int) -> None:
            for i, h, f, p in zip(live, have, frames, prompts):
                new = f - (p.shape[1] if p is not None else 0)
                if jobs[i].on_progress:
                    jobs[i].on_progress(min(1.0, (h + new * step / steps) / total[i]))

        def on_frames(so_far: torch.Tensor, done: int) -> None:
            for row, (i, s) in enumerate(zip(live, starts)):
                if streams[i]:
                    streams[i].feed(so_far[row, :, :min(done, frames[row])], s, total[i])

        got = generate_codes(loaded.decoder, condition, frames=frames, generators=[generators[i] for i in live],
                             sampling=sampling, prompt=prompts, on_step=on_step,
                             on_frames=on_frames if any(streams[i] for i in live) else None,
                             frames_every=max(1, round(STREAM_EVERY * loaded.frame_rate)))
        for i, h, p, new in zip(live, have, prompts, got):
            keep = new[:, (p.shape[1] if p is not None else 0):]
            codes[i] = keep if codes[i] is None else torch.cat([codes[i], keep], dim=1)
    loaded.decoder.cache = []   # the cache is for one batch: let it go between jobs
    audio = loaded.decode_jobs(codes)
    return [Made(samples(a)[:round(job.seconds * loaded.sample_rate)], loaded.sample_rate, j)
            for a, j, job in zip(audio, joins, jobs)]


def prefix_room(loaded: Loaded) -> int:
    """Positions the melody model's condition takes before the codes (chroma frames + up to 64 text tokens)."""
    return loaded.chroma.length + 64 if loaded.melody else 0


def audio_of(loaded: Loaded, codes: torch.Tensor) -> np.ndarray:
    return samples(loaded.decode(codes[None])[0])


def samples(audio: torch.Tensor) -> np.ndarray:
    """(channels, samples) audio as a (samples, channels) float32 array."""
    return audio.T.cpu().numpy().astype(np.float32)


def window_chroma(loaded: Loaded, chroma: torch.Tensor | None, start_frame: int) -> torch.Tensor | None:
    """The melody's chroma for the window that starts at code frame `start_frame`."""
    if chroma is None:
        return None
    rate = loaded.chroma.sample_rate / loaded.chroma.hop
    first = int(start_frame / loaded.frame_rate * rate)
    part = chroma[first:first + loaded.chroma.length]
    return part if len(part) else chroma[-1:]


class Stream:
    """Decodes a job's codes into audio chunks while they are made: each chunk after a second of codes
    as context, so it follows the one before without the codec starting cold."""

    def __init__(self, loaded: Loaded, job: Job) -> None:
        self.loaded, self.job, self.sent = loaded, job, 0
        self.context = round(STREAM_CONTEXT * loaded.frame_rate)

    def feed(self, codes: torch.Tensor, start: int, total: int) -> None:
        """`codes` are the window's frames so far; the window starts at piece frame `start`."""
        end = min(start + codes.shape[1], total)
        if end <= self.sent:
            return
        first = max(0, self.sent - self.context - start)
        audio = audio_of(self.loaded, codes[:, first:end - start])
        hop = audio.shape[0] / (end - start - first)
        skip = int(round((self.sent - start - first) * hop))
        self.job.on_audio(audio[skip:], self.loaded.sample_rate)
        self.sent = end
