"""The four stages, one function each, and `compose()` that runs them in order.

The web app calls the stage functions one at a time (saving the reading and the brief as soon as
they exist); the CLI calls `compose()`. Progress goes to an injected `(stage, fraction)` callback.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .contracts import DEFAULT_DURATION, MAX_DURATION, MIN_DURATION, ImageReading, MusicBrief, Performance
from .engines import load_engine
from .errors import InvalidOption
from .genres import get_genre
from .progress import ProgressCallback, no_progress
from .read.image_loading import LoadedImage, load_image


@dataclass
class Request:
    """Everything a user can ask for. Only `image` is required."""

    image: bytes
    genre: str | None = None          # None: the briefer decides
    duration: float = DEFAULT_DURATION
    seed: int | None = None           # None: derived from the photo, so the same photo gives the same track
    edits: dict = field(default_factory=dict)   # brief fields the user changed: mood, tempo, key, mode
    reader: str = "embedded"
    briefer: str = "embedded"
    composer: str = "embedded"
    reader_model: str | None = None
    briefer_model: str | None = None
    composer_model: str | None = None


@dataclass
class Result:
    photo: LoadedImage
    reading: ImageReading
    brief: MusicBrief
    performance: Performance          # mastered audio, score, SoundFont
    peaks: list[float]
    timings: dict[str, float]


def seed_for(image: bytes) -> int:
    """A stable seed from the photo's bytes."""
    return int.from_bytes(hashlib.sha256(image).digest()[:4], "big")


def check_duration(duration: float) -> float:
    try:
        value = float(duration)
    except (TypeError, ValueError):
        raise InvalidOption(f"duration {duration!r} is not a number of seconds", code="invalid_duration") from None
    if not MIN_DURATION <= value <= MAX_DURATION:
        raise InvalidOption(
            f"duration {duration!r} s is out of range; choose {MIN_DURATION:g} to {MAX_DURATION:g} seconds",
            code="invalid_duration")
    return value


def read_photo(data: bytes, *, engine: str = "embedded", model: str | None = None,
               progress: ProgressCallback = no_progress) -> tuple[LoadedImage, ImageReading]:
    progress("read", 0.0)
    photo = load_image(data)
    reading = load_engine("reader", engine, model).read(
        photo.image, format=photo.format, size=photo.size, progress=progress)
    progress("read", 1.0)
    return photo, reading


def write_brief(reading: ImageReading, *, seed: int, duration: float = DEFAULT_DURATION,
                genre: str | None = None, edits: dict | None = None, engine: str = "embedded",
                model: str | None = None, progress: ProgressCallback = no_progress) -> MusicBrief:
    progress("brief", 0.0)
    genre_name = get_genre(genre).name if genre else None
    brief = load_engine("briefer", engine, model).write(
        reading, seed=seed, duration=check_duration(duration), genre=genre_name)
    if edits:
        brief = edit_brief(brief, reading, edits)
    progress("brief", 1.0)
    return brief


EDITABLE = ("mood", "tempo", "key", "mode", "instruments", "time_signature")
MAX_MOOD_WORDS = 5
# Valid in every field: a user's edits are checked against the real contract on top of it.
_VALID_BRIEF = {"genre": "pop", "mood": ["calm"], "valence": 0.5, "energy": 0.5, "tempo": 100, "key": "C",
                "mode": "major", "instruments": ["piano"], "seed": 0, "description": "", "prompt": ""}


