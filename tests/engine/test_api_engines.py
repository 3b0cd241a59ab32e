"""The OpenAI and Gemini readers and briefers, through their SDKs' own HTTP layer over a mock transport,
against answers shaped like the real ones: success, 401, 404, 429, 500, a timeout, malformed JSON, a
refusal and an answer that breaks the schema. No network."""

from __future__ import annotations

import json

import pytest

from melodify.brief.engines.gemini import GeminiBriefer
from melodify.brief.engines.openai import OpenAIBriefer
from melodify.errors import NotConfigured, TransientError
from melodify.llm.calls import ServiceRefused
from melodify.read.engines.gemini import GeminiReader
from melodify.read.engines.openai import OpenAIReader
from melodify.read.image_loading import load_image
from melodify.samples import photo_bytes
from tests import llm_mocks as mocks
from tests.factories import reading

BAD_GENRE = {**mocks.BRIEF, "genre": "polka"}


@pytest.fixture(autouse=True)
def keys(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("GEMINI_API_KEY", "gm-test")
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_GENAI_USE_VERTEXAI", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("MELODIFY_LLM_RETRIES", "0")   # the SDKs' own retries are tested on their own


@pytest.fixture(scope="module")
def beach():
    return load_image(photo_bytes("sunny-beach", size=(640, 480)))


# Each provider: the engine classes, and how its answers look.
PROVIDERS = {
    "openai": (OpenAIReader, OpenAIBriefer, lambda text: mocks.ok(mocks.openai_completion(text)),
               mocks.OPENAI_ERRORS, lambda: mocks.ok(mocks.openai_completion(None, refusal="I can't help with that."))),
    "gemini": (GeminiReader, GeminiBriefer, lambda text: mocks.ok(mocks.gemini_response(text)),
               mocks.GEMINI_ERRORS, lambda: mocks.ok(mocks.gemini_response(None, blocked="PROHIBITED_CONTENT"))),
}


def answer(provider: str, data: dict | str):
    return PROVIDERS[provider][2](data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))


def briefer(provider: str, script: mocks.Script):
    return PROVIDERS[provider][1](http_client=script.client())


def asked_text(provider: str, body: dict) -> str:
    """All the words of one request, to look for what the engine told the model."""
    return json.dumps(body["messages"] if provider == "openai" else body["contents"], ensure_ascii=False)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_reader_says_what_the_photo_shows_in_english_and_korean_beside_the_measures(provider, beach):
    script = mocks.Script(answer(provider, mocks.READING))
    got = PROVIDERS[provider][0](http_client=script.client()).read(beach.image, format=beach.format, size=beach.size)
    assert got.caption == mocks.READING["caption"] and got.caption_ko == mocks.READING["caption_ko"]
    assert got.objects == ["friends", "waves", "umbrella"] and got.time_of_day == "afternoon"
    assert {"sunny", "umbrella"} <= set(got.tags) and got.mood == ["carefree", "joyful"]
    assert got.engine == provider and got.palette and 0 < got.brightness <= 1   # the measures are there too
    assert got.usage[0].input_tokens > 1000 and got.usage[0].output_tokens > 100 and got.usage[0].seconds >= 0
    sent = script.bodies()[0]
    assert "image" in json.dumps(sent).lower()   # the photo went with the question


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_briefer_writes_a_valid_brief_with_its_korean_paragraph_and_asks_with_the_schema(provider):
    script = mocks.Script(answer(provider, mocks.BRIEF))
    brief = briefer(provider, script).write(reading("a beach"), seed=7, duration=20)
    assert (brief.genre, brief.tempo, brief.engine, brief.seed, brief.duration) == ("latin", 104, provider, 7, 20)
    assert brief.description.startswith("Latin: ") and brief.description_ko.startswith("라틴: ")
    assert not brief.fallback and len(brief.usage) == 1
    sent = script.bodies()[0]
    schema = (sent["response_format"]["json_schema"]["schema"] if provider == "openai"
              else sent["generationConfig"]["responseJsonSchema"])
    assert "polka" not in schema["properties"]["genre"]["enum"] and "jazz" in schema["properties"]["genre"]["enum"]
    assert set(schema["required"]) == set(schema["properties"]) and schema["additionalProperties"] is False


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_chosen_genre_and_a_persons_edits_are_kept_whatever_the_model_writes(provider):
    script = mocks.Script(answer(provider, mocks.BRIEF))
    engine = briefer(provider, script)
    brief = engine.write(reading("a beach"), seed=1, duration=15)
    edited = engine.edit(brief, reading("a beach"), {"tempo": 70, "mood": ["dreamy"]})
    assert (edited.tempo, edited.mood, edited.genre) == (70, ["dreamy"], "latin")
    assert '\\"tempo\\": 70' in asked_text(provider, script.bodies()[-1]) or '"tempo": 70' in asked_text(
        provider, script.bodies()[-1])


