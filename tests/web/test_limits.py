"""Back-pressure and a broker that is down, through the API and the form: 429 over the queue depth or an
owner's upload rate, 503 when Redis cannot be reached; each with Retry-After, and nothing made."""

from __future__ import annotations

import pytest

from melodify_web.celery import app
from melodify_web.tracks import limits
from melodify_web.tracks.models import Track

from .conftest import stored_files
from .helpers import create_track, post_track

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:8129/10"   # a port nothing listens on
LIVE_REDIS = "redis://127.0.0.1:6379/10"


def use_broker(settings, url: str) -> None:
    settings.REDIS_URL, settings.MELODIFY_SCALE_OUT = url, True
    app.conf.broker_url = url
    app._pool = None   # the next send connects to the new URL


@pytest.fixture
def broker(settings):
    """Scale-out mode in this process, pointed at a Redis the test chooses; put back afterwards."""
    before = app.conf.broker_url
    yield lambda url: use_broker(settings, url)
    app.conf.broker_url = before
    app._pool = None


def test_over_the_queue_depth_the_api_answers_429_with_retry_after(api, photo, settings, media_dir):
    settings.MELODIFY_MAX_QUEUE = 2
    create_track(api, photo, duration="5")
    create_track(api, photo, duration="5")
    files = stored_files(media_dir)
    response = post_track(api, photo, duration="5")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "queue_full"
    assert "2 tracks are already waiting" in response.json()["error"]["message"]
    assert Track.objects.count() == 2 and stored_files(media_dir) == files


def test_the_form_says_the_queue_is_full_in_a_page_with_retry_after(client, photo, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MELODIFY_MAX_QUEUE = 1
    create_track(client, photo, duration="5")
    response = client.post("/", {"image": SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert b"already waiting" in response.content


def test_an_owner_over_the_upload_rate_gets_429_and_another_owner_does_not(api, other_api, photo, settings):
    settings.MELODIFY_UPLOADS_PER_MINUTE = 2
    limits._counts.clear()
    create_track(api, photo, duration="5")
    create_track(api, photo, duration="5")
    response = post_track(api, photo, duration="5")
    assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 61
    assert "more than 2 photos in a minute" in response.json()["error"]["message"]
    create_track(other_api, photo, duration="5")
    assert Track.objects.count() == 3


def test_with_scale_out_the_upload_rate_is_counted_in_redis(api, photo, settings, broker):
    import redis

    from .scale import redis_client

    redis_client(LIVE_REDIS).flushdb()
    broker(LIVE_REDIS)
    settings.MELODIFY_UPLOADS_PER_MINUTE = 1
    limits._counts.clear()
    try:
        create_track(api, photo, duration="5")
        assert post_track(api, photo, duration="5").status_code == 429
        keys = redis.Redis.from_url(LIVE_REDIS).keys("melodify:uploads:*")
        assert len(keys) == 1 and not limits._counts    # counted there, where every web process sees it
    finally:
        redis_client(LIVE_REDIS).flushdb()


@pytest.mark.django_db(transaction=True)   # the job is sent when the row is really committed
def test_with_redis_unreachable_the_api_answers_503_with_retry_after_and_keeps_nothing(api, photo, broker,
                                                                                        media_dir):
    broker(DEAD_REDIS)
    response = post_track(api, photo, duration="5")
    assert response.status_code == 503, response.content
    assert int(response["Retry-After"]) > 0
    body = response.json()["error"]
    assert body["code"] == "queue_unavailable" and "Redis" in body["message"]
    assert Track.objects.count() == 0 and stored_files(media_dir) == []
