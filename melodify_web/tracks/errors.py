"""The web's own errors (beside melodify.errors): each knows its HTTP status and says what to do."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

from melodify.errors import MelodifyError


class UploadTooLarge(MelodifyError):
    code = "upload_too_large"
    http_status = 413

    def __init__(self, size: int, limit: int | None = None) -> None:
        """`limit` in bytes: the photo limit unless said (videos and albums have their own)."""
        self.size_mb = size / 1048576
        self.limit_mb = settings.MELODIFY_MAX_UPLOAD_MB if limit is None else limit // 1048576
        super().__init__(f"the upload is {self.size_mb:.1f} MB; the limit is {self.limit_mb} MB; "
                         "upload a smaller file")

    def in_page_language(self) -> str:
        """The message for a page, in its language (API clients get `message`, in English)."""
        return gettext("This photo is %(size).1f MB; photos can be at most %(limit)s MB. Choose a smaller photo.") % {
            "size": self.size_mb, "limit": self.limit_mb}


class TrackNotFound(MelodifyError):
    code = "not_found"
    http_status = 404


class NotYours(MelodifyError):
    code = "forbidden"
    http_status = 403
