"""Videos and albums on the web: create (check everything, store, queue), render (the job), and the
share-ready MP4 of any track. Keyword-only and typed, as services.py; nothing is stored when anything
is wrong. The engine work is in melodify.video, melodify.album and melodify.suite."""

from __future__ import annotations

import io
import logging
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import av
import numpy as np
import soundfile
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from melodify import pipeline
from melodify.album.making import Photo, album_seed, check_count, check_seconds, load_photos, make_album
from melodify.album.slideshow import check_size, render_slideshow
from melodify.contracts import MAX_DURATION, MIN_DURATION, Audio
from melodify.engines import commercial_use, terms
from melodify.errors import InvalidOption
from melodify.read.image_loading import load_image
from melodify.request import Request
from melodify.video.mux import mux_soundtrack, output_format
from melodify.video.probe import probe
from melodify.video.scoring import score_video, video_seed

from . import jobs
from .models import Track, track_file_name
from .errors import UploadTooLarge

log = logging.getLogger(__name__)
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "mkv": "video/x-matroska"}


# ---- creating --------------------------------------------------------------------------------

def video_create(*, owner: str, upload: File, request: Request, original_level: float = 0.0) -> Track:
    """Check the video by its headers (length, size, streams) before storing anything, then queue it."""
    if not 0.0 <= original_level <= 1.0:
        raise InvalidOption(f"`keep_original` must be 0 to 1; got {original_level:g}", code="invalid_field")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        info = probe(path)
        request = request if request.seed is not None else request.replace(seed=video_seed(path))
        poster = _poster(path)
        stored = {**request.to_json(), "video": {"width": info.width, "height": info.height,
                                                 "duration": info.duration, "codec": info.codec},
                  "keep_original": original_level}

        def store(track: Track) -> None:
            track.photo.save("photo.jpg", ContentFile(poster), save=False)
            with path.open("rb") as f:
                track.video.save(f"video.{output_format(info.codec)}", File(f), save=False)

        return _create(owner=owner, kind=Track.Kind.VIDEO, request=stored, store=store)


def album_create(*, owner: str, photos: list[tuple[str, bytes]], request: Request, seconds: float) -> Track:
    """Check the count and every photo (an error names the bad one), store them in order, queue."""
    check_count(len(photos))
    for _, data in photos:
        if len(data) > settings.MELODIFY_MAX_UPLOAD_BYTES:
            raise UploadTooLarge(len(data))
    seconds = check_seconds(seconds)
    loaded = load_photos([Photo(name, data) for name, data in photos])
    if request.seed is None:
        request = request.replace(seed=album_seed([Photo(n, d) for n, d in photos]))

    def store(track: Track) -> None:
        track.album = [track.photo.storage.save(track_file_name(track, f"photo-{i:02d}.jpg"), ContentFile(p.jpeg()))
                       for i, p in enumerate(loaded, 1)]
        track.photo.save("photo.jpg", ContentFile(loaded[0].jpeg()), save=False)

    return _create(owner=owner, kind=Track.Kind.ALBUM, request={**request.to_json(), "seconds": seconds},
                   store=store)


def media_vary(*, track: Track, owner: str, request: Request) -> Track:
    """Another version (new seed) or genre of a video or album: the same pictures, copied to a new track."""
    extra = {k: track.request[k] for k in ("video", "keep_original", "seconds") if k in track.request}

    def store(new: Track) -> None:
        with track.photo.open("rb") as f:
            new.photo.save("photo.jpg", File(f), save=False)
        if track.video.name:
            with track.video.open("rb") as f:
                new.video.save(Path(track.video.name).name, File(f), save=False)
        new.album = [new.photo.storage.save(track_file_name(new, Path(name).name), ContentFile(_read(track, name)))
                     for name in track.album]

    return _create(owner=owner, kind=track.kind, request={**request.to_json(), **extra}, store=store, parent=track)


def _create(*, owner: str, kind: str, request: dict, store: Callable[[Track], None],
            parent: Track | None = None) -> Track:
    """The row, its files (`store` saves them on the track), then the job: all of it, or nothing."""
    with transaction.atomic():
        track = Track.objects.create(owner=owner, kind=kind, request=request, parent=parent,
                                     family=parent.family_id if parent else "")   # the takes of one video or album
        try:
            store(track)
            track.save(update_fields=["photo", "video", "album"])
        except BaseException:
            _delete(track)
            raise
        jobs.enqueue(track.id)
    return track


def _poster(path: Path) -> bytes:
    """The first frame, upright, as a JPEG: the picture on the making page and in link previews."""
    with av.open(str(path)) as c:
        frame = next(c.decode(c.streams.video[0]))
        image = frame.to_image()
        rotation = int(round(frame.rotation or 0)) % 360
    if rotation:
        image = image.rotate(rotation, expand=True)
    image.thumbnail((1280, 1280))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


