"""What the web app does, in one place: the API views, the pages and the job runners all call these.

Keyword-only and typed (HackSoft style). User-facing problems raise melodify.errors.MelodifyError.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from melodify import pipeline
from melodify.contracts import ImageReading, MusicBrief
from melodify.errors import InvalidOption, MelodifyError
from melodify.genres import get_genre
from melodify.progress import overall
from melodify.read.image_loading import LoadedImage, load_image

from . import jobs
from .models import Track, track_file_name

log = logging.getLogger(__name__)

GENERIC_FAILURE = ("Something went wrong while making this track, and trying again did not help. "
                   "Please try another photo, or try again later.")
EDIT_FIELDS = ("mood", "tempo", "key", "mode")


class UploadTooLarge(MelodifyError):
    code = "upload_too_large"
    http_status = 413

    def __init__(self, size: int) -> None:
        self.size_mb, self.limit_mb = size / 1048576, settings.MELODIFY_MAX_UPLOAD_MB
        super().__init__(f"the upload is {self.size_mb:.1f} MB; the limit is {self.limit_mb} MB; "
                         "upload a smaller photo")

    def in_page_language(self) -> str:
        """The message for a page, in its language (API clients get `message`, in English)."""
        return gettext("This photo is %(size).1f MB; photos can be at most %(limit)s MB. Choose a smaller photo.") % {
            "size": self.size_mb, "limit": self.limit_mb}


# ---- checking what was asked -------------------------------------------------------------------

def check_upload_size(size: int) -> None:
    limit = settings.MELODIFY_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadTooLarge(size)


MAX_FIELD_CHARS = 100     # a genre, a number, a key: anything longer is not one
MAX_MOOD_CHARS = 300      # up to five words and their commas, with room to spare
MAX_MOOD_WORD_CHARS = 30


def quoted(value: object, limit: int = 40) -> str:
    """The value as its sender wrote it (a string in quotes, anything else as JSON), cut short: error
    messages quote the bad value without echoing megabytes back."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


def check_field(name: str, value: object) -> str | None:
    """A form or JSON field as text: None when empty; refused when it is not text or far too long."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InvalidOption(f"`{name}` must be a single text or number value, not {quoted(value)}",
                            code="invalid_field")
    text = str(value)
    limit = MAX_MOOD_CHARS if name == "mood" else MAX_FIELD_CHARS
    if len(text) > limit:
        raise InvalidOption(f"`{name}` is {len(text)} characters long ({quoted(text)}); the limit is {limit}",
                            code="invalid_field")
    return text


def check_genre(genre: str | None) -> str | None:
    """A genre name, or None when the briefer should choose ("auto" or empty)."""
    if genre is None or str(genre).strip().lower() in ("", "auto"):
        return None
    return get_genre(str(genre)).name


def check_seed(seed: int | str | None) -> int | None:
    if seed is None or seed == "":
        return None
    try:
        value = int(str(seed).strip())
    except ValueError:
        raise InvalidOption(f"seed {seed!r} is not a whole number; give 0 to {2**32 - 1} or leave it empty",
                            code="invalid_seed") from None
    if not 0 <= value < 2**32:
        raise InvalidOption(f"seed {seed!r} is out of range; give 0 to {2**32 - 1} or leave it empty",
                            code="invalid_seed")
    return value


def check_edits(edits: dict | None) -> dict:
    """The user's brief changes (mood, tempo, key, mode), checked by the engine's rules; mood words
    must also be short enough to show on a card."""
    checked = pipeline.check_edits(edits, allowed=EDIT_FIELDS)
    for word in checked.get("mood", ()):
        if len(word) > MAX_MOOD_WORD_CHARS:
            raise InvalidOption(f"mood word {quoted(word)} is {len(word)} characters long; use words "
                                f"of up to {MAX_MOOD_WORD_CHARS} characters, such as calm, dreamy, bright",
                                code="invalid_edit")
    return checked


def _engines() -> dict[str, str]:
    return {"reader": settings.MELODIFY_READER, "briefer": settings.MELODIFY_BRIEFER,
            "composer": settings.MELODIFY_COMPOSER}


def _load_photo(image: bytes) -> LoadedImage:
    check_upload_size(len(image))
    return load_image(image)


def _read(jpeg: bytes, photo_info: dict, reader: str, progress=pipeline.no_progress) -> ImageReading:
    """Read the stored JPEG (so preview and track see the same pixels), reporting the original's size."""
    _, reading = pipeline.read_photo(jpeg, engine=reader, progress=progress)
    return reading.model_copy(update=photo_info)


def _photo_info(photo: LoadedImage) -> dict:
    return {"width": photo.size[0], "height": photo.size[1], "format": photo.format}


# ---- creating --------------------------------------------------------------------------------

