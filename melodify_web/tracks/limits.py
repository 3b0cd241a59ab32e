"""Back-pressure: before a track is made, a full queue or an owner uploading too fast gets a 429 with
Retry-After, instead of a queue that grows without end.

Uploads are counted per owner in one-minute windows: in Redis when scale-out is on (every web process
shares the count), in this process otherwise (embedded mode has one process)."""

from __future__ import annotations

import threading
import time
from functools import lru_cache

from django.conf import settings

from .errors import QueueUnavailable, TooBusy
from .jobs import QUEUE_DOWN, RETRY_AFTER_QUEUE_DOWN
from .models import Track

WINDOW = 60   # seconds
QUEUE_FULL_RETRY_AFTER = 30

_counts: dict[tuple[str, int], int] = {}
_counts_lock = threading.Lock()


def admit(*, owner: str) -> None:
    """Raise TooBusy (429) over the queue depth or the owner's upload rate; count this upload."""
    check_queue_depth()
    check_upload_rate(owner=owner)


def check_queue_depth() -> None:
    limit = settings.MELODIFY_MAX_QUEUE
    if limit and Track.objects.filter(status=Track.Status.QUEUED).count() >= limit:
        raise TooBusy(f"{limit} tracks are already waiting to be made; please try again in a little while",
                      retry_after=QUEUE_FULL_RETRY_AFTER, code="queue_full")


def check_upload_rate(*, owner: str) -> None:
    limit = settings.MELODIFY_UPLOADS_PER_MINUTE
    if not limit:
        return
    now = time.time()
    window = int(now // WINDOW)
    count = _count_in_redis(owner, window) if settings.MELODIFY_SCALE_OUT else _count_here(owner, window)
    if count > limit:
        raise TooBusy(f"this client sent more than {limit} photos in a minute; please wait a moment",
                      retry_after=int((window + 1) * WINDOW - now) + 1, code="too_many_uploads")


def _count_here(owner: str, window: int) -> int:
    with _counts_lock:
        for key in [k for k in _counts if k[1] < window]:   # older windows are done with
            del _counts[key]
        _counts[owner, window] = _counts.get((owner, window), 0) + 1
        return _counts[owner, window]


@lru_cache(maxsize=1)
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1)


def _count_in_redis(owner: str, window: int) -> int:
    from redis import RedisError

    key = f"melodify:uploads:{owner}:{window}"
    try:
        with _redis(settings.REDIS_URL).pipeline() as pipe:
            count, _ = pipe.incr(key).expire(key, 2 * WINDOW).execute()
    except RedisError as exc:
        raise QueueUnavailable(QUEUE_DOWN, retry_after=RETRY_AFTER_QUEUE_DOWN) from exc
    return int(count)
