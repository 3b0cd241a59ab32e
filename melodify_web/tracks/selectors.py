"""Reading tracks. Anyone holding a track's id may read it (it is the share link); lists are per owner."""

from __future__ import annotations

from django.db.models import QuerySet

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
    return Track.objects.filter(status=Track.Status.QUEUED).order_by("created_at").values_list(
        "id", flat=True).first()
