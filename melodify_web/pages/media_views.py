"""The video page and the album page: short views over media_services. The album page sends its photos
in the chosen order; without JavaScript the form posts them in the order they were picked."""

from __future__ import annotations

from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from melodify.album.making import DEFAULT_SECONDS, MAX_SECONDS, MIN_SECONDS, max_photos
from melodify.errors import MelodifyError
from melodify.video.probe import VideoLimits
from melodify_web.tracks import media_services, services

from . import labels
from .views import owner_of


def _context(**extra) -> dict:
    limits = VideoLimits.from_env()
    return {"genres": labels.genre_choices(), "max_video_mb": limits.max_bytes // (1024 * 1024),
            "max_video_seconds": int(limits.max_seconds), "max_photos": max_photos(),
            "seconds": DEFAULT_SECONDS, "min_seconds": MIN_SECONDS, "max_seconds": MAX_SECONDS, **extra}


def video(request: HttpRequest) -> HttpResponse:
    """GET: choose a video. POST: score it (the track page shows the progress), or say why not."""
    if request.method != "POST":
        return render(request, "pages/video.html", _context())
    upload = request.FILES.get("video")
    if upload is None:
        return render(request, "pages/video.html", _context(error=_("Choose a video first.")), status=400)
    try:
        asked = services.request_from(genre=request.POST.get("genre") or None)
        level = float(request.POST.get("keep_original") or 0) / 100
        track = media_services.video_create(owner=owner_of(request), upload=upload, request=asked,
                                            original_level=level)
    except ValueError:
        return render(request, "pages/video.html", _context(error=_("The sound level must be a number.")), status=400)
    except MelodifyError as exc:
        return render(request, "pages/video.html", _context(error=labels.error_text(exc.code, exc.message)),
                      status=exc.http_status)
    return redirect("pages:track", track_id=track.id)


def album(request: HttpRequest) -> HttpResponse:
    """GET: choose photos and their order. POST (the no-JS form): make the album, or say why not."""
    if request.method != "POST":
        return render(request, "pages/album.html", _context())
    try:
        photos = [(f.name or "photo", f.read()) for f in request.FILES.getlist("photos")]
    except TooManyFilesSent:
        message = _("An album takes 2 to %(most)s photos; far more were sent.") % {"most": max_photos()}
        return render(request, "pages/album.html", _context(error=message), status=400)
    try:
        asked = services.request_from(genre=request.POST.get("genre") or None)
        track = media_services.album_create(owner=owner_of(request), photos=photos, request=asked,
                                            seconds=request.POST.get("seconds") or DEFAULT_SECONDS)
    except MelodifyError as exc:
        return render(request, "pages/album.html", _context(error=labels.error_text(exc.code, exc.message)),
                      status=exc.http_status)
    return redirect("pages:track", track_id=track.id)
