"""What the web app does, in one place: the API views, the pages and the job runners all call these.

Keyword-only and typed (HackSoft style). User-facing problems raise melodify.errors.MelodifyError.
What a person asks for is parsed by the engine's own `parse_request`; this module adds only what is
the web's: the upload size, form fields, the engines this server is set up with.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from pydantic import ValidationError
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from melodify import pipeline
from melodify.contracts import ImageReading, MusicBrief
from melodify.engines import STAGES, EngineChoice, check_choice, commercial_use, offered_names, prepare, terms
from melodify.errors import TRANSIENT, InvalidOption, MelodifyError
from melodify.progress import overall
from melodify.read.image_loading import LoadedImage, load_image
from melodify.request import Request, check_edits, parse_request
from melodify.title import check_title

from melodify_web.logs import track_context

from . import handoff, jobs, limits, media_services, selectors
from .errors import QueueUnavailable, UploadTooLarge
from .models import Track, track_file_name
from .previews import PreviewWriter, delete_previews

log = logging.getLogger(__name__)

TIME_LIMIT_MESSAGE = ("Making this track took longer than the %(limit)s s limit, so it was stopped. "
                      "Please try again with a shorter length, or another photo.")
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
LONG_FIELDS = (*LIST_FIELDS, "prompt")   # a prompt is a line of words (melodify.request.MAX_PROMPT)


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
                            code="invalid_field", field=name)
    text = str(value)
    limit = MAX_LIST_CHARS if name in LONG_FIELDS else MAX_FIELD_CHARS
    if len(text) > limit:
        raise InvalidOption(f"`{name}` is {len(text)} characters long ({quoted(text)}); the limit is {limit}",
                            code="invalid_field", field=name)
    return text


def check_known_fields(sent: set[str], known: set[str]) -> None:
    """A field a call does not take (a typo such as `tempoo`, an option of another endpoint) is refused,
    never silently ignored: the person would get a track without what they asked for."""
    unknown = sorted(sent - known)
    if unknown:
        raise InvalidOption(f"unknown field {quoted(unknown[0])}"
                            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
                            + f"; the fields are: {', '.join(sorted(known))}", code="unknown_field")


# ---- engines -----------------------------------------------------------------------------------

def configured_engines() -> dict[str, EngineChoice]:
    """The engine per stage that this server's settings name (MELODIFY_READER, _MODEL, _DEVICE...)."""
    return {stage: EngineChoice(getattr(settings, f"MELODIFY_{stage.upper()}"),
                                getattr(settings, f"MELODIFY_{stage.upper()}_MODEL") or None,
                                getattr(settings, f"MELODIFY_{stage.upper()}_DEVICE") or None)
            for stage in STAGES}