# ---- the job ---------------------------------------------------------------------------------

def render_media(track: Track, *, progress: Callable[[str, float], None], names: Mapping[str, str]) -> None:
    """The job of a video or album track: music, the MP4, the downloads (`names`: field -> stored name),
    then the row says done. services.track_render calls it (and handles failures, as for photos)."""
    request = Request.from_json(track.request)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if track.kind == Track.Kind.VIDEO:
            source = folder / Path(track.video.name).name
            _copy_out(track.video, source)
            result = score_video(source, request, progress=progress)
            movie = mux_soundtrack(source, result.performance.audio, folder / f"scored{source.suffix}",
                                   original_level=float(track.request.get("keep_original") or 0.0))
        else:
            photos = [Photo(Path(name).name, _read(track, name)) for name in track.album]
            result = make_album(photos, request, seconds=float(track.request.get("seconds") or 4.0),
                                progress=progress)
            progress("master", 0.9)
            movie = render_slideshow([p.image for p in result.photos], result.piece.starts,
                                     result.performance.audio, folder / "slideshow.mp4")
        files = {field: pipeline.export(result, field) for field in names}
        _store(track, "movie", f"movie{movie.suffix}", movie.read_bytes())
        for field, data in files.items():
            _store(track, field, names[field], data)
    piece, reading = result.piece, result.readings[0]
    # The stored brief stays a valid MusicBrief (5 to 60 s); the real length is the track's `length`.
    brief = piece.brief.model_copy(update={"duration": max(MIN_DURATION, min(MAX_DURATION, piece.brief.duration))})
    timings = {**result.timings, "total": round(time.perf_counter() - started, 3)}
    made_by = pipeline.credits(request, reading, piece.brief, piece.performance)
    Track.objects.filter(id=track.id, status=Track.Status.RUNNING).update(
        status=Track.Status.DONE, stage="master", percent=100, eta_seconds=None, finished_at=timezone.now(),
        heartbeat_at=timezone.now(), timings=timings, peaks=[round(float(p), 4) for p in piece.peaks],
        reading=reading.model_dump(mode="json"), brief=brief.model_dump(mode="json"),
        sections=piece.starts, length=round(piece.brief.duration, 3),
        engine={"reader": reading.engine, "briefer": piece.brief.engine, "composer": piece.performance.engine,
                "licence": terms(commercial_use(made_by))}, credits=[c.to_json() for c in made_by],
        movie=track.movie.name, **{field: getattr(track, field).name for field in files})


def _store(track: Track, field: str, name: str, data: bytes) -> None:
    field_file = getattr(track, field)
    stored = track_file_name(track, name)
    if field_file.storage.exists(stored):    # a retry overwrites
        field_file.storage.delete(stored)
    field_file.save(name, ContentFile(data), save=False)


def _copy_out(field_file, path: Path) -> None:
    with field_file.open("rb") as src, path.open("wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            dst.write(chunk)


def _read(track: Track, name: str) -> bytes:
    with track.photo.storage.open(name, "rb") as f:
        return f.read()


def _delete(track: Track) -> None:
    storage = track.photo.storage
    for name in [track.photo.name, track.video.name, *track.album]:
        if name and storage.exists(name):
            storage.delete(name)


# ---- the share-ready MP4 -----------------------------------------------------------------------

def track_share_video(*, track: Track, size: str) -> str:
    """The stored name of the track's photo(s) and music as an MP4 of `size` (story 1080x1920, square
    1080x1080), made the first time it is asked for. A video track's share video is the scored video,
    an album's story is its slideshow."""
    check_size(size)
    if track.status != Track.Status.DONE:
        raise InvalidOption("this track is not finished yet; share it once it is made", code="not_ready")
    if track.kind == Track.Kind.VIDEO or (track.kind == Track.Kind.ALBUM and size == "story"):
        return track.movie.name          # the scored video, or the album's own 1080x1920 slideshow
    field = getattr(track, f"share_{size}")
    if field.name and field.storage.exists(field.name):
        return field.name
    names = track.album or [track.photo.name]
    images = [load_image(_read(track, name)).image for name in names]
    with track.wav.open("rb") as f:
        samples, rate = soundfile.read(f, dtype="float32", always_2d=True)
    starts = track.sections or [0.0]
    with tempfile.TemporaryDirectory() as folder:
        out = render_slideshow(images, starts[:len(images)], Audio(np.asarray(samples), rate),
                               Path(folder) / "share.mp4", size=size)
        _store(track, f"share_{size}", f"share-{size}.mp4", out.read_bytes())
    Track.objects.filter(id=track.id).update(**{f"share_{size}": field.name})
    return field.name
