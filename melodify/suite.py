"""One piece of music from several pictures (a video's scenes, an album's photos): each picture is read
and briefed, one brief for the whole sets genre, key and tempo, and each picture gets a section whose
energy follows its own brief. Shared by melodify.video and melodify.album.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image

from .compose.arrangement import SectionPlan, plan_scenes
from .contracts import MAX_DURATION, MIN_DURATION, ImageReading, MusicBrief, Performance
from .engines import Credit, load_engine
from .errors import InvalidOption
from .pipeline import AUDIO_FORMATS, MIDI, master
from .progress import ProgressCallback, no_progress
from .request import Request

MEASURES = ("brightness", "contrast", "saturation", "warmth", "colourfulness", "texture")


@dataclass
class Piece:
    """The music for the pictures: the whole brief, each picture's own brief, the form and the sound."""

    brief: MusicBrief                # the whole: genre, key, tempo; duration = the full length
    briefs: list[MusicBrief]         # one per picture: its mood and energy
    plan: list[SectionPlan]
    starts: list[float]              # seconds where each picture's section starts
    performance: Performance         # mastered
    peaks: list[float]


@dataclass
class PieceResult:
    """What a video or an album made: `export` writes its files as it does a photo's."""

    piece: Piece

    @property
    def credits(self) -> tuple[Credit, ...]:
        """What `export` names in a file's licence tag: none, as videos and albums are made by the
        embedded engines only, whose output may be used commercially."""
        return ()

    @property
    def performance(self) -> Performance:
        return self.piece.performance

    @property
    def formats(self) -> tuple[str, ...]:
        return AUDIO_FORMATS + (MIDI,)


def read_pictures(images: Sequence[Image.Image], request: Request, *,
                  progress: ProgressCallback = no_progress) -> list[ImageReading]:
    reader = load_engine("reader", request.reader)
    readings = []
    for i, image in enumerate(images):
        readings.append(reader.read(image, format="JPEG", size=image.size))
        progress("read", (i + 1) / len(images))
    return readings


def merged_reading(readings: Sequence[ImageReading], weights: Sequence[float]) -> ImageReading:
    """The reading of the heaviest picture, its measures the weighted mean of all of them."""
    total = sum(weights) or 1.0
    mean = {m: sum(getattr(r, m) * w for r, w in zip(readings, weights)) / total for m in MEASURES}
    heaviest = max(range(len(readings)), key=lambda i: weights[i])
    return readings[heaviest].model_copy(update=mean)


def write_briefs(readings: Sequence[ImageReading], weights: Sequence[float], request: Request, duration: float,
                 tempo: Callable[[MusicBrief], int] | None = None) -> tuple[MusicBrief, list[MusicBrief]]:
    """The whole's brief and one brief per picture in the whole's genre. `tempo` (the brief -> the tempo
    the pictures want) applies unless the person set one; the change goes through the briefer's own edit,
    so its words say the new tempo. The duration may be beyond a single track's limits: a brief checks
    it, so it is set past the check."""
    briefer = load_engine("briefer", request.briefer)
    seed = request.seed or 0
    clamp = max(MIN_DURATION, min(MAX_DURATION, duration))
    merged = merged_reading(readings, weights)
    whole = briefer.write(merged, seed=seed, duration=clamp, genre=request.genre)
    edits = dict(request.edits)
    if tempo is not None and "tempo" not in edits:
        edits["tempo"] = tempo(whole)
    if edits:
        whole = briefer.edit(whole, merged, edits)
    each = [briefer.write(r, seed=seed, duration=clamp, genre=whole.genre) for r in readings]
    return whole.model_copy(update={"duration": duration}), each


def compose_piece(whole: MusicBrief, briefs: list[MusicBrief], beats: list[int], energies: list[float],
                  request: Request, *, progress: ProgressCallback = no_progress) -> Piece:
    """Sections of `beats[i]` beats at the whole's tempo, played by the embedded composer (the one that
    writes a form), mastered to the whole's duration."""
    composer = load_engine("composer", request.composer)
    if getattr(composer, "name", "") != "embedded":
        raise InvalidOption(f"music for a video or an album needs the embedded composer (it writes a section "
                            f"per picture); {request.composer.name!r} cannot", code="invalid_option")
    plan = plan_scenes(beats, energies, whole.beats_per_bar)
    progress("compose", 0.0)
    raw = composer.compose(whole, plan=plan, progress=progress)
    progress("compose", 1.0)
    performance, peaks = master(raw, whole, progress)
    beat = 60.0 / whole.tempo
    starts, at = [], 0
    for n in beats:
        starts.append(round(at * beat, 4))
        at += n
    return Piece(whole, briefs, plan, starts, performance, peaks)
