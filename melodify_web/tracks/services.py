"""What the web app does, in one place: the API views, the pages and the job runners all call these.

Keyword-only and typed (HackSoft style). User-facing problems raise melodify.errors.MelodifyError.
What a person asks for is parsed by the engine's own `parse_request`; this module adds only what is
the web's: the upload size, form fields, the engines this server is set up with.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from melodify import pipeline
from melodify.contracts import ImageReading, MusicBrief
from melodify.engines import STAGES, EngineChoice, check_choice, commercial_use, offered_names, terms
from melodify.errors import TRANSIENT, InvalidOption, MelodifyError
from melodify.progress import overall
from melodify.read.image_loading import LoadedImage, load_image
from melodify.request import Request, parse_request

from . import jobs, selectors
from .errors import UploadTooLarge
from .models import Track, track_file_name
from .previews import PreviewWriter, delete_previews

log = logging.getLogger(__name__)

GENERIC_FAILURE = ("Something went wrong while making this track, and trying again did not help. "
                   "Please try another photo, or try again later.")
STAGE_SECONDS = ("read", "brief", "compose", "master", "export")   # the timings that are seconds of a stage
FILES = {"mp3": "track.mp3", "wav": "track.wav", "midi": "track.mid"}   # Track field (= format) -> name


# ---- checking what was asked -------------------------------------------------------------------

def check_upload_size(size: int) -> None:
    if size > settings.MELODIFY_MAX_UPLOAD_BYTES:
        raise UploadTooLarge(size)


MAX_FIELD_CHARS = 100     # a genre, a number, a key: anything longer is not one
MAX_LIST_CHARS = 300      # up to five mood words or eight instruments, with their commas
LIST_FIELDS = ("mood", "instruments")


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
    limit = MAX_LIST_CHARS if name in LIST_FIELDS else MAX_FIELD_CHARS
    if len(text) > limit:
        raise InvalidOption(f"`{name}` is {len(text)} characters long ({quoted(text)}); the limit is {limit}",
                            code="invalid_field")
    return text


# ---- engines -----------------------------------------------------------------------------------

def configured_engines() -> dict[str, EngineChoice]:
    """The engine per stage that this server's settings name (MELODIFY_READER, _MODEL, _DEVICE...)."""
    return {stage: EngineChoice(getattr(settings, f"MELODIFY_{stage.upper()}"),
                                getattr(settings, f"MELODIFY_{stage.upper()}_MODEL") or None,
                                getattr(settings, f"MELODIFY_{stage.upper()}_DEVICE") or None)
            for stage in STAGES}


def check_configured_engines() -> None:
    """Stop at start, naming the setting, when a configured engine is unknown or cannot run here."""
    for stage, choice in configured_engines().items():
        try:
            check_choice(stage, choice)
        except MelodifyError as exc:
            exc.message = f"MELODIFY_{stage.upper()}={choice.name!r}: {exc.message}"
            raise


def engine_options() -> dict[str, tuple[str, ...]]:
    """The engines a person may choose per stage: the configured one first, then the usable ones that need
    no model download (engines.offered_names)."""
    configured = configured_engines()
    return {stage: tuple(dict.fromkeys((configured[stage].name, *offered_names(stage)))) for stage in STAGES}


def _engine(stage: str, name: str | None) -> EngineChoice:
    """The configured engine, or the one a request names among those this server offers."""
    configured = configured_engines()[stage]
    if not name or name == configured.name:
        return configured
    offered = engine_options()[stage]
    if name not in offered:
        raise InvalidOption(f"the {stage} engine {name!r} is not available here; choose one of: "
                            f"{', '.join(offered)}", code="engine_unavailable")
    return EngineChoice(name)


def request_from(*, genre: Any = None, duration: Any = None, seed: Any = None,
                 edits: Mapping[str, Any] | None = None, engines: Mapping[str, str | None] | None = None) -> Request:
    """The engine's Request from what a form or API call sent, with this server's engines."""
    engines = engines or {}
    return parse_request(genre=genre, duration=duration, seed=seed, edits=edits,
                         **{stage: _engine(stage, engines.get(stage)) for stage in STAGES})


def queue_of(track: Track) -> str:
    """The Celery queue of the track's composer, so a job waits only behind jobs of its own engine."""
    return jobs.queue_for(Request.from_json(track.request).composer.name)


# ---- creating --------------------------------------------------------------------------------

def _load_photo(image: bytes) -> LoadedImage:
    check_upload_size(len(image))
    return load_image(image)