def track_create(*, owner: str, image: bytes, genre: str | None = None, duration: float = 15.0,
                 seed: int | None = None, edits: dict | None = None, parent: Track | None = None) -> Track:
    """Check everything, store the photo, queue the job. Nothing is stored when anything is wrong."""
    request = {"genre": check_genre(genre), "duration": pipeline.check_duration(duration),
               "seed": check_seed(seed), "edits": check_edits(edits), "engines": _engines()}
    photo = _load_photo(image)
    if request["seed"] is None:   # same photo, same options: same track
        request["seed"] = pipeline.seed_for(image)
    request["photo"] = _photo_info(photo)
    return _create(owner=owner, jpeg=photo.jpeg(), request=request, parent=parent)


def _create(*, owner: str, jpeg: bytes, request: dict, parent: Track | None) -> Track:
    with transaction.atomic():
        track = Track.objects.create(owner=owner, request=request, parent=parent)
        try:
            track.photo.save("photo.jpg", ContentFile(jpeg), save=True)
        except BaseException:
            _delete_files(track)
            raise
        jobs.enqueue(track.id)   # sent once the row is committed
    log.info("track %s queued (owner %s…)", track.id, owner[:6])
    return track


def track_preview(*, image: bytes, genre: str | None = None,
                  duration: float = 15.0) -> tuple[ImageReading, MusicBrief]:
    """The reading and the brief a track would get, without making one (the upload page's brief card)."""
    genre_name, seconds = check_genre(genre), pipeline.check_duration(duration)
    photo = _load_photo(image)
    engines = _engines()
    reading = _read(photo.jpeg(), _photo_info(photo), engines["reader"])
    brief = pipeline.write_brief(reading, seed=pipeline.seed_for(image), duration=seconds, genre=genre_name,
                                 engine=engines["briefer"])
    return reading, brief


def track_vary(*, track: Track, owner: str | None = None, genre: str | None = None) -> Track:
    """Another version (same photo, new random seed) or, given a genre, the same photo in another genre."""
    request = dict(track.request)
    request["genre"] = check_genre(genre) if genre else request.get("genre")
    request["seed"] = secrets.randbelow(2**32)
    request["engines"] = _engines()
    with track.photo.open("rb") as f:
        jpeg = f.read()
    return _create(owner=owner or track.owner, jpeg=jpeg, request=request, parent=track)


VOTES = {"up": 1, "down": -1, "none": 0}


def track_vote(*, track: Track, vote: str) -> Track:
    if not vote:
        raise InvalidOption('no vote was sent; send {"vote": "up"}, "down" or "none"', code="invalid_vote")
    if vote not in VOTES:
        raise InvalidOption(f"vote {quoted(vote)} is unknown; send up, down or none", code="invalid_vote")
    track.vote = VOTES[vote]
    track.save(update_fields=["vote"])
    return track


# ---- the job ---------------------------------------------------------------------------------

def stale_before() -> datetime:
    """A running row whose heartbeat is older than this has lost its worker."""
    return timezone.now() - timedelta(seconds=settings.MELODIFY_TIME_LIMIT + 60)


def track_claim(*, track_id: str, worker: str = "") -> Track | None:
    """Take the job with one conditional UPDATE: of two runners, exactly one wins."""
    now = timezone.now()
    claimable = Q(status=Track.Status.QUEUED) | Q(status=Track.Status.RUNNING, heartbeat_at__lt=stale_before())
    won = Track.objects.filter(claimable, id=track_id).update(
        status=Track.Status.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
        worker=worker[:200], stage="", percent=0, eta_seconds=None, error_code="", error_message="")
    return Track.objects.get(id=track_id) if won else None


class Outcome:
    """What one call of track_render did."""
    DONE, FAILED, RETRY, SKIPPED, BUSY = "done", "failed", "retry", "skipped", "busy"


def track_render(*, track_id: str, worker: str = "") -> str:
    """Run the job for one track; returns an Outcome. Safe to call twice, or for a track that is done:
    one track results. BUSY: another runner holds it (or held it and died: ask again once it is stale)."""
    track = track_claim(track_id=track_id, worker=worker)
    if track is None:
        status = Track.objects.filter(id=track_id).values_list("status", flat=True).first()
        log.info("track %s: not claimed (it is %s)", track_id, status or "gone")
        return Outcome.BUSY if status == Track.Status.RUNNING else Outcome.SKIPPED
    if track.attempts > settings.MELODIFY_MAX_ATTEMPTS:   # it keeps killing its workers
        _fail(track_id, "failed", GENERIC_FAILURE)
        return Outcome.FAILED
    try:
        _render(track)
        return Outcome.DONE
    except MelodifyError as exc:
        log.info("track %s failed: %s (%s)", track_id, exc.message, exc.code)
        _fail(track_id, exc.code, exc.message)
        return Outcome.FAILED
    except Exception:  # noqa: BLE001 - a bug or a passing fault: log it, retry, never show it
        log.exception("track %s: attempt %d of %d crashed", track_id, track.attempts,
                      settings.MELODIFY_MAX_ATTEMPTS)
        if track.attempts >= settings.MELODIFY_MAX_ATTEMPTS:
            _fail(track_id, "failed", GENERIC_FAILURE)
            return Outcome.FAILED
        Track.objects.filter(id=track_id, status=Track.Status.RUNNING).update(
            status=Track.Status.QUEUED, stage="", percent=0, eta_seconds=None)
        jobs.enqueue(track_id)
        return Outcome.RETRY


