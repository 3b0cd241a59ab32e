"""Log lines that a log service can read: one JSON object a line, with the track being worked on.

`track_context(track_id)` marks every line logged inside it (in this thread) with that track's id;
TrackFilter puts it on each record (as `track`), so plain lines can show it too.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

_track: contextvars.ContextVar[str] = contextvars.ContextVar("melodify_track", default="")


@contextmanager
def track_context(track_id: str) -> Iterator[None]:
    token = _track.set(track_id)
    try:
        yield
    finally:
        _track.reset(token)


class TrackFilter(logging.Filter):
    """Sets record.track: an explicit `extra={"track": ...}` wins, else the current track_context."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "track", ""):
            record.track = _track.get()
        return True


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "track"?, "error"?} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        track = getattr(record, "track", "") or _track.get()
        if track:
            line["track"] = track
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
