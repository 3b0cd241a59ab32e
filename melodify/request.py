"""What a person asks for, parsed and checked once.

The CLI, the API and the web form all call `parse_request` with the values as they were sent (text
or numbers); the web adds only what is its own (upload size, form fields). Errors quote the bad
value and say what to send instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .brief.description_ko import english_mood
from .contracts import DEFAULT_DURATION, MAX_DURATION, MAX_MOOD_WORD, MAX_TEMPO, MIN_DURATION, MIN_TEMPO, MusicBrief
from .engines import STAGES, EngineChoice, check_choice
from .errors import InvalidOption, NotConfigured, quoted
from .genres import get_genre

MAX_SEED = 2**32 - 1
# The brief fields a person may change; lists may come as "calm, dreamy".
EDITABLE: tuple[str, ...] = ("mood", "tempo", "key", "mode", "time_signature", "instruments", "prompt")
MAX_PROMPT = 300   # characters: a text-to-music model reads a line or two (MusicGen's own examples)
LIST_FIELDS = ("mood", "instruments")
MAX_MOOD_WORDS = 5


@dataclass(frozen=True)
class Request:
    """Everything a person can ask for besides the photo itself."""

    genre: str | None = None          # None: the briefer decides
    duration: float = DEFAULT_DURATION
    seed: int | None = None           # None: derived from the photo, so the same photo gives the same track
    edits: Mapping[str, Any] = field(default_factory=dict)   # checked brief changes (EDITABLE fields)
    reader: EngineChoice = EngineChoice()
    briefer: EngineChoice = EngineChoice()
    composer: EngineChoice = EngineChoice()

    def engine(self, stage: str) -> EngineChoice:
        return getattr(self, stage)

    def replace(self, **changes: Any) -> Request:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict:
        return {"genre": self.genre, "duration": self.duration, "seed": self.seed, "edits": dict(self.edits),
                **{stage: self.engine(stage).to_json() for stage in STAGES}}

    @classmethod
    def from_json(cls, data: Mapping) -> Request:
        """A stored request (checked when it was made). Tracks stored before engine choices had
        models keep their engine names under "engines"."""
        named = data.get("engines") or {}
        return cls(genre=data.get("genre"), duration=float(data.get("duration") or DEFAULT_DURATION),
                   seed=data.get("seed"), edits=dict(data.get("edits") or {}),
                   **{stage: EngineChoice.from_json(data.get(stage) or named.get(stage)) for stage in STAGES})


def parse_request(*, genre: Any = None, duration: Any = None, seed: Any = None,
                  edits: Mapping[str, Any] | None = None, reader: EngineChoice | str | None = None,
                  briefer: EngineChoice | str | None = None,
                  composer: EngineChoice | str | None = None) -> Request:
    """A Request from values as they were sent, or an InvalidOption naming the first bad one. An engine
    asked for that cannot run here (its key unset, its package missing) is refused like any bad option
    (exit 2, HTTP 400), as the web refuses an engine it does not offer; NotConfigured (exit 3, 503) is
    for what the operator set up: a server's own engines, checked at start, and engines failing to load."""
    engines = {stage: _choice(value) for stage, value in
               (("reader", reader), ("briefer", briefer), ("composer", composer))}
    for stage, choice in engines.items():
        try:
            check_choice(stage, choice)
        except NotConfigured as exc:   # asked for, but it cannot run here: the request is what to change
            raise InvalidOption(exc.message, code="engine_unavailable") from None
    return Request(genre=check_genre(genre), duration=check_duration(duration), seed=check_seed(seed),
                   edits=check_edits(edits), **engines)


def choice_from_args(args: Any, stage: str) -> EngineChoice:
    """The engine a command line chose for `stage`: --STAGE, --STAGE-model, --STAGE-device and any
    number of --STAGE-option KEY=VALUE."""
    options = []
    for item in getattr(args, f"{stage}_option"):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidOption(f"--{stage}-option {quoted(item)} should look like KEY=VALUE")
        options.append((key.strip(), value.strip()))
    return EngineChoice(getattr(args, stage), getattr(args, f"{stage}_model"), getattr(args, f"{stage}_device"),
                        tuple(sorted(options)))


def _choice(value: EngineChoice | str | None) -> EngineChoice:
    if isinstance(value, EngineChoice):
        return value
    return EngineChoice(str(value).strip()) if value else EngineChoice()