def _fail(track_id: str, code: str, message: str) -> None:
    Track.objects.filter(id=track_id).update(
        status=Track.Status.FAILED, error_code=code, error_message=message, eta_seconds=None,
        finished_at=timezone.now())


class ProgressWriter:
    """The engine's (stage, fraction) callback: writes stage/percent/eta to the row, ~4 times a second."""

    interval = 0.25

    def __init__(self, track_id: str) -> None:
        self.track_id = track_id
        self.started = time.monotonic()
        self.last_write = 0.0
        self.stage = ""

    def __call__(self, stage: str, fraction: float) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last_write < self.interval:
            return
        self.stage, self.last_write = stage, now
        done = overall(stage, fraction)
        elapsed = now - self.started
        eta = round(elapsed / done - elapsed, 1) if done >= 0.05 else None
        self.save(stage=stage, percent=min(99, int(done * 100)), eta_seconds=eta)

    def save(self, **fields) -> None:
        Track.objects.filter(id=self.track_id, status=Track.Status.RUNNING).update(
            heartbeat_at=timezone.now(), **fields)


def _render(track: Track) -> None:
    from melodify.compose.midi import score_to_midi
    from melodify.master.encode import encode

    req = track.request
    engines = req.get("engines") or _engines()
    progress = ProgressWriter(track.id)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        timings[name], clock = round(time.perf_counter() - clock, 3), time.perf_counter()

    with track.photo.open("rb") as f:
        jpeg = f.read()
    reading = _read(jpeg, req.get("photo") or {}, engines["reader"], progress)
    progress.save(reading=reading.model_dump(mode="json"))
    lap("read")
    brief = pipeline.write_brief(reading, seed=req["seed"], duration=req["duration"], genre=req.get("genre"),
                                 edits=req.get("edits") or None, engine=engines["briefer"], progress=progress)
    progress.save(brief=brief.model_dump(mode="json"))
    lap("brief")
    raw = pipeline.perform(brief, engine=engines["composer"], progress=progress)
    lap("compose")
    performance, peaks = pipeline.master(raw, brief, progress)
    files = {"mp3": ("track.mp3", encode(performance.audio, "mp3")),
             "wav": ("track.wav", encode(performance.audio, "wav"))}
    if performance.score is not None:
        files["midi"] = ("track.mid", score_to_midi(performance.score))
    lap("master")
    _finish(track, files, peaks=peaks, timings=timings, soundfont=performance.soundfont or "",
            engine={**engines, "composer": performance.engine or engines["composer"]})


LICENCES = {"FluidR3_GM.sf2": "MIT", "TimGM6mb.sf2": "GPL-2.0"}


def _finish(track: Track, files: dict[str, tuple[str, bytes]], *, peaks: list[float], timings: dict,
            soundfont: str, engine: dict) -> None:
    for field, (name, data) in files.items():
        field_file = getattr(track, field)
        stored = track_file_name(track, name)
        if field_file.storage.exists(stored):   # a retry overwrites, never adds track_1.mp3
            field_file.storage.delete(stored)
        field_file.save(name, ContentFile(data), save=False)
    timings["total"] = round(sum(timings.values()), 3)
    engine = {**engine, "soundfont": soundfont,
              "licence": f"embedded engines: MIT; SoundFont {soundfont or 'none'}: "
                         f"{LICENCES.get(soundfont, 'see its own licence')}"}
    updated = Track.objects.filter(id=track.id, status=Track.Status.RUNNING).update(
        status=Track.Status.DONE, stage="master", percent=100, eta_seconds=None, finished_at=timezone.now(),
        heartbeat_at=timezone.now(), timings=timings, peaks=[round(float(p), 4) for p in peaks],
        soundfont=soundfont, engine=engine, **{field: getattr(track, field).name for field in files})
    log.info("track %s rendered by %s in %.2f s", track.id, track.worker or "-", timings["total"])
    if not updated:
        log.warning("track %s was no longer running when it finished", track.id)


def _delete_files(track: Track) -> None:
    for field in ("photo", "mp3", "wav", "midi"):
        f = getattr(track, field)
        if f.name:
            f.storage.delete(f.name)


def requeue_interrupted() -> int:
    """Embedded mode, on start: jobs that were running when the server stopped go back to the queue."""
    return Track.objects.filter(status=Track.Status.RUNNING).update(status=Track.Status.QUEUED, stage="",
                                                                     percent=0, eta_seconds=None)
