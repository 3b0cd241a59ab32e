"""Who is asking: an anonymous owner token per browser, and a size check before any upload is read."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .http_errors import error_response, wants_json
from .errors import UploadTooLarge

COOKIE = "melodify_owner"
HEADER = "HTTP_X_MELODIFY_OWNER"
ONE_YEAR = 365 * 24 * 3600
_VALID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class OwnerMiddleware:
    """request.owner from the `melodify_owner` cookie (or the X-Melodify-Owner header for API clients);
    a browser without one gets a new token in an HttpOnly cookie on its first visit."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get(HEADER, "")
        cookie = request.COOKIES.get(COOKIE, "")
        owner = header if _VALID.match(header) else cookie if _VALID.match(cookie) else ""
        request.owner = owner or secrets.token_urlsafe(16)
        response = self.get_response(request)
        if not owner:
            response.set_cookie(COOKIE, request.owner, max_age=ONE_YEAR, httponly=True, samesite="Lax",
                                secure=request.is_secure())
        return response


ALBUM_PHOTOS_OF_LIMIT = 4     # an album's photos together: four photos' worth (phones' JPEGs are ~3 MB)


def upload_limit(path: str) -> int:
    """The largest body a path takes: a video's own limit for videos, more for albums, else a photo's."""
    if path.rstrip("/").endswith(("/videos", "/video")):
        from melodify.video.probe import VideoLimits   # noqa: PLC0415 - PyAV only where videos come in

        return VideoLimits.from_env().max_bytes
    if path.rstrip("/").endswith(("/albums", "/album")):
        return ALBUM_PHOTOS_OF_LIMIT * settings.MELODIFY_MAX_UPLOAD_BYTES
    return settings.MELODIFY_MAX_UPLOAD_BYTES


class UploadLimitMiddleware:
    """Refuse a body larger than MELODIFY_MAX_UPLOAD_MB from its Content-Length, before reading it.
    It comes after LocaleMiddleware, so the page that says so is in the browser's language."""

    slack = 256 * 1024   # the form fields and multipart boundaries around the photo

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = upload_limit(request.path)
        if length > limit + self.slack:
            refused = UploadTooLarge(length, limit)
            message = refused.message if wants_json(request) else refused.in_page_language()
            return error_response(request, 413, refused.code, message)
        return self.get_response(request)
