"""One example of the data set: a reading, and the brief a teacher wrote for it.

The question is exactly what the LLM briefers send (`melodify.llm.prompts.brief_prompt`) and the answer
exactly what they expect back (a `BriefDraft` as compact JSON, numbers to two decimals, as the local
briefer's constrained decoder writes it), so a model tuned on the data set is a drop-in briefer.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..brief.description_ko import describe_ko
from ..contracts import ImageReading, MusicBrief
from ..llm.answers import validation_problem
from ..llm.calls import Prompt
from ..llm.prompts import BriefDraft, brief_prompt

MAX_MOODS, MAX_INSTRUMENTS = 4, 5    # BriefDraft's limits, tighter than MusicBrief's


class Example(BaseModel):
    """A line of the plain JSONL: what was asked about (caption, reading), what was answered (brief)."""

    model_config = ConfigDict(extra="forbid")

    id: str                                   # from the question: the same question is the same example
    caption: str
    reading: ImageReading
    brief: MusicBrief
    genre_chosen: str | None = None           # the listener's genre, said in the question
    photo: str | None = None                  # the photo's file name or URI, where it came from one
    label: Literal["good", "up", "down"] = "good"   # a teacher's answer, or a listener's vote on it
    source: str = ""                          # "build:embedded", "ratings:<track id>"

    @property
    def genre(self) -> str:
        return self.brief.genre

    def prompt(self) -> Prompt:
        return brief_prompt(self.reading, duration=self.brief.duration, genre=self.genre_chosen)

    def answer(self) -> str:
        return answer_text(draft_of(self.brief, self.reading))


def make_example(reading: ImageReading, brief: MusicBrief, *, genre_chosen: str | None = None,
                 photo: str | None = None, label: str = "good", source: str = "") -> Example:
    """An example, once its answer is known to fit the brief schema (ValueError says why not)."""
    draft_of(brief, reading)
    question = brief_prompt(reading, duration=brief.duration, genre=genre_chosen)
    return Example(id=example_id(question), caption=reading.caption, reading=reading, brief=brief,
                   genre_chosen=genre_chosen, photo=photo, label=label, source=source)


def example_id(prompt: Prompt) -> str:
    return hashlib.sha256(f"{prompt.system}\n{prompt.text}".encode()).hexdigest()[:16]


def draft_of(brief: MusicBrief, reading: ImageReading) -> BriefDraft:
    """The part of a brief a model writes, as it must write it; ValueError says what does not fit."""
    values = {name: getattr(brief, name) for name in BriefDraft.model_fields}
    values.update(mood=brief.mood[:MAX_MOODS], instruments=brief.instruments[:MAX_INSTRUMENTS],
                  valence=round(brief.valence, 2), energy=round(brief.energy, 2),
                  description_ko=brief.description_ko or describe_ko(brief, reading))
    try:
        return BriefDraft.model_validate(values)
    except ValidationError as exc:
        raise ValueError(validation_problem(exc)) from None


def answer_text(draft: BriefDraft) -> str:
    """Compact JSON in the schema's key order: what the local briefer's grammar lets it write."""
    return json.dumps(draft.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))

