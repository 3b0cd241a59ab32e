"""The four stages, one function each, and `run()` that takes a photo through them.

`run()` is the one way a track is made: the CLI and the web's job runner are thin callers of it.
Progress goes to an injected `(stage, fraction)` callback, and the reading and the brief go to
`on_reading` / `on_brief` the moment they exist (the web saves them so the page can show them).
`export()` turns a result into the bytes of a file, for every caller.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .brief.description import describe
from .contracts import ImageReading, MusicBrief, Performance
from .engines import Credit, EngineChoice, get_spec, load_engine
from .errors import InvalidOption
from .progress import Laps, ProgressCallback, no_progress
from .read.image_loading import load_image
from .request import Request, check_edits

AUDIO_FORMATS: tuple[str, ...] = ("mp3", "wav", "ogg", "flac")
MIDI = "midi"


@dataclass
class Result:
    reading: ImageReading
    brief: MusicBrief
    performance: Performance          # mastered audio, and the score where the composer writes one
    peaks: list[float]
    timings: dict[str, float]         # seconds per stage
    credits: tuple[Credit, ...]       # who made what it rests on, under which licence

    @property
    def formats(self) -> tuple[str, ...]:
        """What `export` can write for this result."""
        return AUDIO_FORMATS + ((MIDI,) if self.performance.score is not None else ())


def seed_for(image: bytes) -> int:
    """A stable seed from the photo's bytes."""
    return int.from_bytes(hashlib.sha256(image).digest()[:4], "big")


def read_photo(image: bytes, choice: EngineChoice = EngineChoice(), *, photo_info: Mapping | None = None,
               progress: ProgressCallback = no_progress) -> ImageReading:
    """The reading of a photo. `photo_info` (width, height, format) reports an original's size and
    type when `image` is a re-encoded copy of it (the web reads the JPEG it stored)."""
    progress("read", 0.0)
    photo = load_image(image)
    reading = load_engine("reader", choice).read(photo.image, format=photo.format, size=photo.size,
                                                 progress=progress)
    progress("read", 1.0)
    return reading.model_copy(update=dict(photo_info)) if photo_info else reading


def write_brief(reading: ImageReading, request: Request, *, progress: ProgressCallback = no_progress) -> MusicBrief:
    """The brief for a reading; the request's seed must be set (see `resolve_seed`)."""
    if request.seed is None:
        raise ValueError("write_brief needs a seed: call resolve_seed(request, image) first")
    progress("brief", 0.0)
    briefer = load_engine("briefer", request.briefer)
    brief = briefer.write(reading, seed=request.seed, duration=request.duration, genre=request.genre)
    if request.edits:
        brief = _edited(briefer, brief, reading, request.edits)
    progress("brief", 1.0)
    return brief


def edit_brief(brief: MusicBrief, reading: ImageReading, edits: Mapping[str, Any],
               choice: EngineChoice | None = None) -> MusicBrief:
    """A person's changes to a brief, checked, then handed back to the engine that wrote it, so its
    words are rewritten in its own way."""
    if choice is None or choice.name != brief.engine:   # e.g. a fallback briefer wrote it
        choice = EngineChoice(brief.engine)
    return _edited(load_engine("briefer", choice), brief, reading, check_edits(edits))


def _edited(briefer: Any, brief: MusicBrief, reading: ImageReading, edits: Mapping[str, Any]) -> MusicBrief:
    """The engine rewords the brief for the changed fields; a prompt the person wrote is kept as written
    (a model composer such as MusicGen reads it), not rewritten from the other fields."""
    rest = {name: value for name, value in edits.items() if name != "prompt"}
    edited = briefer.edit(brief, reading, rest) if rest else brief
    return edited.model_copy(update={"prompt": edits["prompt"]}) if "prompt" in edits else edited


AudioChunks = Callable[[Any, int], None]   # (samples (frames, channels) float32, sample rate)


def reword_brief(brief: MusicBrief, reading: ImageReading, edits: Mapping[str, Any]) -> MusicBrief:
    """A brief with a person's checked changes and its words rewritten to say them, by the rules'
    description writers, at once and without asking a model (the upload page's card follows each edit).
    An LLM's paragraph is replaced too, in both languages, so no text names the old values; the track's
    own brief is still written by its engine (`write_brief`), which words the edits in its own way."""
    checked = check_edits(edits)
    if not checked:
        return brief
    edited = brief.model_copy(update=checked)
    description, prompt = describe(edited, reading)
    return edited.model_copy(update={"description": description, "prompt": checked.get("prompt", prompt),
                                     "description_ko": ""})


def perform(brief: MusicBrief, choice: EngineChoice = EngineChoice(), *,
            progress: ProgressCallback = no_progress, on_audio: AudioChunks | None = None) -> Performance:
    """The composer's performance; a composer that streams (`streams = True`) hands `on_audio` each chunk
    of raw audio as it is made, before mastering (a page plays them while the rest is made)."""
    progress("compose", 0.0)
    composer = load_engine("composer", choice)
    streaming = {"on_audio": on_audio} if on_audio and getattr(composer, "streams", False) else {}
    performance = composer.compose(brief, progress=progress, **streaming)
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
    return Performance(audio=audio, score=performance.score, model=performance.model,
                       engine=performance.engine), peaks


