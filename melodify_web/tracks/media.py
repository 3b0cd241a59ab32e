"""Serving a track's files: inline audio with HTTP Range (so <audio> can seek), downloads tagged and named
by the track's title, the photo, and /media/ for local storage. With remote storage (GCS, S3) the database
keeps object keys and inline files redirect to a signed URL that expires (MELODIFY_SIGNED_URL_SECONDS),
carrying the same Content-Type and Content-Disposition; downloads are read through, as they are tagged on
the way out."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.views.decorators.http import require_safe

from melodify.contracts import ImageReading, MusicBrief
from melodify.master.tags import cover_art, tag, track_tags

from .models import Track
from .previews import chunk_name
from .selectors import track_title

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
    """Send a stored file, honouring Range; redirect to remote storage's signed URL."""
    disposition = f'attachment; filename="{download_as}"' if download_as else "inline"
    if settings.MELODIFY_STORAGE != "local":
        return signed_redirect(name, content_type, disposition)
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
    response["Content-Disposition"] = disposition
    return response


# What each bucket's signing call names the headers it should answer with.
RESPONSE_PARAMETERS = {"s3": ("ResponseContentType", "ResponseContentDisposition"),
                       "gcs": ("response_type", "response_disposition")}


def signed_redirect(name: str, content_type: str, disposition: str) -> HttpResponse:
    type_key, disposition_key = RESPONSE_PARAMETERS[settings.MELODIFY_STORAGE]
    url = default_storage.url(name, parameters={type_key: content_type, disposition_key: disposition})
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, max-age=60"   # well within the URL's own lifetime
    return response


def bytes_response(request: HttpRequest, data: bytes, content_type: str) -> HttpResponse:
    """Bytes made on the fly, honouring a single Range (a resumed download)."""
    try:
        byte_range = parse_range(request.headers.get("Range", ""), len(data))
    except ValueError:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{len(data)}"
        return response
    start, end = byte_range or (0, len(data) - 1)
    response = HttpResponse(data[start:end + 1], status=206 if byte_range else 200, content_type=content_type)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    response["Content-Length"] = str(end + 1 - start)
    response["Accept-Ranges"] = "bytes"
    return response


def friendly_name(track: Track, ext: str, title: str = "") -> str:
    """melodify-carefree-beach-ab12cd34.mp3: the title (else the genre) in ASCII and the start of the id,
    safe in any header. The title as written goes in the header's filename* (see `disposition`)."""
    short = re.sub(r"[^A-Za-z0-9]", "", track.id)[:8].lower()
    return f"melodify-{_slug(title)[:40].strip('-') or _slug(track.genre) or 'track'}-{short}.{ext}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower().replace("&", "n")).strip("-")


def disposition(ascii_name: str, title: str, ext: str) -> str:
    """An attachment named by its title in UTF-8 (RFC 6266 filename*), with an ASCII name for old clients."""
    own = " ".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).split())   # no path or shell characters
    header = f'attachment; filename="{ascii_name}"'
    return header + (f"; filename*=UTF-8''{quote(own + '.' + ext, safe='')}" if own else "")


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
    """The file with its tags (title, artist, the brief, the photo as cover) in the page's language,
    named by its title. Tagged here, not when rendered: a person may rename the track at any time."""
    if fmt not in FIELDS:
        raise Http404(f"unknown format {fmt!r}")
    track, name = _done_file(track_id, FIELDS[fmt])
    with default_storage.open(name, "rb") as f:
        data = f.read()
    lang = "ko" if (translation.get_language() or "").startswith("ko") else "en"
    title = track_title(track, lang)
    if track.brief and track.reading:
        data = tag(data, FIELDS[fmt], _tags(track, title, lang))
    response = bytes_response(request, data, CONTENT_TYPES[fmt])
    response["Content-Disposition"] = disposition(friendly_name(track, fmt, track_title(track, "en")), title, fmt)
    response["Cache-Control"] = "private, no-cache"   # a rename changes the tags and the name
    return response


def _tags(track: Track, title: str, lang: str):
    cover = b""
    if track.photo:
        with track.photo.open("rb") as f:
            cover = cover_art(f.read())
    return track_tags(ImageReading.model_validate(track.reading), MusicBrief.model_validate(track.brief),
                      title=title, lang=lang, cover=cover)


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
