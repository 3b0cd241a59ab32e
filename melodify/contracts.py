"""The data that passes between stages. Every engine of a stage returns the same contract.

`ImageReading` and `MusicBrief` are pydantic models: they are stored as JSON, sent by the API,
and an LLM's JSON output is validated against `MusicBrief`. The score and audio are plain
dataclasses: many small objects on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from .errors import quoted
from .genres import GENRE_NAMES
from .instruments import INSTRUMENTS

PITCH_CLASSES: tuple[str, ...] = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MIN_DURATION, MAX_DURATION, DEFAULT_DURATION = 5.0, 60.0, 15.0
MIN_TEMPO, MAX_TEMPO = 40, 220   # beats per minute a brief may ask for
MAX_MOOD_WORD = 30   # characters: a mood word has to fit on the brief card
MoodWord = Annotated[str, StringConstraints(min_length=1, max_length=MAX_MOOD_WORD)]


class Usage(BaseModel):
    """One call to a model or service: what it cost in time and tokens (the track's timings sum them)."""

    model_config = ConfigDict(extra="forbid")

    engine: str                     # "openai", "local"...
    model: str
    purpose: str = "answer"         # "answer", or "repair" for the second try at a valid answer
    seconds: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0


class ImageReading(BaseModel):
    """What a reader saw in the photo. Measures are 0..1 unless said otherwise."""

    model_config = ConfigDict(extra="forbid")

    width: int                      # after EXIF orientation, before any downscaling
    height: int
    format: str                     # decoded type: "JPEG", "PNG", "WEBP", "GIF", "BMP", "HEIF", "MPO"
    caption: str                    # one sentence
    tags: list[str] = Field(default_factory=list)        # scene / object words ("night", "sea")
    palette: list[str] = Field(default_factory=list)     # up to 5 "#rrggbb", most dominant first
    palette_weights: list[float] = Field(default_factory=list)
    brightness: float = Field(ge=0, le=1)
    contrast: float = Field(ge=0, le=1)
    saturation: float = Field(ge=0, le=1)
    warmth: float = Field(ge=-1, le=1)                   # -1 cold (blue) .. +1 warm (red/orange)
    colourfulness: float = Field(ge=0, le=1)
    texture: float = Field(ge=0, le=1)                   # visual complexity / busyness
    engine: str = "embedded"
    # What a model saw, where the reader has one (defaults keep stored readings valid).
    caption_ko: str = ""            # the caption in Korean; "" where none was written (Korean pages show `caption`)
    objects: list[str] = Field(default_factory=list)     # "dog", "umbrella"
    scene: str = ""                                      # "a rainy city street"
    time_of_day: str = ""                                # "night", "golden hour"
    mood: list[str] = Field(default_factory=list)        # how the photo feels: "wistful", "lively"
    model: str | None = None                             # the model that read it
    usage: list[Usage] = Field(default_factory=list)     # each call it made
    fallback: str = ""                                   # why the measures alone read it, if a model failed


class MusicBrief(BaseModel):
    """What the music should be. Written by a briefer, possibly edited by the user."""

    model_config = ConfigDict(extra="forbid")

    genre: str
    mood: list[MoodWord] = Field(min_length=1, max_length=5)
    valence: float = Field(ge=0, le=1)
    energy: float = Field(ge=0, le=1)
    tempo: int = Field(ge=MIN_TEMPO, le=MAX_TEMPO)      # beats per minute
    key: str                                             # tonic, one of PITCH_CLASSES
    mode: Literal["major", "minor"]
    time_signature: Literal["4/4", "3/4"] = "4/4"
    instruments: list[str] = Field(min_length=1, max_length=8)
    duration: float = Field(default=DEFAULT_DURATION, ge=MIN_DURATION, le=MAX_DURATION)  # seconds
    seed: int = Field(ge=0, lt=2**32)
    description: str                                     # "Pop: This pop track bursts with energy..."
    prompt: str                                          # short text for a text-to-music model
    engine: str = "embedded"
    description_ko: str = ""                             # the briefer's own Korean paragraph, where it wrote one
    model: str | None = None                             # the model that wrote it
    usage: list[Usage] = Field(default_factory=list)     # each call it made
    fallback: str = ""                                   # why the rules wrote it instead of the engine asked for

    @field_validator("genre")
    @classmethod
    def _known_genre(cls, v: str) -> str:
        if v not in GENRE_NAMES:
            raise ValueError(f"unknown genre {quoted(v)}; choose one of: {', '.join(GENRE_NAMES)}")
        return v

    @field_validator("key")
    @classmethod
    def _known_key(cls, v: str) -> str:
        if v not in PITCH_CLASSES:
            raise ValueError(f"unknown key {quoted(v)}; choose one of: {', '.join(PITCH_CLASSES)}")
        return v

    @field_validator("instruments")
    @classmethod
    def _known_instruments(cls, v: list[str]) -> list[str]:
        bad = [name for name in v if name not in INSTRUMENTS]
        if bad:
            raise ValueError(f"unknown instrument(s) {quoted(bad)}; known: {', '.join(INSTRUMENTS)}")
        return v

    @property
    def beats_per_bar(self) -> int:
        return int(self.time_signature.split("/")[0])

    @property
    def key_name(self) -> str:
        """'A minor', for people."""
        return f"{self.key} {self.mode}"


@dataclass
class Note:
    pitch: int          # MIDI note number
    velocity: int       # 1..127
    start: float        # seconds
    end: float          # seconds


@dataclass
class Part:
    name: str           # "lead", "chords", "bass", "pad", "drums"
    program: int        # General MIDI program, or drum kit preset when is_drum
    is_drum: bool = False
    notes: list[Note] = field(default_factory=list)
    volume: int = 100   # MIDI CC7
    pan: int = 64       # MIDI CC10, 0 left .. 127 right
    reverb: int = 40    # MIDI CC91 send


@dataclass
class Section:
    name: str           # "intro", "A", "B", "outro"
    start: float        # seconds
    end: float


@dataclass
class Score:
    """A piece of music as plain data: the MIDI download and what the sampler plays."""

    tempo: float
    beats_per_bar: int
    key: str
    mode: str
    duration: float                          # seconds, the length the master will cut to
    parts: list[Part] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass
class Audio:
    samples: np.ndarray  # float32, shape (frames, channels)
    sample_rate: int

    @property
    def duration(self) -> float:
        return self.samples.shape[0] / self.sample_rate

    @property
    def channels(self) -> int:
        return self.samples.shape[1]


@dataclass
class Performance:
    """What a composer returns: audio, and the score that made it where the engine has one."""

    audio: Audio
    score: Score | None = None
    model: str | None = None       # what it played or ran: a SoundFont's file name (same bytes need the
    engine: str = "embedded"       # same font), a model id