def check_edits(edits: dict | None, allowed: tuple[str, ...] = EDITABLE) -> dict:
    """A user's brief changes, normalised ("calm, dreamy" becomes a list; empty values are dropped)
    and checked against MusicBrief's own rules, with errors that quote the bad value."""
    edits = {k: v for k, v in (edits or {}).items() if v not in (None, "", [])}
    unknown = sorted(set(edits) - set(allowed))
    if unknown:
        raise InvalidOption(f"cannot edit {unknown}; editable fields: {', '.join(allowed)}", code="invalid_edit")
    if isinstance(edits.get("mood"), str):
        edits["mood"] = [w.strip() for w in edits["mood"].split(",") if w.strip()]
    if len(edits.get("mood") or ()) > MAX_MOOD_WORDS:
        raise InvalidOption(f"mood has {len(edits['mood'])} words; give 1 to {MAX_MOOD_WORDS} words "
                            "separated by commas", code="invalid_edit")
    try:
        checked = MusicBrief.model_validate({**_VALID_BRIEF, **edits})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = first["loc"][0]
        value = repr(edits.get(field))
        value = value if len(value) <= 40 else value[:40] + "…"
        reason = first["msg"].removeprefix("Value error, ")
        raise InvalidOption(f"{field} {value} is not allowed: {reason}", code="invalid_edit") from None
    return {name: getattr(checked, name) for name in edits}


def edit_brief(brief: MusicBrief, reading: ImageReading, edits: dict) -> MusicBrief:
    """Apply a user's changes to a brief and rewrite its description to match."""
    from .brief.description import describe

    edited = brief.model_copy(update=check_edits(edits))
    description, prompt = describe(edited, reading)
    return edited.model_copy(update={"description": description, "prompt": prompt})


def perform(brief: MusicBrief, *, engine: str = "embedded", model: str | None = None,
            progress: ProgressCallback = no_progress) -> Performance:
    progress("compose", 0.0)
    performance = load_engine("composer", engine, model).compose(brief, progress=progress)
    progress("compose", 1.0)
    return performance


def master(performance: Performance, brief: MusicBrief,
           progress: ProgressCallback = no_progress) -> tuple[Performance, list[float]]:
    from .master.mastering import master_audio
    from .master.peaks import waveform_peaks

    progress("master", 0.0)
    audio = master_audio(performance.audio, duration=brief.duration)
    progress("master", 0.8)
    peaks = waveform_peaks(audio)
    progress("master", 1.0)
    return Performance(audio=audio, score=performance.score, soundfont=performance.soundfont,
                       engine=performance.engine), peaks


def compose(request: Request, progress: ProgressCallback = no_progress) -> Result:
    """Photo bytes in, mastered music out. Raises MelodifyError subclasses for bad input."""
    timings: dict[str, float] = {}
    t = time.perf_counter()
    photo, reading = read_photo(request.image, engine=request.reader, model=request.reader_model,
                                progress=progress)
    timings["read"], t = time.perf_counter() - t, time.perf_counter()
    seed = request.seed if request.seed is not None else seed_for(request.image)
    brief = write_brief(reading, seed=seed, duration=request.duration, genre=request.genre,
                        edits=request.edits, engine=request.briefer, model=request.briefer_model,
                        progress=progress)
    timings["brief"], t = time.perf_counter() - t, time.perf_counter()
    raw = perform(brief, engine=request.composer, model=request.composer_model, progress=progress)
    timings["compose"], t = time.perf_counter() - t, time.perf_counter()
    performance, peaks = master(raw, brief, progress)
    timings["master"] = time.perf_counter() - t
    return Result(photo, reading, brief, performance, peaks, timings)


AUDIO_FORMATS = ("mp3", "wav", "ogg", "flac")


def output_format(path: str | Path) -> str:
    """The audio format named by a path's extension, or a clear error."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in AUDIO_FORMATS:
        raise InvalidOption(
            f"cannot write {str(path)!r}: unknown extension {('.' + suffix) if suffix else '(none)'}; "
            f"use one of {', '.join('.' + f for f in AUDIO_FORMATS)}", code="invalid_output")
    return suffix


def export_audio(result: Result, path: str | Path) -> Path:
    """Write the mastered audio in the format the extension names, atomically."""
    from .master.encode import encode

    path = Path(path)
    data = encode(result.performance.audio, output_format(path))
    return write_atomic(path, data)


def export_midi(result: Result, path: str | Path) -> Path:
    from .compose.midi import score_to_midi

    if result.performance.score is None:
        raise InvalidOption(f"the {result.performance.engine!r} composer makes no score, so no MIDI file",
                            code="no_midi")
    return write_atomic(Path(path), score_to_midi(result.performance.score))


def write_atomic(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
