"""Engines for tests, registered like any other engine through the `test_engines` fixture (which puts
the registry back afterwards), or in a server or worker process by MELODIFY_ENGINE_MODULES=tests.engines:
one that crashes (a bug in an engine), ones that fail in each error kind, one that looks at the Track row
while it composes, and a non-commercial composer."""

from __future__ import annotations

import os
import signal
import threading
import time

from melodify.brief.engines.embedded import RuleBriefer
from melodify.compose.engines.embedded import EmbeddedComposer
from melodify.engines import EngineSpec, Licence
from melodify.errors import NotConfigured, TransientError

CRASHES: list[str] = []
BUILT: list[str] = []
NON_COMMERCIAL = Licence("CC-BY-NC-4.0", "https://creativecommons.org/licenses/by-nc/4.0/", commercial=False)


class CrashingReader:
    name = "crashing"

    def read(self, image, *, format, size, progress):
        raise RuntimeError("reader bug: secret internals /srv/melodify/reader.py line 12")


class CrashingComposer:
    name = "crashing"

    def compose(self, brief, *, progress):
        CRASHES.append(brief.genre)
        raise RuntimeError("composer bug: secret internals /srv/melodify/composer.py line 34")


class RateLimitedComposer:
    name = "rate-limited"

    def compose(self, brief, *, progress):
        CRASHES.append(brief.genre)
        raise TransientError("the music service is busy (429); trying again shortly", code="rate_limited",
                             retry_after=7)


class FlakyComposer(EmbeddedComposer):
    """Busy the first time it is asked for each brief (per process), fine the next: a job system that
    retries a passing fault finishes the track on the second attempt."""

    name = "flaky"
    asked: set[int] = set()

    def compose(self, brief, *, progress):
        if brief.seed not in FlakyComposer.asked:
            FlakyComposer.asked.add(brief.seed)
            raise TransientError("the composer is busy; trying again shortly", code="busy", retry_after=1)
        return super().compose(brief, progress=progress)


class SlowComposer(EmbeddedComposer):
    """The embedded composer after MELODIFY_TEST_SLOW_SECONDS (default 6) of silence: a long job to
    kill or stop in the middle. It reports no progress meanwhile, so only the heartbeat keeps it alive."""

    name = "slow"

    def compose(self, brief, *, progress):
        time.sleep(float(os.environ.get("MELODIFY_TEST_SLOW_SECONDS", "6")))
        return super().compose(brief, progress=progress)


class SteadyComposer(EmbeddedComposer):
    """The embedded composer after MELODIFY_TEST_STEADY_SECONDS (default 6) of steps, each reported as
    progress and streamed as a preview chunk, as a model decoding step by step does: a long job that can
    stop at any step, leaving partial files behind unless they are removed."""

    name = "steady"
    streams = True

    def compose(self, brief, *, progress, on_audio=None):
        import numpy as np

        seconds = float(os.environ.get("MELODIFY_TEST_STEADY_SECONDS", "6"))
        steps = max(1, round(seconds / 0.1))
        for step in range(steps):
            progress("compose", 0.25 * step / steps)
            if on_audio and step % 10 == 0:
                on_audio(np.zeros((4410, 2), dtype=np.float32), 44100)
            time.sleep(seconds / steps)
        return super().compose(brief, progress=progress)


class HangingComposer:
    """Writes half a track, then hangs: only a time limit ends it."""

    name = "hanging"

    def compose(self, brief, *, progress):
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from melodify_web.tracks.models import Track, track_file_name

        track = Track.objects.filter(status="running").first()
        default_storage.save(track_file_name(track, "track.mp3"), ContentFile(b"ID3 half a track"))
        self.hang()

    def hang(self):
        while True:
            time.sleep(0.1)