def _photo_info(photo: LoadedImage) -> dict:
    return {"width": photo.size[0], "height": photo.size[1], "format": photo.format}


def track_create(*, owner: str, image: bytes, request: Request, parent: Track | None = None) -> Track:
    """Store the photo and queue the job. Nothing is stored when anything is wrong."""
    photo = _load_photo(image)
    request = pipeline.resolve_seed(request, image)   # same photo, same options: same track
    stored = {**request.to_json(), "photo": _photo_info(photo)}
    return _create(owner=owner, jpeg=photo.jpeg(), request=stored, parent=parent)


def _create(*, owner: str, jpeg: bytes, request: dict, parent: Track | None) -> Track:
    with transaction.atomic():
        track = Track.objects.create(owner=owner, request=request, parent=parent)
        try:
            track.photo.save("photo.jpg", ContentFile(jpeg), save=True)
        except BaseException:
            _delete_files(track)
            raise
        jobs.enqueue(track.id, queue=queue_of(track))   # sent once the row is committed
    log.info("track %s queued (owner %s…)", track.id, owner[:6])
    return track


def track_preview(*, image: bytes, request: Request) -> tuple[ImageReading, MusicBrief]:
    """The reading and the brief a track would get, without making one (the upload page's brief card).
    It reads the JPEG a track would store, so preview and track see the same pixels."""
    photo = _load_photo(image)
    request = pipeline.resolve_seed(request, image)
    reading = pipeline.read_photo(photo.jpeg(), request.reader, photo_info=_photo_info(photo))
    return reading, pipeline.write_brief(reading, request)


def track_vary(*, track: Track, owner: str | None = None, genre: str | None = None) -> Track:
    """Another version (same photo, new random seed) or, given a genre, the same photo in another genre."""
    stored = Request.from_json(track.request)
    varied = request_from(genre=genre or stored.genre, duration=stored.duration, edits=stored.edits,
                          engines={stage: stored.engine(stage).name for stage in STAGES})
    request = {**varied.replace(seed=secrets.randbelow(2**32)).to_json(), "photo": track.request.get("photo")}
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

def track_claim(*, track_id: str, worker: str = "") -> Track | None:
    """Take the job with one conditional UPDATE: of two runners, exactly one wins."""
    now = timezone.now()
    won = Track.objects.filter(selectors.claimable(), id=track_id).update(
        status=Track.Status.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
        run_after=None, worker=worker[:200], stage="", percent=0, eta_seconds=None, error_code="",
        error_message="")
    return Track.objects.get(id=track_id) if won else None


class Outcome:
    """What one call of track_render did."""
    DONE, FAILED, RETRY, SKIPPED, BUSY = "done", "failed", "retry", "skipped", "busy"


def track_render(*, track_id: str, worker: str = "") -> str:
    """Run the job for one track; returns an Outcome. Safe to call twice, or for a track that is done:
    one track results. BUSY: another runner holds it (or held it and died: ask again once it is stale).

    Bad input and a missing set-up fail the track at once; a transient fault (a rate limit, a timeout)
    and a crash go back to the queue with a growing delay, until the attempts run out."""
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
        if exc.kind == TRANSIENT:
            log.info("track %s: attempt %d hit a passing fault: %s (%s)", track_id, track.attempts,
                     exc.message, exc.code)
            return _retry_or_fail(track, exc.code, exc.message, exc.retry_after)
        log.info("track %s failed: %s (%s)", track_id, exc.message, exc.code)
        _fail(track_id, exc.code, exc.message)
        return Outcome.FAILED
    except Exception:  # noqa: BLE001 - a bug or a passing fault: log it, retry, never show it
        log.exception("track %s: attempt %d of %d crashed", track_id, track.attempts,
                      settings.MELODIFY_MAX_ATTEMPTS)
        return _retry_or_fail(track, "failed", GENERIC_FAILURE)


def backoff(attempt: int, asked: float | None = None) -> float:
    """Seconds before attempt `attempt + 1`: doubling from MELODIFY_RETRY_DELAY, capped, and never
    sooner than a service asked for (Retry-After)."""
    delay = min(settings.MELODIFY_RETRY_MAX_DELAY, settings.MELODIFY_RETRY_DELAY * 2 ** (attempt - 1))
    return max(delay, asked or 0.0)


