"""The briefer of the engines that ask a language model (OpenAI, Gemini, a local model): one question
with the brief's JSON schema, one repair quoting what did not fit, and then the rules briefer, with the
reason recorded on the brief (`fallback`) so the result page can say why.

An edit asks again with the person's values fixed, so the words are rewritten to match them; their values
win whatever the model writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..contracts import ImageReading, MusicBrief
from ..genres import GENRES
from ..llm.answers import InvalidAnswer, ask_valid, parse_json, validation_problem
from ..llm.prompts import BriefDraft, api_schema, brief_prompt
from .engines.embedded import RuleBriefer


class AskingBriefer:
    """Subclasses set `name`, `chat` (with `model` and `ask(prompt, repair, seed=)`), maybe `schema`."""

    name: str
    chat: Any
    schema: dict = api_schema(BriefDraft)

    def write(self, reading: ImageReading, *, seed: int, duration: float, genre: str | None = None) -> MusicBrief:
        return self._brief(reading, seed=seed, duration=duration, genre=genre, fixed={})

    def edit(self, brief: MusicBrief, reading: ImageReading, edits: Mapping[str, Any]) -> MusicBrief:
        return self._brief(reading, seed=brief.seed, duration=brief.duration, genre=brief.genre, fixed=dict(edits))

    def _brief(self, reading: ImageReading, *, seed: int, duration: float, genre: str | None,
               fixed: dict[str, Any]) -> MusicBrief:
        prompt = brief_prompt(reading, duration=duration, genre=genre, fixed=fixed, schema=self.schema)

        def check(text: str) -> MusicBrief:
            return finished(parse_json(text, BriefDraft), seed=seed, duration=duration, genre=genre, fixed=fixed,
                            engine=self.name, model=self.chat.model)

        try:
            brief, usage = ask_valid(lambda repair: self.chat.ask(prompt, repair, seed=seed), check)
        except InvalidAnswer as bad:
            return rules_brief(reading, seed=seed, duration=duration, genre=genre, fixed=fixed, usage=bad.usage,
                               reason=f"the {self.name} briefer's answers did not fit the brief ({bad.reason}); "
                                      "the rules wrote this brief instead")
        return brief.model_copy(update={"usage": usage})


def finished(draft: BriefDraft, *, seed: int, duration: float, genre: str | None, fixed: Mapping[str, Any],
             engine: str, model: str) -> MusicBrief:
    """The MusicBrief a draft makes, with the listener's genre and values; ValueError says what does not fit."""
    if genre and draft.genre != genre:
        raise ValueError(f"genre: the listener chose {genre!r}, not {draft.genre!r}")
    values = {**draft.model_dump(), **fixed}
    label = GENRES[values["genre"]]
    values["description"] = _labelled(values["description"], label.label)
    values["description_ko"] = _labelled(values["description_ko"], label.label_ko)
    try:
        return MusicBrief.model_validate({**values, "seed": seed, "duration": duration, "engine": engine,
                                          "model": model})
    except ValidationError as exc:
        raise ValueError(validation_problem(exc)) from None


def _labelled(text: str, label: str) -> str:
    """A paragraph that starts "Label: ", as the original data set's do."""
    text = " ".join(text.split())
    return text if text.lower().startswith(label.lower()) else f"{label}: {text}"


def rules_brief(reading: ImageReading, *, seed: int, duration: float, genre: str | None,
                fixed: Mapping[str, Any], usage: list, reason: str) -> MusicBrief:
    rules = RuleBriefer()
    brief = rules.write(reading, seed=seed, duration=duration, genre=genre)
    if fixed:
        brief = rules.edit(brief, reading, fixed)
    return brief.model_copy(update={"usage": usage, "fallback": reason})
