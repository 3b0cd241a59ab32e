"""Reading tracks. Anyone holding a track's id may read it (it is the share link); lists are per owner;
changing one (a vote, a variation, deleting it) is for its owner only."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from .errors import NotYours, TrackNotFound
from .models import Track


def track_get(track_id: str) -> Track:
    track = Track.objects.filter(id=track_id).first()
    if track is None:
        raise TrackNotFound(f"there is no track {track_id!r}; check the link, or make a new track")
    return track


def track_get_owned(track_id: str, *, owner: str, to: str) -> Track:
    """The track, if `owner` made it; NotYours (403) for anyone else holding its link. `to` says what
    they tried: "rate it", "delete it"..."""
    track = track_get(track_id)
    if not owner or track.owner != owner:
        raise NotYours(f"only the browser that made this track can {to}; a share link only plays it")
    return track


def track_list(*, owner: str, limit: int = 100) -> QuerySet[Track]:
    return Track.objects.filter(owner=owner).order_by("-created_at")[:limit]


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
