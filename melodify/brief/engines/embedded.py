"""The embedded briefer: the rules of melodify.brief.rules, and its own words for the brief."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...contracts import ImageReading, MusicBrief
from ...genres import GENRES, get_genre
from ..description import describe
from ..keywords import hints
from ..rules import choose_genre, choose_instruments, choose_key, choose_mode, choose_tempo, mood_point, mood_words


class RuleBriefer:
    name = "embedded"

    def write(self, reading: ImageReading, *, seed: int, duration: float,
              genre: str | None = None) -> MusicBrief:
        hint = hints(reading)
        valence, energy = mood_point(reading, hint)
        chosen = get_genre(genre) if genre else GENRES[choose_genre(valence, energy, hint, seed)]
        mode = choose_mode(chosen, valence)
        brief = MusicBrief(
            genre=chosen.name,
            mood=mood_words(valence, energy, hint, seed),
            valence=round(valence, 3),
            energy=round(energy, 3),
            tempo=choose_tempo(chosen, energy, reading.texture),
            key=choose_key(reading, chosen, mode, seed),
            mode=mode,
            time_signature=chosen.meter,
            instruments=choose_instruments(chosen, hint, seed),
            duration=duration,
            seed=seed,
            description="",
            prompt="",
            engine=self.name,
        )
        return self._worded(brief, reading)

    def edit(self, brief: MusicBrief, reading: ImageReading, edits: Mapping[str, Any]) -> MusicBrief:
        return self._worded(brief.model_copy(update=dict(edits)), reading)

    @staticmethod
    def _worded(brief: MusicBrief, reading: ImageReading) -> MusicBrief:
        description, prompt = describe(brief, reading)
        return brief.model_copy(update={"description": description, "prompt": prompt})
