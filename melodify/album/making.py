"""`make_album`: 2 to 30 photos in order become one piece: a shared key and tempo, a section per photo
(each photo's energy shapes how its section plays), an intro on the first and the ending on the last."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..contracts import ImageReading
from ..errors import InvalidImage, InvalidOption
from ..progress import Laps, ProgressCallback, no_progress
from ..read.image_loading import LoadedImage, load_image
from ..request import Request
from ..suite import PieceResult, compose_piece, read_pictures, write_briefs

MIN_PHOTOS = 2
MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 2.0, 15.0, 4.0     # on screen per photo
RING = 1.0      # seconds after the last section for the final chord to ring


def max_photos() -> int:
    return int(os.environ.get("MELODIFY_ALBUM_MAX_PHOTOS", "30"))


@dataclass
class Photo:
    name: str                  # for messages: the file name, or "photo 3"
    data: bytes


@dataclass
class AlbumResult(PieceResult):
    photos: list[LoadedImage] = field(default_factory=list)
    readings: list[ImageReading] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def check_count(count: int, *, least: int = MIN_PHOTOS) -> None:
    most = max_photos()
    if not least <= count <= most:
        raise InvalidOption(f"an album takes {least} to {most} photos; {count} {'was' if count == 1 else 'were'} sent"
                            + ("" if count else " (choose some photos)"), code="album_size")


def check_seconds(seconds: float | str) -> float:
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        raise InvalidOption(f"seconds per photo must be a number; got {seconds!r}") from None
    if not MIN_SECONDS <= value <= MAX_SECONDS:
        raise InvalidOption(f"seconds per photo must be {MIN_SECONDS:g} to {MAX_SECONDS:g}; got {value:g}")
    return value


def load_photos(photos: Sequence[Photo]) -> list[LoadedImage]:
    """Every photo decoded, or an InvalidImage that says which one and why (nothing else is kept)."""
    loaded = []
    for i, photo in enumerate(photos, 1):
        try:
            loaded.append(load_image(photo.data))
        except InvalidImage as exc:
            raise InvalidImage(f"photo {i} of {len(photos)} ({photo.name}): {exc.message}", code=exc.code) from None
    return loaded


def fitting_tempo(tempo: int, seconds: float, beats_per_bar: int) -> int:
    """The tempo nearest the brief's at which a photo's time on screen is a whole number of bars."""
    fits = [round(bars * beats_per_bar * 60 / seconds) for bars in range(1, 17)]
    return min((t for t in fits if 40 <= t <= 220), key=lambda t: abs(t - tempo), default=tempo)


def album_seed(photos: Sequence[Photo]) -> int:
    digest = hashlib.sha256(b"".join(hashlib.sha256(p.data).digest() for p in photos)).digest()
    return int.from_bytes(digest[:4], "big")


def make_album(photos: Sequence[Photo], request: Request = Request(), *, seconds: float = DEFAULT_SECONDS,
               least: int = MIN_PHOTOS, progress: ProgressCallback = no_progress) -> AlbumResult:
    check_count(len(photos), least=least)
    seconds = check_seconds(seconds)
    lap = Laps()
    loaded = load_photos(photos)
    if request.seed is None:
        request = request.replace(seed=album_seed(photos))
    progress("read", 0.0)
    readings = read_pictures([p.image for p in loaded], request, progress=progress)
    lap("read")
    progress("brief", 0.0)
    whole, briefs = write_briefs(readings, [1.0] * len(readings), request, len(photos) * seconds,
                                 tempo=lambda brief: fitting_tempo(brief.tempo, seconds, brief.beats_per_bar))
    bar = whole.beats_per_bar
    bars = max(1, round(seconds * whole.tempo / 60 / bar))
    beats = [bars * bar] * len(photos)
    beats[-1] += bar                       # the last photo stays for the final chord
    whole = whole.model_copy(update={"duration": round(sum(beats) * 60 / whole.tempo + RING, 3)})
    progress("brief", 1.0)
    lap("brief")
    piece = compose_piece(whole, briefs, beats, [b.energy for b in briefs], request, progress=progress)
    lap("compose_master")
    return AlbumResult(piece, loaded, readings, lap.timings)
