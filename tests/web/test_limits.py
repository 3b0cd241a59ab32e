"""Back-pressure and a broker that is down, through the API and the form: 429 over the queue depth or an
owner's upload rate, 503 when Redis cannot be reached; each with Retry-After, and nothing made."""

from __future__ import annotations

import pytest

from melodify_web.celery import app
from melodify_web.tracks import limits
from melodify_web.tracks.models import Track

from .conftest import stored_files
from .helpers import create_track, form_client, post_form, post_track

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


# What a page says for each refusal: the server's words in English, its own in Korean (labels.ERROR_TEXTS)
SAID = {"queue_full": {"en": "1 tracks are already waiting", "ko": "지금 만들 음악이 많이 밀려 있어요"},
        "too_many_uploads": {"en": "more than 1 photos in a minute", "ko": "사진을 너무 많이 보냈어요"},
        "queue_unavailable": {"en": "cannot be reached just now", "ko": "새 음악을 받을 수 없어서"}}
GENERIC = {"en": "trying again did not help", "ko": "문제가 생겼어요"}


def says(response, code: str, lang: str) -> None:
    text = response.content.decode()
    assert SAID[code][lang] in text, text[:3000]
    assert GENERIC[lang] not in text and "Traceback" not in text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_form_says_the_queue_is_full_in_the_page_language_with_retry_after(api, photo, settings, lang):
    settings.MELODIFY_MAX_QUEUE = 1
    create_track(api, photo, duration="5")
    response = post_form(form_client(f"form-queue-full-{lang}-000000", lang), photo)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    says(response, "queue_full", lang)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_form_says_an_owner_sent_too_many_photos_in_the_page_language(photo, settings, lang):
    settings.MELODIFY_UPLOADS_PER_MINUTE = 1
    limits._counts.clear()
    browser = form_client(f"form-too-many-{lang}-000000", lang)
    assert post_form(browser, photo).status_code == 302
    response = post_form(browser, photo)
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 61
    says(response, "too_many_uploads", lang)


def test_the_pages_scripts_have_each_refusals_words_in_korean():
    """What common.js errorText shows on a Korean page for an API refusal (English pages show its message)."""
    from django.utils import translation

    from melodify_web.pages.labels import js_strings

    with translation.override("ko"):
        errors = js_strings()["errors"]
    assert {code: SAID[code]["ko"] in errors.get(code, "") for code in SAID} == {code: True for code in SAID}


def test_an_owner_over_the_upload_rate_gets_429_and_another_owner_does_not(api, other_api, photo, settings):
    settings.MELODIFY_UPLOADS_PER_MINUTE = 2
    limits._counts.clear()
    create_track(api, photo, duration="5")
    create_track(api, photo, duration="5")
    response = post_track(api, photo, duration="5")
    assert response.status_code == 429 and response.json()["error"]["code"] == "too_many_uploads"
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_with_redis_unreachable_the_form_says_so_in_the_page_language_and_keeps_nothing(photo, broker, media_dir,
                                                                                        lang):
    broker(DEAD_REDIS)
    response = post_form(form_client(f"form-redis-down-{lang}-000000", lang), photo)
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    says(response, "queue_unavailable", lang)
    assert Track.objects.count() == 0 and stored_files(media_dir) == []
