"""Serving a track's files: inline audio with HTTP Range (so <audio> can seek), downloads with a friendly
name, the photo, and /media/ for local storage. With remote storage (GCS, S3) we redirect to its URL."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from .models import Track
from .previews import chunk_name

CONTENT_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav", "mid": "audio/midi", "jpg": "image/jpeg"}
FIELDS = {"mp3": "mp3", "wav": "wav", "mid": "midi"}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte of a single `bytes=` range, None for the whole file; ValueError if unsatisfiable.

    Several ranges at once are answered with the whole file (allowed by RFC 9110)."""
    match = _RANGE.match(header.strip())
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
        if last and int(last) < start:
            return None   # syntactically invalid: ignore the header
    else:   # "bytes=-500": the last 500 bytes
        start, end = max(0, size - int(last)), size - 1
    if start >= size or size == 0 or end < start:
        raise ValueError(f"range {header!r} is outside the file's {size} bytes")
    return start, end


def serve_file(request: HttpRequest, name: str, content_type: str, *, download_as: str | None = None,
               cache: str = "public, max-age=31536000, immutable") -> HttpResponse:
    """Send a stored file, honouring Range; redirect to remote storage's own URL."""
    if settings.MELODIFY_STORAGE != "local":
        return HttpResponseRedirect(default_storage.url(name))
    if not name or not default_storage.exists(name):
        raise Http404("no such file")
    size = default_storage.size(name)
    try:
        byte_range = parse_range(request.headers.get("Range", ""), size)
    except ValueError:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if byte_range is None:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = byte_range
        with default_storage.open(name, "rb") as f:
            f.seek(start)
            data = f.read(end - start + 1)
        response = HttpResponse(data, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(len(data))
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = cache
    disposition = f'attachment; filename="{download_as}"' if download_as else "inline"
    response["Content-Disposition"] = disposition
    return response


def friendly_name(track: Track, ext: str) -> str:
    """melodify-lo-fi-ab12cd34.mp3: the genre and the start of the id, safe in any header."""
    genre = re.sub(r"[^a-z0-9-]+", "-", track.genre.lower().replace("&", "n")).strip("-") or "track"
    short = re.sub(r"[^A-Za-z0-9]", "", track.id)[:8].lower()
    return f"melodify-{genre}-{short}.{ext}"


def _done_file(track_id: str, field: str) -> tuple[Track, str]:
    track = Track.objects.filter(id=track_id).first()
    name = getattr(track, field).name if track else ""
    if not track or not name:
        raise Http404("this track has no such file (yet)")
    return track, name


@require_safe
def audio(request: HttpRequest, track_id: str) -> HttpResponse:
    _, name = _done_file(track_id, "mp3")
    return serve_file(request, name, CONTENT_TYPES["mp3"])


@require_safe
def download(request: HttpRequest, track_id: str, fmt: str) -> HttpResponse:
    if fmt not in FIELDS:
        raise Http404(f"unknown format {fmt!r}")
    track, name = _done_file(track_id, FIELDS[fmt])
    return serve_file(request, name, CONTENT_TYPES[fmt], download_as=friendly_name(track, fmt))


@require_safe
def preview(request: HttpRequest, track_id: str, n: int) -> HttpResponse:
    """Chunk n of a track being made by a streaming composer (404 until it exists, and once it is done)."""
    if not Track.objects.filter(id=track_id).exists():
        raise Http404("no such track")
    return serve_file(request, chunk_name(track_id, n), CONTENT_TYPES["wav"], cache="no-store")


@require_safe
def photo(request: HttpRequest, track_id: str) -> HttpResponse:
    _, name = _done_file(track_id, "photo")
    return serve_file(request, name, CONTENT_TYPES["jpg"])


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    """/media/<path> for local storage (embedded mode): only names we generated, only known types."""
    ext = path.rsplit(".", 1)[-1].lower()
    if ".." in path.split("/") or not path.startswith("tracks/") or ext not in CONTENT_TYPES:
        raise Http404("no such file")
    return serve_file(request, path, CONTENT_TYPES[ext])
