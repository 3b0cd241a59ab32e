"""One path from a model's answer to a valid contract, the schemas the providers get, and what the
calls cost in the track's timings."""

from __future__ import annotations

import json

import pytest

from melodify.contracts import ImageReading, MusicBrief, Usage
from melodify.errors import NotConfigured, TransientError
from melodify.llm import calls
from melodify.llm.answers import InvalidAnswer, ask_valid, parse_json
from melodify.llm.calls import Reply, Service, service_error
from melodify.llm.prompts import BriefDraft, ReadingDraft, api_schema, brief_text
from melodify.pipeline import usage_timings
from tests import llm_mocks as mocks
from tests.factories import reading

SERVICE = Service("Probe", credentials="PROBE_KEY", model_setting="PROBE_MODEL")


def replies(*texts: str):
    asked = []

    def ask(repair):
        asked.append(repair)
        return Reply(texts[len(asked) - 1], Usage(engine="probe", model="m", seconds=0.5, input_tokens=10,
                                                   output_tokens=5))
    return ask, asked


def test_a_fenced_json_answer_is_read_and_a_bad_one_is_said_in_a_line():
    assert parse_json("```json\n" + json.dumps(mocks.READING) + "\n```", ReadingDraft).scene == "a sandy beach"
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_json("{'caption': 1}", ReadingDraft)
    with pytest.raises(ValueError, match=r"time_of_day: .*\(got 'teatime'\)"):
        parse_json(json.dumps({**mocks.READING, "time_of_day": "teatime"}), ReadingDraft)


def test_a_good_first_answer_makes_one_call_and_a_bad_one_gets_one_repair():
    ask, asked = replies(json.dumps(mocks.READING))
    draft, usage = ask_valid(ask, lambda text: parse_json(text, ReadingDraft))
    assert draft.caption == mocks.READING["caption"] and len(usage) == 1 and asked == [None]
    ask, asked = replies("no", json.dumps(mocks.READING))
    draft, usage = ask_valid(ask, lambda text: parse_json(text, ReadingDraft))
    assert [u.purpose for u in usage] == ["answer", "repair"] and asked[1].answer == "no"
    assert "not valid JSON" in asked[1].problem


def test_two_bad_answers_raise_with_the_reason_and_both_calls():
    ask, _ = replies("no", '{"caption": ""}')
    with pytest.raises(InvalidAnswer) as bad:
        ask_valid(ask, lambda text: parse_json(text, ReadingDraft))
    assert "caption" in bad.value.reason and "even after a repair" in bad.value.reason and len(bad.value.usage) == 2


def test_the_api_schema_is_strict_everywhere_and_keeps_the_enums():
    schema = api_schema(BriefDraft)
    text = json.dumps(schema)
    assert "maxLength" not in text and '"title"' not in text
    assert schema["required"] == list(schema["properties"]) and schema["additionalProperties"] is False
    assert schema["properties"]["instruments"]["items"]["enum"][0] == "piano"
    assert schema["properties"]["tempo"] == {"maximum": 220, "minimum": 40, "type": "integer"}


def test_the_brief_question_carries_the_photo_the_genre_and_the_fixed_values():
    text = brief_text(reading("a red car", tags=["night"]), duration=20, genre="jazz", fixed={"tempo": 90})
    assert "a red car" in text and "jazz" in text and '"tempo": 90' in text and "20 seconds" in text


@pytest.mark.parametrize("code, kind, words", [
    (None, TransientError, "did not answer"), (429, TransientError, "rate limiting"),
    (503, TransientError, "trouble"), (401, NotConfigured, "PROBE_KEY"), (404, NotConfigured, "PROBE_MODEL"),
    (400, calls.ServiceRejected, "rejected"),
])
def test_each_http_status_maps_to_one_error_kind(code, kind, words):
    error = service_error(SERVICE, "m1", code, "detail " * 100, retry_after=3)
    assert type(error) is kind and words in error.message and len(error.message) < 400


def test_bad_timeout_settings_say_what_to_set(monkeypatch):
    monkeypatch.setenv("MELODIFY_LLM_TIMEOUT", "soon")
    with pytest.raises(NotConfigured, match="MELODIFY_LLM_TIMEOUT='soon'"):
        calls.timeout()


def test_model_calls_add_their_seconds_and_tokens_to_the_timings_by_stage():
    use = Usage(engine="openai", model="m", seconds=1.25, input_tokens=1000, output_tokens=200)
    read = reading().model_copy(update={"usage": [use]})
    brief = MusicBrief.model_validate({**mocks.BRIEF, "seed": 1, "usage": [use.model_dump(), use.model_dump()]})
    assert usage_timings(read, brief) == {
        "read_calls": 1, "read_call_seconds": 1.25, "read_input_tokens": 1000, "read_output_tokens": 200,
        "brief_calls": 2, "brief_call_seconds": 2.5, "brief_input_tokens": 2000, "brief_output_tokens": 400}
    assert usage_timings(reading(), brief)["brief_calls"] == 2 and "read_calls" not in usage_timings(reading(), brief)


def test_readings_and_briefs_stored_before_these_fields_still_validate():
    old = reading().model_dump(exclude={"caption_ko", "objects", "scene", "time_of_day", "mood", "model", "usage",
                                        "fallback"})
    assert ImageReading.model_validate(old).caption_ko == ""
    assert MusicBrief.model_validate({**mocks.BRIEF, "seed": 1}).fallback == ""
