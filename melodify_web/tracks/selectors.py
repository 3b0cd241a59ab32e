"""Reading tracks. Anyone holding a track's id may read it (it is the share link); lists are per owner."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from melodify.errors import MelodifyError

from .models import Track


class TrackNotFound(MelodifyError):
    code = "not_found"
    http_status = 404


def track_get(track_id: str) -> Track:
    track = Track.objects.filter(id=track_id).first()
    if track is None:
        raise TrackNotFound(f"there is no track {track_id!r}; check the link, or make a new track")
    return track


def track_list(*, owner: str, limit: int = 100) -> QuerySet[Track]:
    return Track.objects.filter(owner=owner).order_by("-created_at")[:limit]


def next_queued_id() -> str | None:
    """The oldest job to run: queued, or running with a heartbeat so old that its runner is gone."""
    from .services import stale_before

    waiting = Q(status=Track.Status.QUEUED) | Q(status=Track.Status.RUNNING, heartbeat_at__lt=stale_before())
    return Track.objects.filter(waiting).order_by("created_at").values_list("id", flat=True).first()
