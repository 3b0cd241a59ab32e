"""The MusicGen composer: Meta's open-weight text-to-music model (facebook/musicgen-*) makes the music
from the brief's prompt, through our own decode loop (melodify.compose.musicgen), loaded once per process
(melodify.engines.load_engine keeps it warm) and shared by concurrent jobs, which it runs as one batch.

With musicgen-melody, the embedded composer's score for the same brief is played and passed as the
melody (its chroma), so the brief's key, tempo and form hold while MusicGen supplies the sound."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import numpy as np

from ...contracts import Audio, MusicBrief, Performance
from ...errors import InvalidOption
from ...progress import ProgressCallback, no_progress
from ..musicgen.batching import Batcher, settings
from ..musicgen.decode import Sampling
from ..musicgen.generate import Job, generate
from ..musicgen.model import load

DEFAULT_MODEL = "facebook/musicgen-small"
TEXTS = ("prompt", "description")
TRACK_RATE = 44100


class MusicgenComposer:
    name = "musicgen"
    streams = True     # compose() takes on_audio: the first seconds before the rest is made

    def __init__(self, model: str | None = None, device: str | None = "auto", precision: str | None = None,
                 text: str = "prompt", guidance: str | float = 3.0) -> None:
        if text not in TEXTS:
            raise InvalidOption(f"the musicgen composer's text must be one of {', '.join(TEXTS)}, not {text!r}",
                                code="invalid_option")
        self.text = text
        try:
            self.sampling = Sampling(guidance=float(guidance))
        except ValueError:
            raise InvalidOption(f"the musicgen composer's guidance must be a number (3.0 is usual), not "
                                f"{guidance!r}", code="invalid_option") from None
        max_batch, max_wait = settings()
        self.lock = threading.Lock()    # one batch at a time on the model
        self.batcher = Batcher(self._run, max_batch=max_batch, max_wait=max_wait)
        # loaded on the batches' thread: torch then works on one thread in this process (batching.py)
        self.loaded = self.batcher.call(lambda: load(model or DEFAULT_MODEL, device, precision))
        self.model = self.loaded.model

    def close(self) -> None:
        """On release (melodify.engines.release): the batches' thread goes, and with it the model."""
        self.batcher.close()

    def _run(self, jobs: list[Job]) -> list:
        with self.lock:
            return generate(self.loaded, jobs, self.sampling)

    def job(self, brief: MusicBrief, progress: ProgressCallback, on_audio: Callable[[np.ndarray, int], None] | None = None) -> Job:
        chroma = None
        if self.loaded.melody:
            from ..musicgen.chroma import score_chroma

            chroma = score_chroma(brief, self.loaded.chroma)
        progress("compose", 0.05)
        text = brief.prompt if self.text == "prompt" else brief.description
        return Job(text=text, seconds=brief.duration, seed=brief.seed, chroma=chroma,
                   on_progress=lambda f: progress("compose", 0.05 + 0.9 * f), on_audio=on_audio)

    def compose(self, brief: MusicBrief, *, progress: ProgressCallback = no_progress,
                on_audio: Callable[[np.ndarray, int], None] | None = None) -> Performance:
        """The brief's music; `on_audio(samples, sample_rate)` hears each chunk as it is made."""
        made = self.batcher.submit(self.job(brief, progress, on_audio))
        return Performance(audio=as_track(made.audio, made.sample_rate), score=None, model=self.model,
                           engine=self.name)


def prepare(device: str | None) -> None:
    """At a worker's start (melodify.engines.prepare): on the CPU, build the decoder's and codec's kernels,
    about a minute on 2 cores the first time on a machine, so the first job does not wait for them."""
    from ...hf import pick_device

    if pick_device(device) == "cpu":
        from ..musicgen import native

        native.prepare()


def as_track(samples: np.ndarray, rate: int) -> Audio:
    """The codec's audio (32 kHz, mono or stereo) as every engine's: 44.1 kHz stereo float32."""
    from scipy.signal import resample_poly

    common = math.gcd(TRACK_RATE, rate)
    out = resample_poly(samples, TRACK_RATE // common, rate // common, axis=0).astype(np.float32)
    return Audio(np.repeat(out, 2, axis=1) if out.shape[1] == 1 else out, TRACK_RATE)
