"""The questions Melodify asks language models, and the JSON schemas of their answers: one place for the
reader's and the briefer's words, shared by every provider (OpenAI, Gemini, a local model).

The brief schema is `MusicBrief`'s fields that a model writes, with the genres, keys and instruments as
enums, so a constrained decoder can only write valid ones and an API can check them; the finished brief is
validated against `MusicBrief` itself.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..words import colour
from ..contracts import MAX_MOOD_WORD, PITCH_CLASSES, ImageReading
from ..genres import GENRE_NAMES, GENRES
from ..instruments import INSTRUMENTS

MAX_CAPTION = 300
MAX_DESCRIPTION, MAX_DESCRIPTION_KO, MAX_PROMPT = 1000, 600, 199   # 140 words run to about 900 characters
TIMES_OF_DAY = ("dawn", "morning", "midday", "afternoon", "golden hour", "dusk", "night", "indoors", "unknown")

Short = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Mood = Annotated[str, StringConstraints(min_length=1, max_length=MAX_MOOD_WORD)]


class ReadingDraft(BaseModel):
    """What a vision model writes about a photo."""

    model_config = ConfigDict(extra="forbid")

    caption: Annotated[str, StringConstraints(min_length=1, max_length=MAX_CAPTION)]
    caption_ko: Annotated[str, StringConstraints(min_length=1, max_length=MAX_CAPTION)]
    objects: list[Short] = Field(max_length=10)
    scene: Annotated[str, StringConstraints(max_length=100)]
    time_of_day: Literal[TIMES_OF_DAY]          # type: ignore[valid-type]
    weather: Annotated[str, StringConstraints(max_length=40)]
    mood: list[Mood] = Field(min_length=1, max_length=4)


class BriefDraft(BaseModel):
    """What a language model writes of a brief; seed, length and engine are Melodify's."""

    model_config = ConfigDict(extra="forbid")

    genre: Literal[GENRE_NAMES]                 # type: ignore[valid-type]
    mood: list[Mood] = Field(min_length=1, max_length=4)
    valence: float = Field(ge=0, le=1)
    energy: float = Field(ge=0, le=1)
    tempo: int = Field(ge=40, le=220)
    key: Literal[PITCH_CLASSES]                 # type: ignore[valid-type]
    mode: Literal["major", "minor"]
    time_signature: Literal["4/4", "3/4"]
    instruments: list[Literal[tuple(INSTRUMENTS)]] = Field(min_length=1, max_length=5)   # type: ignore[valid-type]
    description: Annotated[str, StringConstraints(min_length=1, max_length=MAX_DESCRIPTION)]
    description_ko: Annotated[str, StringConstraints(min_length=1, max_length=MAX_DESCRIPTION_KO)]
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=MAX_PROMPT)]


# Keywords the providers' structured-output modes do not take; the answer is validated after anyway.
API_UNSUPPORTED = ("minLength", "maxLength", "title", "default")


def full_schema(model: type[BaseModel]) -> dict:
    """The whole JSON schema, with every limit: what a local constrained decoder follows."""
    return model.model_json_schema()


def api_schema(model: type[BaseModel]) -> dict:
    """The schema for OpenAI's strict mode and Gemini's response schema: every property required, no
    extra ones, and only the keywords both take (enums, item counts, ranges)."""
    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: clean(v) for k, v in node.items() if k not in API_UNSUPPORTED}
            if node.get("type") == "object":
                node["required"] = list(node.get("properties", {}))
                node["additionalProperties"] = False
            return node
        return [clean(v) for v in node] if isinstance(node, list) else node
    return clean(copy.deepcopy(model.model_json_schema()))


READ_SYSTEM = """You describe photos for Melodify, which turns a photo into a short piece of instrumental music.
Look at the photo and say what is in it: people and what they do, the place, the objects, the weather,
the time of day, and how it feels. Be concrete and plain; never guess names of people.
Answer with one JSON object:
- caption: one English sentence of at most 30 words, like "A woman in a white shirt with long black hair
  stands against a bright blue background, exuding a fresh and clean vibe."
- caption_ko: the same sentence in natural Korean.
- objects: up to 10 things you can see, one or two English words each ("dog", "red umbrella").
- scene: the place in a few English words ("a rainy city street"), or "" if it is unclear.
- time_of_day: one of """ + ", ".join(TIMES_OF_DAY) + """.
- weather: one or two English words ("sunny", "light rain"), or "" indoors or when unclear.
- mood: one to four English words for how the photo feels ("wistful", "carefree")."""

