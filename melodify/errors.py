"""Errors a user can act on. Each says what was wrong, quoting the bad value, and what to do.

The CLI prints `message` and exits with `exit_code`; the web app maps `code` to a 4xx JSON error.
"""

from __future__ import annotations


class MelodifyError(Exception):
    """Base class: a problem with the input or the set-up, never a bug."""

    code = "error"
    exit_code = 2
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidImage(MelodifyError):
    """The bytes are not a photo we can read (empty, truncated, wrong format, too big or too small)."""

    code = "invalid_image"
    http_status = 400


class InvalidOption(MelodifyError):
    """An option is out of range or unknown (genre, duration, engine...)."""

    code = "invalid_option"
    http_status = 400


class EngineUnavailable(MelodifyError):
    """An engine needs something that is not installed or configured; the message names it."""

    code = "engine_unavailable"
    exit_code = 3
    http_status = 503