def check_genre(genre: Any) -> str | None:
    """A genre's name, or None when the briefer should choose ("auto" or empty)."""
    if genre is None or str(genre).strip().lower() in ("", "auto"):
        return None
    return get_genre(str(genre)).name


def check_duration(duration: Any) -> float:
    if duration is None or duration == "":
        return DEFAULT_DURATION
    try:
        value = float(duration)
    except (TypeError, ValueError):
        raise InvalidOption(f"duration {quoted(duration)} is not a number of seconds; give {MIN_DURATION:g} to "
                            f"{MAX_DURATION:g}", code="invalid_duration") from None
    if not MIN_DURATION <= value <= MAX_DURATION:   # also refuses nan and inf
        raise InvalidOption(
            f"duration {quoted(duration)} s is out of range; choose {MIN_DURATION:g} to {MAX_DURATION:g} seconds",
            code="invalid_duration")
    return value


def check_seed(seed: Any) -> int | None:
    if seed is None or seed == "":
        return None
    try:
        if isinstance(seed, (bool, float)):
            raise ValueError
        value = int(str(seed).strip())
    except ValueError:
        raise InvalidOption(f"seed {quoted(seed)} is not a whole number; give 0 to {MAX_SEED} or leave it empty",
                            code="invalid_seed") from None
    if not 0 <= value <= MAX_SEED:
        raise InvalidOption(f"seed {quoted(seed)} is out of range; give 0 to {MAX_SEED} or leave it empty",
                            code="invalid_seed")
    return value


# Valid in every field: a person's edits are checked against the real contract on top of it.
_VALID_BRIEF = {"genre": "pop", "mood": ["calm"], "valence": 0.5, "energy": 0.5, "tempo": 100, "key": "C",
                "mode": "major", "instruments": ["piano"], "seed": 0, "description": "", "prompt": ""}


# What a field takes, in words (pydantic's own, "Input should be less than or equal to 220", is for programmers).
EDIT_RULES = {"tempo": f"give a whole number of beats per minute from {MIN_TEMPO} to {MAX_TEMPO}",
              "mode": "choose major or minor", "time_signature": "choose 4/4 or 3/4"}


def check_edits(edits: Mapping[str, Any] | None) -> dict[str, Any]:
    """A person's brief changes, normalised ("calm, dreamy" becomes a list; empty values are dropped)
    and checked against MusicBrief's own rules, with errors that quote the bad value."""
    edits = {k: v for k, v in (edits or {}).items() if v not in (None, "", [])}
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise InvalidOption(f"cannot edit {unknown}; editable fields: {', '.join(EDITABLE)}", code="invalid_edit",
                            field=unknown[0])
    for name in LIST_FIELDS:
        if isinstance(edits.get(name), str):
            edits[name] = [w.strip() for w in edits[name].split(",") if w.strip()]
    moods = edits.get("mood") or ()
    if len(moods) > MAX_MOOD_WORDS:
        raise InvalidOption(f"mood has {len(moods)} words; give 1 to {MAX_MOOD_WORDS} words "
                            "separated by commas", code="invalid_edit", field="mood")
    for word in moods:
        if isinstance(word, str) and len(word) > MAX_MOOD_WORD:
            raise InvalidOption(f"mood word {quoted(word)} is {len(word)} characters long; use words "
                                f"of up to {MAX_MOOD_WORD} characters, such as calm, dreamy, bright",
                                code="invalid_edit", field="mood")
    prompt = edits.get("prompt")
    if prompt is not None and (not isinstance(prompt, str) or len(prompt) > MAX_PROMPT):
        raise InvalidOption(f"prompt {quoted(prompt)} is not allowed: give a text of up to {MAX_PROMPT} "
                            "characters, such as \"warm lo-fi piano with soft rain\"", code="invalid_edit",
                            field="prompt")
    if isinstance(prompt, str):
        edits["prompt"] = " ".join(prompt.split())
    if moods:   # Korean mood words become the engine's own, so its words in both languages follow them
        edits["mood"] = [english_mood(word) if isinstance(word, str) else word for word in moods]
    try:
        checked = MusicBrief.model_validate({**_VALID_BRIEF, **edits})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = first["loc"][0]
        reason = EDIT_RULES.get(name) or first["msg"].removeprefix("Value error, ")
        raise InvalidOption(f"{name} {quoted(edits.get(name))} is not allowed: {reason}",
                            code="invalid_edit", field=str(name)) from None
    return {name: getattr(checked, name) for name in edits}