class NativeHangComposer(HangingComposer):
    """Writes half a track, then hangs in C (a library deadlocked on its own mutex, the interpreter lock
    released): no Python signal handler runs again in that thread, so only killing the process ends it."""

    name = "native-hang"

    def hang(self):
        import ctypes

        libc = ctypes.CDLL(None)
        mutex = ctypes.create_string_buffer(64)   # all zeros: PTHREAD_MUTEX_INITIALIZER, a normal mutex
        libc.pthread_mutex_lock(mutex)
        libc.pthread_mutex_lock(mutex)           # waits for itself forever; signals do not end the wait


class WorkerKillingComposer:
    """Kills the process it runs in, every time (a segfault in a native library, say)."""

    name = "worker-killing"

    def compose(self, brief, *, progress):
        os.kill(os.getpid(), signal.SIGKILL)


class UnconfiguredComposer:
    name = "unconfigured"

    def compose(self, brief, *, progress):
        CRASHES.append(brief.genre)
        raise NotConfigured("the music service needs MUSIC_API_KEY set", code="engine_unavailable")


class SignedBriefer(RuleBriefer):
    """The rules briefer, but its words are its own: an edit must come back to it to keep them."""

    name = "signed"

    def write(self, reading, *, seed, duration, genre=None):
        return self._signed(super().write(reading, seed=seed, duration=duration, genre=genre))

    def edit(self, brief, reading, edits):
        return self._signed(super().edit(brief, reading, edits))

    def _signed(self, brief):
        return brief.model_copy(update={"engine": self.name, "description": f"Signed: {brief.tempo} bpm."})


class PeekingComposer(EmbeddedComposer):
    """The embedded composer, noting the row of the track being made each time it reports progress."""

    name = "peeking"
    seen: list[dict] = []

    def compose(self, brief, *, progress):
        from melodify_web.tracks.models import Track

        def peek(stage: str, fraction: float) -> None:
            progress(stage, fraction)
            row = Track.objects.filter(status="running").values("stage", "percent", "reading", "brief").first()
            PeekingComposer.seen.append(row)

        return super().compose(brief, progress=peek)


class NonCommercialComposer(EmbeddedComposer):
    """The embedded composer under another name, as if its sounds were licensed non-commercially."""

    name = "non-commercial"

    def compose(self, brief, *, progress):
        performance = super().compose(brief, progress=progress)
        performance.engine = self.name
        return performance


class SlowModelComposer:
    """Takes a model and a device, and takes a while to load it (like a real model)."""

    name = "slow-model"

    def __init__(self, model: str | None, device: str) -> None:
        BUILT.append(f"{model}@{device}")
        time.sleep(0.2)
        self.model, self.device, self.closed = model, device, threading.Event()

    def compose(self, brief, *, progress):
        raise AssertionError("not for composing")

    def close(self) -> None:
        self.closed.set()


PREPARED: list[str | None] = []


def prepare(device: str | None) -> None:
    """A test engine's `prepare`: which device a worker's start prepared it for."""
    PREPARED.append(device)


def prepare_fails(device: str | None) -> None:
    raise RuntimeError("no C++ compiler here")


def _spec(stage: str, cls: type, **extra) -> EngineSpec:
    extra.setdefault("licence", Licence("MIT"))
    return EngineSpec(stage, cls.name, f"{__name__}:{cls.__name__}", summary=f"test engine: {cls.__doc__ or cls.name}",
                      work=f"the {cls.name} test engine", **extra)


SPECS = (
    _spec("reader", CrashingReader),
    _spec("briefer", SignedBriefer),
    _spec("composer", CrashingComposer),
    _spec("composer", RateLimitedComposer),
    _spec("composer", UnconfiguredComposer),
    _spec("composer", FlakyComposer),
    _spec("composer", SlowComposer),
    _spec("composer", SteadyComposer),
    _spec("composer", HangingComposer),
    _spec("composer", NativeHangComposer),
    _spec("composer", WorkerKillingComposer),
    _spec("composer", PeekingComposer),
    _spec("composer", NonCommercialComposer, licence=NON_COMMERCIAL),
    _spec("composer", SlowModelComposer, model="a test model name", devices=("cpu", "cuda"),
          prepare=f"{__name__}:prepare"),
)