def _retry_or_fail(track: Track, code: str, message: str, asked: float | None = None) -> str:
    if track.attempts >= settings.MELODIFY_MAX_ATTEMPTS:
        _fail(track.id, code, message)
        return Outcome.FAILED
    delay = backoff(track.attempts, asked)
    Track.objects.filter(id=track.id, status=Track.Status.RUNNING).update(
        status=Track.Status.QUEUED, stage="", percent=0, eta_seconds=None,
        run_after=timezone.now() + timedelta(seconds=delay))
    jobs.enqueue(track.id, delay, queue=queue_of(track))
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
        self.stage_started: dict[str, tuple[float, float]] = {}   # stage -> (when, fraction) first heard

    def __call__(self, stage: str, fraction: float) -> None:
        now = time.monotonic()
        first = self.stage_started.get(stage)
        if first is None or (first[1] == 0.0 and fraction > 0):   # from the first step, not the model's load
            self.stage_started[stage] = (now, fraction)
        if stage == self.stage and now - self.last_write < self.interval:
            return
        self.stage, self.last_write = stage, now
        done = overall(stage, fraction)
        self.save(stage=stage, percent=min(99, int(done * 100)), eta_seconds=self.eta(stage, fraction, done, now))

    def eta(self, stage: str, fraction: float, done: float, now: float) -> float | None:
        """Seconds left: once a compose stage has run a second (a model decoding step by step, its rate
        steady), from that stage's own measured rate (mastering is short beside it); else from the
        overall rate so far."""
        elapsed = now - self.started
        since, first = self.stage_started[stage]
        if stage == "compose" and fraction - first >= 0.1 and now - since >= 1.0:
            return round((now - since) * (1 - fraction) / (fraction - first), 1)
        return round(elapsed / done - elapsed, 1) if done >= 0.05 else None

    def save(self, **fields) -> None:
        Track.objects.filter(id=self.track_id, status=Track.Status.RUNNING).update(
            heartbeat_at=timezone.now(), **fields)


def _render(track: Track) -> None:
    progress = ProgressWriter(track.id)
    with track.photo.open("rb") as f:
        jpeg = f.read()
    result = pipeline.run(
        jpeg, Request.from_json(track.request), photo_info=track.request.get("photo"), progress=progress,
        on_reading=lambda reading: progress.save(reading=reading.model_dump(mode="json")),
        on_brief=lambda brief: progress.save(brief=brief.model_dump(mode="json")),
        on_audio=PreviewWriter(track.id))
    clock = time.perf_counter()
    files = {field: pipeline.export(result, field) for field in FILES if field in result.formats}
    timings = {**result.timings, "export": round(time.perf_counter() - clock, 4)}
    _finish(track, files, result, timings)
    delete_previews(track.id)


def engine_summary(result: pipeline.Result) -> dict[str, str]:
    """The engines that made a result, and what its licences allow, in words."""
    return {"reader": result.reading.engine, "briefer": result.brief.engine, "composer": result.performance.engine,
            "licence": terms(commercial_use(result.credits))}


def _finish(track: Track, files: dict[str, bytes], result: pipeline.Result, timings: dict[str, float]) -> None:
    for field, data in files.items():
        field_file = getattr(track, field)
        stored = track_file_name(track, FILES[field])
        if field_file.storage.exists(stored):   # a retry overwrites, never adds track_1.mp3
            field_file.storage.delete(stored)
        field_file.save(FILES[field], ContentFile(data), save=False)
    timings["total"] = round(sum(timings.get(stage, 0.0) for stage in STAGE_SECONDS), 3)   # not the tokens
    updated = Track.objects.filter(id=track.id, status=Track.Status.RUNNING).update(
        status=Track.Status.DONE, stage="master", percent=100, eta_seconds=None, finished_at=timezone.now(),
        heartbeat_at=timezone.now(), timings=timings, peaks=[round(float(p), 4) for p in result.peaks],
        engine=engine_summary(result), credits=[c.to_json() for c in result.credits],
        **{field: getattr(track, field).name for field in files})
    log.info("track %s rendered by %s in %.2f s", track.id, track.worker or "-", timings["total"])
    if not updated:
        log.warning("track %s was no longer running when it finished", track.id)


def _delete_files(track: Track) -> None:
    for field in ("photo", *FILES):
        f = getattr(track, field)
        if f.name:
            f.storage.delete(f.name)


def requeue_interrupted() -> int:
    """Embedded mode, on start: jobs that were running when the server stopped go back to the queue."""
    return Track.objects.filter(status=Track.Status.RUNNING).update(status=Track.Status.QUEUED, stage="",
                                                                     percent=0, eta_seconds=None)

