"""A brief written by a language model, through the web app: the server's reader and briefer are OpenAI's,
answered by a loopback mock of its API (OPENAI_BASE_URL), so the real SDK, engine, job and pages run.
The pages show the model's own words, in English and in Korean."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from melodify import engines
from tests import llm_mocks as mocks

from .conftest import OWNER
from .helpers import create_track, render

pytestmark = pytest.mark.django_db


@pytest.fixture
def openai_server(settings, monkeypatch):
    """This server reads photos and writes briefs with OpenAI, which is the mock on a loopback port."""
    with mocks.MockOpenAIServer() as mock:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", mock.url)
        monkeypatch.setenv("MELODIFY_LLM_RETRIES", "0")
        settings.MELODIFY_READER = "openai"
        settings.MELODIFY_BRIEFER = "openai"
        engines.release()   # no client left over from another test's mock
        yield mock
        engines.release()


def page(track_id: str, lang: str) -> str:
    """The page as a person reads it: without the track JSON the scripts start from."""
    client = Client(headers={"Accept-Language": lang})
    client.cookies["melodify_owner"] = OWNER
    text = client.get(f"/tracks/{track_id}/").content.decode()
    return html.unescape(re.sub(r'<script id="track-data".*?</script>', "", text, flags=re.S))


def test_the_track_json_carries_the_models_brief_its_korean_and_what_the_calls_cost(api, photo, openai_server):
    track = render(create_track(api, photo, duration="5")["id"])
    data = api.get(f"/api/v1/tracks/{track.id}").json()
    assert data["status"] == "done" and data["engine"]["briefer"] == "openai" and data["engine"]["reader"] == "openai"
    assert data["brief"]["description"] == mocks.BRIEF["description"] and not data["brief"]["fallback"]
    assert data["brief_ko"]["description"] == mocks.BRIEF["description_ko"]
    assert data["reading"]["caption_ko"] == mocks.READING["caption_ko"]
    timings = data["timings"]
    assert timings["brief_calls"] == 1 and timings["brief_input_tokens"] == 1211 and timings["read_output_tokens"] == 187
    assert timings["total"] < 600   # seconds of the stages, not tokens
    assert [c["work"] for c in data["credits"][:2]] == ["an OpenAI model's description", "an OpenAI model's brief"]
    asked = [r["response_format"]["json_schema"]["name"] for r in openai_server.requests]
    assert asked == ["photo_reading", "music_brief"]


def test_the_result_page_shows_the_models_words_in_english_and_in_korean(api, photo, openai_server):
    track = render(create_track(api, photo, duration="5")["id"])
    english, korean = page(track.id, "en"), page(track.id, "ko")
    assert mocks.BRIEF["description"] in english and mocks.READING["caption"] in english
    assert mocks.BRIEF["description_ko"] in korean and mocks.READING["caption_ko"] in korean
    assert mocks.BRIEF["description"] not in korean and mocks.READING["caption"] not in korean
    assert f'data-bind="caption" lang="ko">{mocks.READING["caption_ko"]}' in korean


def test_another_genre_asks_the_model_again_in_that_genre(api, photo, openai_server):
    parent = render(create_track(api, photo, duration="5")["id"])
    child = api.post(f"/api/v1/tracks/{parent.id}/variations", {"genre": "jazz"}, content_type="application/json")
    done = render(child.json()["id"])
    assert done.brief["genre"] == "jazz" and done.brief["engine"] == "openai"
    assert done.brief["description"].startswith("Jazz: ") and done.brief["description_ko"].startswith("재즈: ")


def test_a_brief_the_model_could_not_write_is_the_rules_and_the_page_says_why(api, photo, openai_server):
    openai_server.brief = {**mocks.BRIEF, "key": "H"}
    track = render(create_track(api, photo, duration="5")["id"])
    assert track.status == "done" and track.brief["engine"] == "embedded" and "'H'" in track.brief["fallback"]
    assert len([r for r in openai_server.requests if r["response_format"]["json_schema"]["name"] == "music_brief"]) == 2
    english, korean = page(track.id, "en"), page(track.id, "ko")
    assert "Melodify's rules wrote this brief" in english and "the openai briefer" in english
    assert "Melodify의 규칙이 대신 이 브리프를 썼습니다" in korean


def test_the_preview_shows_the_models_brief_in_korean_too(api, photo, openai_server):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post("/api/v1/previews", {"image": SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["brief"]["engine"] == "openai" and data["brief_ko"]["description"] == mocks.BRIEF["description_ko"]
    assert data["reading"]["caption_ko"] == mocks.READING["caption_ko"]


def test_the_server_offers_api_engines_with_keys_but_not_models_to_download_unless_they_are_its_own(
        settings, openai_server):
    from melodify_web.tracks.services import engine_options

    offered = engine_options()
    assert offered["reader"][0] == "openai" and "embedded" in offered["reader"] and "blip" not in offered["reader"]
    assert "local" not in offered["briefer"]
    settings.MELODIFY_BRIEFER = "local"
    assert engine_options()["briefer"][0] == "local"
