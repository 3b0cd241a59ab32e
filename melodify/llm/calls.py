"""One call to a model service: its settings, what it returns, and its errors in Melodify's three kinds.

A rate limit, a server error or a timeout is a `TransientError` (the SDK has already retried it a few
times with backoff; the job system retries it again later). Bad credentials or a model that does not
exist are `NotConfigured`; a refusal or another 4xx fails the stage at once: retrying cannot help.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..contracts import Usage
from ..errors import MelodifyError, NotConfigured, TransientError

TIMEOUT_VAR, RETRIES_VAR = "MELODIFY_LLM_TIMEOUT", "MELODIFY_LLM_RETRIES"
DEFAULT_TIMEOUT, DEFAULT_RETRIES = 60.0, 2
DETAIL_CHARS = 200   # of a service's own error message, quoted in ours


def timeout() -> float:
    """Seconds one call may take before it counts as a passing fault."""
    return _number(TIMEOUT_VAR, DEFAULT_TIMEOUT)


def retries() -> int:
    """How many times the SDK retries a rate limit, a 5xx or a timeout, with backoff, before giving up."""
    return int(_number(RETRIES_VAR, DEFAULT_RETRIES))


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise NotConfigured(f"{name}={raw!r} is not a number; set it to a number of "
                            f"{'seconds' if name == TIMEOUT_VAR else 'retries'} or unset it", code="bad_setting") from None
    if value < 0:
        raise NotConfigured(f"{name}={raw!r} is negative; set it to 0 or more, or unset it", code="bad_setting")
    return value


@dataclass(frozen=True)
class Service:
    """Who answers, and what a person sets to fix a problem with it (for error messages)."""

    name: str                 # "OpenAI"
    credentials: str          # "OPENAI_API_KEY"
    model_setting: str        # "MELODIFY_OPENAI_MODEL"


@dataclass(frozen=True)
class Prompt:
    """What one question to a model holds: instructions, text, maybe a photo, and the answer's schema."""

    system: str
    text: str
    schema: dict
    schema_name: str
    image_jpeg: bytes | None = None


@dataclass(frozen=True)
class Repair:
    """A second try: the answer that did not fit, and why, to quote back to the model."""

    answer: str
    problem: str


@dataclass
class Reply:
    text: str
    usage: Usage
    extra: dict = field(default_factory=dict)


class ServiceRefused(MelodifyError):
    """The model declined to answer (a safety refusal): the same photo would be refused again."""

    code = "refused"
    http_status = 422


class ServiceRejected(MelodifyError):
    """The service answered 4xx to the request itself: retrying the same request cannot help."""

    code = "service_rejected"
    http_status = 502


def service_error(service: Service, model: str, status: int | None, detail: str,
                  retry_after: float | None = None) -> MelodifyError:
    """Our error for a service's HTTP status (None: no answer at all, a timeout or a lost connection)."""
    detail = " ".join(str(detail).split())[:DETAIL_CHARS]
    if status is None:
        return TransientError(f"{service.name} did not answer ({detail}); trying again shortly",
                              code="service_timeout")
    if status in (408, 409, 429) or status >= 500:
        busy = "is rate limiting us" if status == 429 else "is having trouble"
        return TransientError(f"{service.name} {busy} ({status}: {detail}); trying again shortly",
                              code="rate_limited" if status == 429 else "service_unavailable", retry_after=retry_after)
    if status in (401, 403):
        return NotConfigured(f"{service.name} refused our credentials ({status}: {detail}); check "
                             f"{service.credentials}", code="service_auth")
    if status == 404:
        return NotConfigured(f"{service.name} has no model {model!r} ({status}: {detail}); give another with "
                             f"{service.model_setting} or the engine's model option", code="model_not_found")
    return ServiceRejected(f"{service.name} rejected the request ({status}: {detail})")


def retry_after(headers) -> float | None:
    """Seconds a service asked us to wait (Retry-After in seconds), if it said."""
    try:
        value = float((headers or {}).get("retry-after", ""))
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as took:` ... `took[0]` is the seconds the block ran."""
    took = [0.0]
    start = time.perf_counter()
    try:
        yield took
    finally:
        took[0] = round(time.perf_counter() - start, 4)
