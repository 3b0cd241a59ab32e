"""Errors a user can act on. Each says what was wrong, quoting the bad value, and what to do.

They come in three kinds, and the kind decides what a job does with them:
- bad input (`InvalidImage`, `InvalidOption`): the request itself is wrong; never retried.
- not configured (`NotConfigured`): a package, key, model or library is missing here; never retried.
- transient (`TransientError`): a rate limit, a timeout, a full GPU; retried with backoff.

The CLI prints `message` and exits with `exit_code`; the web app maps `code` to a JSON error.
"""

from __future__ import annotations

from typing import Any

BAD_INPUT, NOT_CONFIGURED, TRANSIENT = "bad_input", "not_configured", "transient"


def quoted(value: Any, limit: int = 40) -> str:
    """The bad value as Python writes it, cut short: a message quotes it without echoing a long one back."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class MelodifyError(Exception):
    """Base class: a problem with the input or the set-up, never a bug."""

    kind = BAD_INPUT
    code = "error"
    exit_code = 2
    http_status = 400

    field: str | None = None   # the request field that was wrong, where one was (a page marks it)

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if field:
            self.field = field


class InvalidImage(MelodifyError):
    """The bytes are not a photo we can read (empty, truncated, wrong format, too big or too small)."""

    code = "invalid_image"


class InvalidVideo(MelodifyError):
    """The bytes are not a video we can score (not a video, no picture, too long or too big, corrupt)."""

    code = "invalid_video"


class InvalidOption(MelodifyError):
    """An option is out of range or unknown (genre, duration, engine...)."""

    code = "invalid_option"


class NotConfigured(MelodifyError):
    """An engine needs something that is not installed or set on this machine; the message names it."""

    kind = NOT_CONFIGURED
    code = "not_configured"
    exit_code = 3
    http_status = 503


class TransientError(MelodifyError):
    """A passing fault (rate limit, timeout, out of GPU memory): the same job may well work later."""

    kind = TRANSIENT
    code = "transient"
    exit_code = 75          # EX_TEMPFAIL: try again later
    http_status = 503

    def __init__(self, message: str, *, code: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after   # seconds the service asked us to wait, if it said