@pytest.mark.parametrize("provider", PROVIDERS)
def test_malformed_json_gets_one_repair_quoting_the_error(provider):
    script = mocks.Script(answer(provider, '{"genre": "latin", "mood": ['), answer(provider, mocks.BRIEF))
    brief = briefer(provider, script).write(reading(), seed=1, duration=15)
    assert brief.engine == provider and not brief.fallback
    assert [u.purpose for u in brief.usage] == ["answer", "repair"]
    assert "not valid JSON" in asked_text(provider, script.bodies()[1])


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_answer_that_breaks_the_schema_twice_falls_back_to_the_rules_saying_why(provider):
    script = mocks.Script(answer(provider, BAD_GENRE))
    brief = briefer(provider, script).write(reading("a night sea", level=0.2), seed=1, duration=15)
    assert len(script.requests) == 2 and "polka" in asked_text(provider, script.bodies()[1])
    assert brief.engine == "embedded" and brief.description and len(brief.usage) == 2
    assert f"the {provider} briefer" in brief.fallback and "polka" in brief.fallback


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_refusal_fails_the_stage_at_once(provider):
    script = mocks.Script(PROVIDERS[provider][4]())
    with pytest.raises(ServiceRefused, match="declined") as refused:
        briefer(provider, script).write(reading(), seed=1, duration=15)
    assert refused.value.kind == "bad_input" and len(script.requests) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_rejected_key_names_what_to_check_and_is_not_retried(provider):
    script = mocks.Script(mocks.status(401, PROVIDERS[provider][3][401]))
    with pytest.raises(NotConfigured) as error:
        briefer(provider, script).write(reading(), seed=1, duration=15)
    assert f"{provider.upper()}_API_KEY" in error.value.message and error.value.kind == "not_configured"
    assert len(script.requests) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("code", [429, 500])
def test_a_rate_limit_or_a_server_error_is_a_passing_fault_for_the_job_to_retry(provider, code):
    script = mocks.Script(mocks.status(code, PROVIDERS[provider][3][code], **{"retry-after": "20"}))
    with pytest.raises(TransientError) as error:
        briefer(provider, script).write(reading(), seed=1, duration=15)
    assert error.value.code == ("rate_limited" if code == 429 else "service_unavailable")
    assert str(code) in error.value.message
    if provider == "openai" and code == 429:
        assert error.value.retry_after == 20


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_timeout_is_a_passing_fault(provider):
    script = mocks.Script(mocks.timeout())
    with pytest.raises(TransientError) as error:
        briefer(provider, script).write(reading(), seed=1, duration=15)
    assert error.value.code == "service_timeout"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_sdk_retries_a_passing_fault_itself_before_giving_up(provider, monkeypatch):
    monkeypatch.setenv("MELODIFY_LLM_RETRIES", "1")
    script = mocks.Script(mocks.status(500, PROVIDERS[provider][3][500], **{"retry-after": "0"}),
                          answer(provider, mocks.BRIEF))
    brief = briefer(provider, script).write(reading(), seed=1, duration=15)
    assert brief.engine == provider and len(script.requests) == 2


def test_an_openai_model_that_does_not_exist_names_the_setting():
    script = mocks.Script(mocks.status(404, mocks.OPENAI_ERRORS[404]))
    with pytest.raises(NotConfigured, match="MELODIFY_OPENAI_MODEL") as error:
        OpenAIBriefer(model="gpt-nope", http_client=script.client()).write(reading(), seed=1, duration=15)
    assert "'gpt-nope'" in error.value.message


def test_a_reader_whose_answers_never_fit_keeps_the_measured_reading_and_says_why(beach):
    script = mocks.Script(answer("openai", "not json at all"))
    got = OpenAIReader(http_client=script.client()).read(beach.image, format=beach.format, size=beach.size)
    assert got.engine == "embedded" and got.caption and "the openai reader" in got.fallback
    assert len(got.usage) == 2


@pytest.fixture
def vertex(monkeypatch):
    """Gemini on Vertex AI: a project and location instead of a key."""
    monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "melodify-test")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "asia-northeast3")
    monkeypatch.delenv("GEMINI_API_KEY")


def test_gemini_on_vertex_ai_asks_the_project_and_location_endpoint(vertex):
    from google.oauth2.credentials import Credentials

    script = mocks.Script(answer("gemini", mocks.BRIEF))
    endpoint = "projects/melodify-test/locations/asia-northeast3/endpoints/1234"
    brief = GeminiBriefer(model=endpoint, http_client=script.client(),
                          credentials=Credentials(token="ya29.test-token")).write(reading(), seed=1, duration=15)
    assert brief.engine == "gemini" and brief.model == endpoint
    url = str(script.requests[0].url)
    assert "asia-northeast3-aiplatform.googleapis.com" in url and endpoint in url


def test_vertex_ai_without_google_cloud_credentials_says_how_to_get_them(vertex):
    from google.auth.credentials import AnonymousCredentials

    script = mocks.Script(answer("gemini", mocks.BRIEF))
    with pytest.raises(NotConfigured, match="application-default login"):
        GeminiBriefer(http_client=script.client(), credentials=AnonymousCredentials()).write(reading(), seed=1,
                                                                                            duration=15)
    assert not script.requests


def test_the_gemini_engines_say_which_settings_they_need(monkeypatch):
    from melodify.engines import ENGINES

    monkeypatch.delenv("GEMINI_API_KEY")
    assert "GEMINI_API_KEY" in ENGINES["briefer", "gemini"].problem()
    monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")
    assert "GOOGLE_CLOUD_LOCATION" in ENGINES["briefer", "gemini"].problem()