def resolve_seed(request: Request, image: bytes) -> Request:
    """The request with its seed set: the one asked for, else one from the photo's bytes."""
    return request if request.seed is not None else request.replace(seed=seed_for(image))


def credits(request: Request, reading: ImageReading, brief: MusicBrief, performance: Performance) -> tuple[Credit, ...]:
    """A credit per stage, from the engine that actually did the work (and the model it used)."""
    def credit(stage: str, engine: str, model: str | None) -> Credit:
        choice = request.engine(stage)
        return get_spec(stage, engine).credit(model or (choice.model if choice.name == engine else None))

    return (credit("reader", reading.engine, reading.model), credit("briefer", brief.engine, brief.model),
            credit("composer", performance.engine, performance.model))


def usage_timings(reading: ImageReading, brief: MusicBrief) -> dict[str, float]:
    """What the stages' model calls cost, per stage, beside the stage's own seconds: the calls' seconds
    and their tokens in and out ("brief_calls": 2, "brief_call_seconds": 1.8, "brief_input_tokens": 912...).
    Each call is also on the reading or brief (`usage`)."""
    timings: dict[str, float] = {}
    for stage, calls in (("read", reading.usage), ("brief", brief.usage)):
        if calls:
            timings[f"{stage}_calls"] = len(calls)
            timings[f"{stage}_call_seconds"] = round(sum(c.seconds for c in calls), 4)
            timings[f"{stage}_input_tokens"] = sum(c.input_tokens for c in calls)
            timings[f"{stage}_output_tokens"] = sum(c.output_tokens for c in calls)
    return timings


def run(image: bytes, request: Request = Request(), *, photo_info: Mapping | None = None,
        progress: ProgressCallback = no_progress, on_reading: Callable[[ImageReading], None] | None = None,
        on_brief: Callable[[MusicBrief], None] | None = None, on_audio: AudioChunks | None = None) -> Result:
    """Photo bytes in, mastered music out. Raises MelodifyError subclasses for bad input."""
    request = resolve_seed(request, image)
    lap = Laps()
    timings = lap.timings

    reading = read_photo(image, request.reader, photo_info=photo_info, progress=progress)
    lap("read")
    if on_reading:
        on_reading(reading)
    brief = write_brief(reading, request, progress=progress)
    lap("brief")
    if on_brief:
        on_brief(brief)
    raw = perform(brief, request.composer, progress=progress, on_audio=on_audio)
    lap("compose")
    performance, peaks = master(raw, brief, progress)
    lap("master")
    timings.update(usage_timings(reading, brief))
    return Result(reading, brief, performance, peaks, timings, credits(request, reading, brief, performance))


def export(result: Result, fmt: str) -> bytes:
    """The bytes of one file of the result: an audio format, or "midi" for the score."""
    if fmt == MIDI:
        if result.performance.score is None:
            raise InvalidOption(f"the {result.performance.engine!r} composer makes no score, so no MIDI file",
                                code="no_midi")
        from .compose.midi import score_to_midi

        return score_to_midi(result.performance.score)
    if fmt not in AUDIO_FORMATS:
        raise InvalidOption(f"unknown format {fmt!r}; choose one of: {', '.join(result.formats)}",
                            code="invalid_output")
    from .master.encode import encode

    return encode(result.performance.audio, fmt, copyright=licence_note(result.credits))


def licence_note(credits: tuple[Credit, ...]) -> str:
    """What a file's own tag says of a track that may not be used commercially (else nothing):
    "for non-commercial use only (composer: CC-BY-NC-4.0, the MusicGen model by Meta AI)"."""
    from .engines import commercial_use, terms

    if commercial_use(credits) is not False:
        return ""
    why = "; ".join(f"{c.stage}: {c.licence.name}, {c.work}" for c in credits if c.licence.commercial is False)
    return f"{terms(False)} ({why})"


def file_format(path: str | Path) -> str:
    """The format a path's extension names (.mid and .midi: the score), or a clear error."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("mid", "midi"):
        return MIDI
    if suffix not in AUDIO_FORMATS:
        raise InvalidOption(
            f"cannot write {str(path)!r}: unknown extension {('.' + suffix) if suffix else '(none)'}; "
            f"use one of {', '.join('.' + f for f in AUDIO_FORMATS)}, or .mid for the score",
            code="invalid_output")
    return suffix


def export_to(result: Result, path: str | Path, *, title: str = "", lang: str = "en") -> Path:
    """Write the file the extension names, atomically, tagged with the track's title and brief."""
    from .master.tags import tag, track_tags

    fmt = file_format(path)
    tags = track_tags(result.reading, result.brief, title=title, lang=lang)
    return write_atomic(Path(path), tag(export(result, fmt), fmt, tags))


def write_atomic(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
