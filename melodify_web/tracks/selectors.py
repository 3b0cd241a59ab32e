"""Reading tracks. Anyone holding a track's id may read it (it is the share link); lists are per owner;
changing one (a vote, a variation, deleting it) is for its owner only."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from melodify.brief.description_ko import MOODS_KO
from melodify.contracts import ImageReading, MusicBrief
from melodify.genres import GENRES
from melodify.title import make_title

from .errors import NotYours, TrackNotFound
from .models import Track

log = logging.getLogger(__name__)


def track_get(track_id: str) -> Track:
    track = Track.objects.filter(id=track_id).first()
    if track is None:
        raise TrackNotFound(f"there is no track {track_id!r}; check the link, or make a new track")
    return track


def track_get_owned(track_id: str, *, owner: str, to: str) -> Track:
    """The track, if `owner` made it; NotYours (403) for anyone else holding its link. `to` says what
    they tried: "rate it", "delete it"..."""
    return check_owner(track_get(track_id), owner=owner, to=to)


def check_owner(track: Track, *, owner: str, to: str) -> Track:
    if not owner or track.owner != owner:
        raise NotYours(f"only the browser that made this track can {to}; a share link only plays it")
    return track


def track_list(*, owner: str, limit: int = 100) -> QuerySet[Track]:
    return Track.objects.filter(owner=owner).order_by("-created_at")[:limit]


TYPICAL_SECONDS = 15.0   # a track's making time, as a guess until some are done
RECENT = 20              # the done tracks whose times make the estimate


def typical_seconds() -> float:
    """How long making a track takes here lately: the mean of the last RECENT tracks' start to finish."""
    times = Track.objects.filter(status=Track.Status.DONE, started_at__isnull=False, finished_at__isnull=False) \
        .order_by("-finished_at").values_list("started_at", "finished_at")[:RECENT]
    seconds = [(finished - started).total_seconds() for started, finished in times]
    return sum(seconds) / len(seconds) if seconds else TYPICAL_SECONDS


def queue_place(track: Track) -> dict:
    """A queued track's place in the queue (1: next) and the seconds until it is likely done, with as
    many tracks made at once as are being made now (at least one)."""
    position = Track.objects.filter(status=Track.Status.QUEUED, created_at__lte=track.created_at).count()
    running = Track.objects.filter(status=Track.Status.RUNNING).count()
    # The ones being made finish, the ones ahead go `running` at a time, then this one is made.
    rounds = (1 if running else 0) + -(-(position - 1) // max(1, running)) + 1
    return {"position": position, "eta_seconds": round(rounds * typical_seconds(), 1)}


def stale_before() -> datetime:
    """A running row whose heartbeat is older than this has lost its worker."""
    return timezone.now() - timedelta(seconds=settings.MELODIFY_STALE_SECONDS)


def claimable() -> Q:
    """Rows a runner may take: queued, or running with a heartbeat so old that its runner is gone."""
    return Q(status=Track.Status.QUEUED) | Q(status=Track.Status.RUNNING, heartbeat_at__lt=stale_before())


def next_queued_id() -> str | None:
    """The oldest job that is due (a retry waits out its backoff)."""
    due = Q(run_after__isnull=True) | Q(run_after__lte=timezone.now())
    return Track.objects.filter(claimable(), due).order_by("created_at").values_list("id", flat=True).first()


def seconds_to_next_retry() -> float | None:
    """How long until the earliest retry that is waiting out its backoff, if any."""
    first = (Track.objects.filter(status=Track.Status.QUEUED, run_after__gt=timezone.now())
             .order_by("run_after").values_list("run_after", flat=True).first())
    return (first - timezone.now()).total_seconds() if first else None


MAX_TAKES = 50


def track_takes(track: Track) -> list[Track]:
    """Every take of the track's photo (the first, its versions, theirs...), oldest first."""
    family = track.family_id
    return list(Track.objects.filter(Q(id=family) | Q(family=family)).order_by("created_at")[:MAX_TAKES])


def track_title(track: Track, lang: str = "en") -> str:
    """The title people see: their own, else the one written from the photo and the brief ("" until
    there is a brief)."""
    if track.title:
        return track.title
    if not track.brief or not track.reading:
        return ""
    try:
        return make_title(ImageReading.model_validate(track.reading), MusicBrief.model_validate(track.brief), lang)
    except Exception:  # noqa: BLE001 - a stored brief that no longer validates keeps its page, untitled
        log.exception("track %s: no title", track.id)
        return ""


def search_words(track: Track) -> str:
    """What a search of My tracks looks in: genre (name and labels), mood words in English and Korean,
    the title and the caption, lower-cased."""
    brief = track.brief or {}
    genre = GENRES.get(track.genre)
    moods = [str(word) for word in brief.get("mood") or []]
    reading = track.reading or {}
    words = [track.genre, *((genre.label, genre.label_ko) if genre else ()), *moods,
             *(MOODS_KO.get(word.lower(), "") for word in moods), track_title(track, "en"), track_title(track, "ko"),
             reading.get("caption", ""), reading.get("caption_ko", "")]
    return " ".join(words).lower()


def track_search(*, owner: str, query: str, limit: int = 100) -> list[Track]:
    """The owner's tracks whose genre, mood, title or caption holds every word of `query` ("" = all).
    Matched in Python over the owner's newest tracks: the same on SQLite and PostgreSQL, Korean included."""
    tracks = list(track_list(owner=owner, limit=limit))
    terms = query.lower().split()
    if not terms:
        return tracks
    return [t for t in tracks if all(term in search_words(t) for term in terms)]
