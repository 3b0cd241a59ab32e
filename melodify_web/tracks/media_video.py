"""Serving a track's videos: the scored video or slideshow inline (with Range, so <video> can seek), and
the share-ready MP4 of any track (made on first request)."""

from __future__ import annotations

from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from melodify.errors import MelodifyError

from .http_errors import error_response
from .media import _done_file, friendly_name, serve_file
from .media_services import VIDEO_TYPES, track_share_video
from .models import Track


@require_safe
def video(request: HttpRequest, track_id: str) -> HttpResponse:
    _, name = _done_file(track_id, "movie")
    return serve_file(request, name, VIDEO_TYPES[Path(name).suffix.lstrip(".")])


@require_safe
def share_video(request: HttpRequest, track_id: str, size: str) -> HttpResponse:
    track = Track.objects.filter(id=track_id).first()
    if track is None:
        raise Http404("no such track")
    try:
        name = track_share_video(track=track, size=size)
    except MelodifyError as exc:
        return error_response(request, exc.http_status, exc.code, exc.message)
    ext = Path(name).suffix.lstrip(".")
    return serve_file(request, name, VIDEO_TYPES[ext], download_as=friendly_name(track, f"{size}.{ext}"),
                      cache="public, max-age=86400")