READ_TEXT = "Describe this photo."

_GENRE_LINES = "\n".join(f"- {g.name} ({g.label} / {g.label_ko}): {g.tempo[0]}-{g.tempo[1]} bpm, {g.meter}"
                         for g in GENRES.values())

BRIEF_SYSTEM = f"""You are the music director of Melodify, which turns a photo into a short instrumental track.
From what a photo shows, write the brief for its music. Answer with one JSON object:
- genre: one of these, with its usual tempo and metre:
{_GENRE_LINES}
- mood: one to four English mood words ("serene", "playful").
- valence: 0 (sad, dark) to 1 (happy, bright); energy: 0 (still) to 1 (intense).
- tempo in bpm (40-220), key (one of {", ".join(PITCH_CLASSES)}), mode (major or minor), time_signature (4/4 or 3/4).
- instruments: one to five, from: {", ".join(INSTRUMENTS)}. Name a lead, a chord instrument, a bass and a pad
  where the genre has them.
- description: one English paragraph of 70 to 140 words that starts with the genre's English name and a
  colon, and tells how the music sounds and how it mirrors the photo, naming the instruments and the tempo.
  It is instrumental music: no vocals, no lyrics. In the style of: "Pop: This pop track bursts with energy
  and positivity, much like a bright sunny day after a fresh morning rain. The song opens with a sparkling
  synth riff that instantly lifts the mood, followed by an infectious beat that drives the rhythm forward..."
- description_ko: the same paragraph in natural Korean, starting with the genre's Korean name and a colon
  ("팝: 이 팝 트랙은 아침에 비가 내린 후 밝고 화창한 날처럼 에너지와 긍정으로 가득 차 있습니다...").
- prompt: one English line of at most 190 characters for a text-to-music model: genre, mood, instruments,
  tempo ("bright pop, 112 bpm, sparkling synth lead, piano chords, punchy drums, uplifting")."""


def read_prompt(jpeg: bytes, schema: dict | None = None) -> "Prompt":
    from .calls import Prompt

    return Prompt(system=READ_SYSTEM, text=READ_TEXT, schema=schema or api_schema(ReadingDraft),
                  schema_name="photo_reading", image_jpeg=jpeg)


def reading_facts(reading: ImageReading) -> dict:
    """What the briefer is told of the photo: what a model saw, and what was measured."""
    facts: dict[str, Any] = {"caption": reading.caption}
    for name in ("objects", "scene", "time_of_day", "mood"):
        if getattr(reading, name):
            facts[name] = getattr(reading, name)
    if reading.tags:
        facts["tags"] = reading.tags
    facts["colours"] = [colour(c).name for c in reading.palette[:3]]
    facts["measures"] = {name: round(getattr(reading, name), 2) for name in
                         ("brightness", "warmth", "saturation", "colourfulness", "contrast", "texture")}
    return facts


def brief_text(reading: ImageReading, *, duration: float, genre: str | None = None,
               fixed: Mapping[str, Any] | None = None) -> str:
    """The briefer's question: the photo's facts, the length, and what the listener already chose."""
    lines = ["The photo (measures are 0..1; warmth is -1 cold .. 1 warm):",
             json.dumps(reading_facts(reading), ensure_ascii=False),
             f"The track is {duration:g} seconds long."]
    if genre:
        lines.append(f"The listener chose the genre: {genre}. Use it.")
    if fixed:
        lines.append("The listener set these values; keep them exactly and write the words to match: "
                     + json.dumps(dict(fixed), ensure_ascii=False))
    lines.append("Write the brief.")
    return "\n".join(lines)


def brief_prompt(reading: ImageReading, *, duration: float, genre: str | None = None,
                 fixed: Mapping[str, Any] | None = None, schema: dict | None = None) -> "Prompt":
    from .calls import Prompt

    return Prompt(system=BRIEF_SYSTEM, text=brief_text(reading, duration=duration, genre=genre, fixed=fixed),
                  schema=schema or api_schema(BriefDraft), schema_name="music_brief")
