"""Engines for tests, registered like any other engine: one that crashes (a bug in an engine), and one
that looks at the Track row while it composes (to see what the job has saved so far)."""

from __future__ import annotations

from melodify.compose.embedded import EmbeddedComposer
from melodify.engines import REGISTRY, load_engine

CRASHES: list[str] = []


class CrashingReader:
    name = "crashing"

    def read(self, image, *, format, size, progress):
        raise RuntimeError("reader bug: secret internals /srv/melodify/reader.py line 12")


class CrashingComposer:
    name = "crashing"

    def compose(self, brief, *, progress):
        CRASHES.append(brief.genre)
        raise RuntimeError("composer bug: secret internals /srv/melodify/composer.py line 34")


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


def register() -> None:
    REGISTRY["reader"]["crashing"] = f"{__name__}:CrashingReader"
    REGISTRY["composer"]["crashing"] = f"{__name__}:CrashingComposer"
    REGISTRY["composer"]["peeking"] = f"{__name__}:PeekingComposer"
    load_engine.cache_clear()
