"""parse_request: what a person asks for, checked once for the CLI, the API and the form alike."""

from __future__ import annotations

import pytest

from melodify.contracts import DEFAULT_DURATION
from melodify.engines import EngineChoice
from melodify.errors import InvalidOption
from melodify.request import Request, check_edits, parse_request


def test_nothing_asked_is_the_default_request():
    assert parse_request() == Request() == Request(duration=DEFAULT_DURATION)


@pytest.mark.parametrize("genre, expected", [(None, None), ("", None), ("auto", None), ("Auto ", None),
                                             ("K-Pop", "k-pop"), ("lo fi", "lo-fi"), ("rnb", "r&b")])
def test_genre_auto_or_empty_leaves_the_choice_to_the_briefer(genre, expected):
    assert parse_request(genre=genre).genre == expected


@pytest.mark.parametrize("sent, expected", [("7", 7), (7, 7), (" 42 ", 42), ("4294967295", 2**32 - 1), ("", None)])
def test_seed_accepts_whole_numbers_in_range(sent, expected):
    assert parse_request(seed=sent).seed == expected


@pytest.mark.parametrize("sent", ["-1", -1, "4294967296", "1.5", 1.5, "abc", True])
def test_seed_out_of_range_or_not_whole_is_refused_quoting_it(sent):
    with pytest.raises(InvalidOption) as error:
        parse_request(seed=sent)
    assert repr(sent) in error.value.message and error.value.code == "invalid_seed"
    assert "0 to 4294967295" in error.value.message


@pytest.mark.parametrize("sent", ["2", "61", "nan", "inf", "long", 4.9])
def test_duration_out_of_range_or_not_a_number_is_refused(sent):
    with pytest.raises(InvalidOption, match="5 to 60") as error:
        parse_request(duration=sent)
    assert error.value.code == "invalid_duration"


def test_edits_are_normalised_and_checked_against_the_brief():
    edits = check_edits({"mood": "dreamy, calm ,", "tempo": "70", "key": "Eb", "mode": "minor",
                         "instruments": "cello, harp", "time_signature": "3/4", "genre": None})
    assert edits == {"mood": ["dreamy", "calm"], "tempo": 70, "key": "Eb", "mode": "minor",
                     "instruments": ["cello", "harp"], "time_signature": "3/4"}


@pytest.mark.parametrize("edits, words", [
    ({"tempo": "500"}, "tempo '500' is not allowed"),
    ({"tempo": "90.5"}, "tempo '90.5'"),
    ({"key": "H"}, "'H'"),
    ({"mood": "a, b, c, d, e, f"}, "6 words"),
    ({"mood": "x" * 31}, "31 characters"),
    ({"instruments": "kazoo"}, "kazoo"),
    ({"valence": 0.9}, "cannot edit ['valence']"),
])
def test_a_bad_edit_is_refused_naming_the_field_and_value(edits, words):
    with pytest.raises(InvalidOption, match=words.replace("[", r"\[").replace("]", r"\]")) as error:
        check_edits(edits)
    assert error.value.code == "invalid_edit"


def test_engines_are_checked_when_the_request_is_made():
    with pytest.raises(InvalidOption, match="unknown composer engine 'nope'"):
        parse_request(composer="nope")
    with pytest.raises(InvalidOption, match="takes no model"):
        parse_request(reader=EngineChoice("embedded", model="Salesforce/blip"))


def test_a_request_survives_being_stored_as_json():
    request = parse_request(genre="jazz", duration="20", seed="3", edits={"mood": "calm"},
                            composer=EngineChoice("embedded", model=None))
    assert Request.from_json(request.to_json()) == request


def test_a_request_stored_before_engine_choices_had_models_still_reads():
    old = {"genre": "blues", "duration": 5.0, "seed": 9, "edits": {"tempo": 80},
           "engines": {"reader": "embedded", "briefer": "embedded", "composer": "embedded"},
           "photo": {"width": 800, "height": 600, "format": "JPEG"}}
    request = Request.from_json(old)
    assert (request.genre, request.duration, request.seed, request.edits) == ("blues", 5.0, 9, {"tempo": 80})
    assert request.composer == EngineChoice("embedded")


def test_korean_mood_words_become_the_engines_own_and_others_stay_as_typed():
    assert check_edits({"mood": "슬픈, 외로운, 평화로운, 차분한, angry"})["mood"] == [
        "melancholic", "lonely", "peaceful", "calm", "angry"]


@pytest.mark.parametrize("edits,field", [({"tempo": "500"}, "tempo"), ({"tempo": "90.5"}, "tempo"),
                                         ({"mood": "a" * 31}, "mood"), ({"mood": "a,b,c,d,e,f"}, "mood"),
                                         ({"key": "H"}, "key")])
def test_a_bad_edit_names_its_field_and_says_the_rule_in_words(edits, field):
    with pytest.raises(InvalidOption) as refused:
        check_edits(edits)
    assert refused.value.field == field
    assert "Input should" not in refused.value.message, refused.value.message


def test_a_prompt_edit_is_one_line_of_at_most_300_characters():
    assert check_edits({"prompt": " soft\n  piano "}) == {"prompt": "soft piano"}
    with pytest.raises(InvalidOption, match="up to 300 characters") as refused:
        check_edits({"prompt": "x" * 301})
    assert refused.value.field == "prompt"
