"""The embedded composer: write a score from the brief, play it on FluidSynth, add the genre's effects."""

from __future__ import annotations

from ...contracts import MusicBrief, Performance
from ...genres import get_genre
from ...progress import ProgressCallback, no_progress
from ..arrangement import SectionPlan
from ..effects import apply_effects
from ..render import render_score
from ..score import write_score


class EmbeddedComposer:
    name = "embedded"

    def __init__(self, model: str | None = None) -> None:
        self.soundfont = model   # its model is a SoundFont path; None: the usual search order

    def compose(self, brief: MusicBrief, *, progress: ProgressCallback = no_progress,
                plan: list[SectionPlan] | None = None) -> Performance:
        """`plan`: a form of the caller's (a section per scene or photo); None: the composer's own."""
        score = write_score(brief, plan)
        progress("compose", 0.3)
        audio, soundfont = render_score(score, soundfont=self.soundfont)
        progress("compose", 0.85)
        audio = apply_effects(audio, get_genre(brief.genre), seed=brief.seed)
        return Performance(audio=audio, score=score, model=soundfont, engine=self.name)