def prepare_engines(composers: Sequence[str] | None = None) -> threading.Thread:
    """Start what the configured engines' first jobs would wait for (melodify.engines.prepare: MusicGen's
    CPU kernels); `composers`: a Celery worker's own composer engines instead of the site's."""
    configured = configured_engines()
    chosen = configured["composer"]
    choices = [(stage, choice) for stage, choice in configured.items() if stage != "composer"]
    choices += [("composer", chosen if name == chosen.name else EngineChoice(name))
                for name in (composers if composers is not None else [chosen.name])]
    return prepare(choices)


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
        raise InvalidOption(f"the {stage} engine {quoted(name)} is not available here; choose one of: "
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
    limits.admit(owner=owner)
    photo = _load_photo(image)
    request = pipeline.resolve_seed(request, image)   # same photo, same options: same track
    stored = {**request.to_json(), "photo": _photo_info(photo)}
    return _create(owner=owner, jpeg=photo.jpeg(), request=stored, parent=parent)


def _create(*, owner: str, jpeg: bytes, request: dict, parent: Track | None) -> Track:
    track = None
    try:
        with transaction.atomic():
            track = Track.objects.create(owner=owner, request=request, parent=parent,
                                         family=parent.family_id if parent else "")
            try:
                track.photo.save("photo.jpg", ContentFile(jpeg), save=True)
            except BaseException:
                _delete_files(track)
                raise
            jobs.enqueue(track.id, queue=queue_of(track))   # sent once the row is committed
    except QueueUnavailable:   # committed, but never sent: take it back, the caller is told to retry
        _delete_files(track)
        Track.objects.filter(id=track.id).delete()
        raise
    log.info("track %s queued (owner %s…)", track.id, owner[:6], extra={"track": track.id})
    return track


def photo_from_url(*, url: Any) -> bytes:
    """The photo at a URL as the JPEG a track would store: fetched with strict limits (fetch.py), then
    through the same image door as an upload, so what is not a photo is refused the same way."""
    from .fetch import fetch_photo

    return _load_photo(fetch_photo(url)).jpeg()


def track_preview(*, image: bytes, request: Request) -> tuple[ImageReading, MusicBrief]:
    """The reading and the brief a track would get, without making one (the upload page's brief card).
    It reads the JPEG a track would store, so preview and track see the same pixels."""
    photo = _load_photo(image)
    request = pipeline.resolve_seed(request, image)
    reading = pipeline.read_photo(photo.jpeg(), request.reader, photo_info=_photo_info(photo))
    return reading, pipeline.write_brief(reading, request)


def brief_reword(*, reading: Any, brief: Any, edits: Mapping[str, Any]) -> tuple[ImageReading, MusicBrief]:
    """A preview's brief with a person's changes, its description rewritten to say them (the card)."""
    try:
        reading, brief = ImageReading.model_validate(reading), MusicBrief.model_validate(brief)
    except ValidationError as exc:
        raise InvalidOption("`reading` and `brief` must be what POST /api/v1/previews answered "
                            f"({exc.errors()[0]['loc']}: {exc.errors()[0]['msg']})", code="invalid_brief") from None
    if not isinstance(edits, Mapping):
        raise InvalidOption(f"`edits` must be an object of brief fields, not {quoted(edits)}", code="invalid_edit")
    return reading, pipeline.reword_brief(brief, reading, {name: check_field(name, value) for name, value in edits.items()})


def track_vary(*, track: Track, owner: str | None = None, genre: str | None = None,
               edits: Mapping[str, Any] | None = None, seed: Any = None, duration: Any = None) -> Track:
    """A new take of the same photo, linked to `track`: another version (a new random seed), another
    genre, or the brief changed and made again. `edits` are the brief card's fields as sent; only those
    that differ from the track's brief become edits, so a changed genre keeps its own tempo and
    instruments unless the person changed them. A seed sent is kept (the same take, edited)."""
    limits.admit(owner=owner or track.owner)
    stored = Request.from_json(track.request)
    changed = {name: value for name, value in check_edits(edits).items() if value != (track.brief or {}).get(name)}
    varied = request_from(genre=genre or stored.genre, duration=duration or stored.duration, seed=seed,
                          edits={**stored.edits, **changed},
                          engines={stage: stored.engine(stage).name for stage in STAGES})
    if varied.seed is None:
        varied = varied.replace(seed=secrets.randbelow(2**32))
    if track.kind != Track.Kind.PHOTO:     # a video or album: the same pictures, a new seed or genre
        return media_services.media_vary(track=track, owner=owner or track.owner, request=varied)
    request = {**varied.to_json(), "photo": track.request.get("photo")}
    with track.photo.open("rb") as f:
        jpeg = f.read()
    return _create(owner=owner or track.owner, jpeg=jpeg, request=request, parent=track)


def track_rename(*, track: Track, owner: str, title: Any) -> Track:
    """A person's own title; empty gives the written one back."""
    selectors.check_owner(track, owner=owner, to="rename it")
    track.title = check_title(title)
    track.save(update_fields=["title"])
    return track


VOTES = {"up": 1, "down": -1, "none": 0}


def track_vote(*, track: Track, vote: str) -> Track:
    if not vote:
        raise InvalidOption('no vote was sent; send {"vote": "up"}, "down" or "none"', code="invalid_vote")
    if vote not in VOTES:
        raise InvalidOption(f"vote {quoted(vote)} is unknown; send up, down or none", code="invalid_vote")
    track.vote = VOTES[vote]
    track.save(update_fields=["vote"])
    return track


def track_delete(*, track: Track, owner: str) -> None:
    """The row and every file of it: the photo, the audio, the MIDI, and its folder where there is one.
    A job still running for it finds no row when it finishes, and removes what it wrote (_finish).
    Its takes stay (they lose their parent, keep their family)."""
    selectors.check_owner(track, owner=owner, to="delete it")
    _delete_files(track)
    track.delete()
    log.info("track %s deleted", track.id)


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
    DONE, FAILED, RETRY, SKIPPED, BUSY, HANDED_OFF = "done", "failed", "retry", "skipped", "busy", "handed off"


def track_render(*, track_id: str, worker: str = "") -> str:
    """Run the job for one track; returns an Outcome. Safe to call twice, or for a track that is done:
    one track results. BUSY: another runner holds it (or held it and died: ask again once it is stale).

    Bad input and a missing set-up fail the track at once; a transient fault (a rate limit, a timeout)
    and a crash go back to the queue with a growing delay, until the attempts run out; a job over the
    time limit fails, its partial files removed."""
    with track_context(track_id):
        return _claim_and_render(track_id, worker)


def _claim_and_render(track_id: str, worker: str) -> str:
    track = track_claim(track_id=track_id, worker=worker)
    if track is None:
        status = Track.objects.filter(id=track_id).values_list("status", flat=True).first()
        log.info("track %s: not claimed (it is %s)", track_id, status or "gone")
        return Outcome.BUSY if status == Track.Status.RUNNING else Outcome.SKIPPED
    if track.attempts > settings.MELODIFY_MAX_ATTEMPTS:   # it keeps killing its workers
        _fail(track_id, "failed", GENERIC_FAILURE)
        return Outcome.FAILED
    try:
        with heartbeat(track_id):
            _render(track)
        return Outcome.DONE
    except handoff.HandOff:   # this runner is stopping: another one makes it
        _hand_back(track, worker)
        return Outcome.HANDED_OFF
    except SoftTimeLimitExceeded:   # a hang: the same job would hang again, so it is not retried
        log.warning("track %s: over the %d s time limit, stopped", track_id, settings.MELODIFY_TIME_LIMIT)
        _delete_files(track, outputs_only=True)
        _fail(track_id, "time_limit", TIME_LIMIT_MESSAGE % {"limit": settings.MELODIFY_TIME_LIMIT})
        return Outcome.FAILED
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


def track_stopped_over_time(*, track_id: str, worker: str) -> None:
    """The job's process was killed past the hard time limit (it hung where the soft limit could not
    reach it, in native code): its partial files go, and the track fails saying so."""
    track = Track.objects.filter(id=track_id, status=Track.Status.RUNNING, worker=worker[:200]).first()
    if track is None:   # it finished, or was taken again, meanwhile
        return
    _delete_files(track, outputs_only=True)
    delete_previews(track_id)
    _fail(track_id, "time_limit", TIME_LIMIT_MESSAGE % {"limit": settings.MELODIFY_TIME_LIMIT})


def _hand_back(track: Track, worker: str) -> None:
    """A job stopped for a hand-off: its partial files go, and its row goes back to the queue with the
    attempt given back (nothing was wrong with it), then it is sent again to its composer's queue."""
    held = Track.objects.filter(id=track.id, status=Track.Status.RUNNING, worker=worker[:200])
    if not held.exists():   # deleted, or taken again meanwhile: not ours to give back
        return
    _delete_files(track, outputs_only=True)
    delete_previews(track.id)
    held.update(status=Track.Status.QUEUED, attempts=F("attempts") - 1, stage="", percent=0, eta_seconds=None,
                run_after=None, heartbeat_at=timezone.now())   # heartbeat of a queued row: when last sent
    log.info("track %s: its worker is stopping; handed back to the queue", track.id)
    try:
        jobs.send(track.id, queue=queue_of(track))
    except QueueUnavailable:   # the row is queued: the sweep sends it once Redis is back
        log.warning("track %s: handed back, but Redis is down; the sweep sends it later", track.id)


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
        handoff.check()   # the runner is stopping: the job goes back to the queue from here
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
        overall rate so far. None while the composer has not begun (its model loading): no rate says how long
        that takes, and a guess from the stages before it stood still at a second or two for the whole load."""
        elapsed = now - self.started
        since, first = self.stage_started[stage]
        if stage == "compose" and fraction == 0:
            return None
        if stage == "compose" and fraction - first >= 0.1 and now - since >= 1.0:
            return round((now - since) * (1 - fraction) / (fraction - first), 1)
        return round(elapsed / done - elapsed, 1) if done >= 0.05 else None

    def save(self, **fields) -> None:
        Track.objects.filter(id=self.track_id, status=Track.Status.RUNNING).update(
            heartbeat_at=timezone.now(), **fields)


def _render(track: Track) -> None:
    progress = ProgressWriter(track.id)
    if track.kind != Track.Kind.PHOTO:
        return media_services.render_media(track, progress=progress, names=FILES)
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
        if not Track.objects.filter(id=track.id).exists():   # deleted meanwhile: leave nothing behind
            _delete_files(track)


def _delete_files(track: Track | None, *, outputs_only: bool = False) -> None:
    """The track's files; with outputs_only, what a job wrote (even half-written, not yet on the row)."""
    if track is None:
        return
    if outputs_only:
        storage = track.photo.storage
        for name in FILES.values():
            if storage.exists(track_file_name(track, name)):
                storage.delete(track_file_name(track, name))
        return
    storage = track.photo.storage
    for field in ("photo", *FILES, "video", "movie", "share_story", "share_square"):
        f = getattr(track, field)
        if f.name:
            storage.delete(f.name)
    folder = track_file_name(track, "")
    if isinstance(storage, FileSystemStorage) and storage.exists(folder) and storage.listdir(folder) == ([], []):
        os.rmdir(storage.path(folder))   # local storage keeps folders; object stores have none


@contextmanager
def heartbeat(track_id: str) -> Iterator[None]:
    """Beat the row every MELODIFY_HEARTBEAT_SECONDS while the job runs, even through a long stage that
    reports no progress: a row that stops beating has lost its runner, and is taken again soon after.
    Inside an outer transaction (tests), no other connection could see the row: no beat then."""
    if connection.in_atomic_block:
        yield
        return
    done = threading.Event()

    def beat() -> None:
        try:
            while not done.wait(settings.MELODIFY_HEARTBEAT_SECONDS):
                Track.objects.filter(id=track_id, status=Track.Status.RUNNING).update(heartbeat_at=timezone.now())
        except Exception:  # noqa: BLE001 - a missed beat only makes the row look stale sooner
            log.warning("track %s: heartbeat stopped", track_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{track_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def requeue_lost() -> list[str]:
    """The ids to send again: running jobs whose runner went silent (killed), put back in the queue, and
    queued jobs waiting past the stale window while the broker's queue is empty (their message was lost:
    Redis restarted without it). Sending one twice is safe: only one runner can claim it."""
    now, stale = timezone.now(), selectors.stale_before()
    ids = []
    silent = Track.objects.filter(status=Track.Status.RUNNING, heartbeat_at__lt=stale)
    for track_id in silent.values_list("id", flat=True):
        if silent.filter(id=track_id).update(status=Track.Status.QUEUED, stage="", percent=0, eta_seconds=None,
                                             heartbeat_at=now):
            log.warning("track %s: its runner went silent; queued again", track_id, extra={"track": track_id})
            ids.append(track_id)
    if jobs.broker_backlog() == 0:
        unsent = Track.objects.filter(
            Q(run_after__isnull=True) | Q(run_after__lt=stale),
            Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale),
            status=Track.Status.QUEUED).exclude(id__in=ids)
        for track_id in unsent.values_list("id", flat=True):
            if unsent.filter(id=track_id).update(heartbeat_at=now):   # heartbeat of a queued row: last sent
                ids.append(track_id)
    return ids


def requeue_interrupted() -> int:
    """Embedded mode, on start: jobs that were running when the server stopped go back to the queue."""
    return Track.objects.filter(status=Track.Status.RUNNING).update(status=Track.Status.QUEUED, stage="",
                                                                     percent=0, eta_seconds=None)

