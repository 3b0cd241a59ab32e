"""Descriptions and prompts: in the original data set's style, true to the brief, rewritten after edits."""

from __future__ import annotations

import itertools
import re

import pytest

from melodify.brief.description import MAX_WORDS as MAX
from melodify.brief.description import MIN_WORDS as MIN
from melodify.brief.description import describe
from melodify.brief.engines.embedded import RuleBriefer
from melodify.contracts import ImageReading, MusicBrief
from melodify.errors import InvalidOption
from melodify.genres import GENRE_NAMES, GENRES
from melodify.pipeline import edit_brief
from tests import factories

BRIEFER = RuleBriefer()


def reading(caption: str = "a photo", *, palette=("#d02020", "#203060"), level: float = 0.5,
            tags=(), engine: str = "embedded") -> ImageReading:
    return factories.reading(caption, palette=palette, level=level, tags=tags, engine=engine)


def brief_for(r: ImageReading, seed: int = 5, genre: str | None = None) -> MusicBrief:
    return BRIEFER.write(r, seed=seed, duration=15.0, genre=genre)


def word_count(text: str) -> int:
    return len(text.split())


CAPTIONS = ("a beach at noon", "a rainy night street", "a red bicycle leaning on a wall", "",
            "snow on the mountains above a quiet lake at dawn with friends and a dog",
            "A photo of an old man playing chess in a park on a long and lazy summer afternoon.")


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_description_starts_with_label_and_says_tempo_key_and_instruments(genre):
    for caption, seed in itertools.product(CAPTIONS, range(4)):
        brief = brief_for(reading(caption), seed, genre)
        text = brief.description
        assert text.startswith(f"{GENRES[genre].label}: "), text
        assert f"{brief.tempo} bpm" in text and brief.key_name in text
        assert brief.instruments[0] in text and brief.instruments[1] in text
        assert MIN <= word_count(text) <= MAX, (word_count(text), text)
        assert 4 <= len(re.findall(r"[.!?](\s|$)", text)) <= 7


def test_description_mentions_what_is_in_the_photo():
    assert "beach" in brief_for(reading("a beach at noon")).description
    assert "rain" in brief_for(reading("a rainy night street")).description
    assert "bicycle" in brief_for(reading("a red bicycle leaning on a wall")).description
    assert "snow" in brief_for(reading("a photo", tags=["snow"])).description
    # with keywords, a real captioner's subject is named too
    captioned = reading("A golden retriever playing in the snow.").model_copy(update={"engine": "blip"})
    assert "golden retriever" in brief_for(captioned).description
    korean = brief_for(reading("바다에서 본 노을")).description      # a Korean caption, an English paragraph
    assert "sea" in korean and "sunset" in korean and not re.search("[가-힣]", korean)


def test_description_names_the_palette_colours():
    text = brief_for(reading(palette=("#d02020", "#2050d0"))).description
    assert "red" in text and "blue" in text


def test_description_follows_the_mood_and_talks_of_no_vocals():
    for caption, seed, level in itertools.product(CAPTIONS, range(8), (0.05, 0.5, 0.95)):
        brief = brief_for(reading(caption, level=level), seed)
        assert brief.mood[0] in brief.description
        assert not re.search(r"\b(vocals?|lyrics?|sings?|singing|singer|voices?)\b", brief.description, re.I), brief.description


def test_calm_and_energetic_tracks_end_differently():
    calm = brief_for(reading(level=0.05), genre="ambient")
    loud = brief_for(reading(level=0.95), genre="rock")
    assert "fading slowly into silence" in calm.description
    assert "ringing chord" in loud.description


def test_drumless_genre_says_so_and_drummed_genre_names_its_kit():
    assert "no drums" in brief_for(reading(), genre="ambient").description
    assert "808" in brief_for(reading(), genre="hip-hop").description
    assert "brushed drums" in brief_for(reading(), genre="lo-fi").description


def test_three_four_time_is_mentioned_for_folk():
    assert "three-four" in brief_for(reading(), genre="folk").description


def test_templates_vary_by_seed_and_repeat_for_the_same_seed():
    r = reading("a quiet lake")
    openings = {brief_for(r, seed, "ambient").description.split(". ")[0] for seed in range(20)}
    assert len(openings) >= 3
    brief = brief_for(r, 11)
    assert describe(brief, r) == (brief.description, brief.prompt)


def test_prompt_is_short_and_names_genre_tempo_key():
    for genre, seed in itertools.product(GENRE_NAMES, range(3)):
        brief = brief_for(reading("a rainy night street"), seed, genre)
        assert len(brief.prompt) < 200
        assert brief.prompt.endswith(f"{brief.tempo} bpm, {brief.key_name}")
        assert brief.instruments[0] in brief.prompt
    assert brief_for(reading(), genre="lo-fi").prompt.startswith("lo-fi, dusty, ")


def test_long_user_edits_keep_prompt_and_description_in_bounds():
    brief = brief_for(reading("a beach at noon"))
    long_moods = ["bittersweet and so nostalgic"] * 5   # five long ones, each within the 30 letters allowed
    names = ["piano", "strings", "cello", "warm pad", "flute", "harp", "glockenspiel", "french horn"]
    edited = edit_brief(brief, reading("a beach at noon"), {"mood": long_moods, "instruments": names})
    assert len(edited.prompt) < 200
    assert word_count(edited.description) <= MAX
    assert "harp" in edited.description            # the fifth and later instruments are named too


def test_edit_rewrites_description_and_prompt_to_match():
    r = reading("a rainy night street")
    brief = brief_for(r, genre="lo-fi")
    assert brief.tempo != 90
    edited = edit_brief(brief, r, {"tempo": 90, "mode": "minor"})
    assert edited.tempo == 90 and edited.mode == "minor"
    assert "90 bpm" in edited.description and f"{edited.key} minor" in edited.description
    assert "90 bpm" in edited.prompt
    assert f"{brief.tempo} bpm" not in edited.description


def test_edit_to_one_instrument_still_reads_well():
    r = reading("a forest")
    edited = edit_brief(brief_for(r, genre="folk"), r, {"instruments": ["harp"], "mood": ["calm"]})
    assert "a harp alone" in edited.description and "calm" in edited.description
    assert edited.description.count("harp") == 1
    assert MIN <= word_count(edited.description) <= MAX


def test_bad_edit_is_refused_with_the_field_named():
    r = reading()
    with pytest.raises(InvalidOption, match="instruments"):
        edit_brief(brief_for(r), r, {"instruments": ["kazoo"]})


def test_embedded_captions_about_colour_are_not_quoted_as_the_subject():
    for seed in range(12):
        text = brief_for(reading("A very dark, cold photo of deep blues over the sea, with a moon"), seed).description
        assert "photo of" not in text and "picture of a" not in text, text


def test_plural_instruments_take_no_article():
    text = brief_for(reading("a photo"), genre="classical").description
    assert "a strings" not in text and "an strings" not in text


COLOUR_FAMILIES = ("red", "orange", "yellow", "green", "blue", "teal", "purple", "pink", "brown", "grey",
                   "white", "black", "beige", "cream")


@pytest.mark.parametrize("scene", ["cafe", "night-sea", "sunset", "desert", "rainy-street", "neon"])
def test_descriptions_of_real_readings_read_as_a_person_would_write_them(scene):
    """No 'captures oranges deep reds and reds dramatic and busy': the embedded caption's colour and
    feel words are never pasted in, and each colour is named once."""
    from melodify.pipeline import read_photo
    from melodify.samples import photo_bytes
    r = read_photo(photo_bytes(scene, size=(320, 240)))
    for genre, seed in itertools.product(("house", "jazz", "ambient"), range(3)):
        text = brief_for(r, seed, genre).description
        words = re.findall(r"[a-z]+", text.lower())
        assert not [c for c in COLOUR_FAMILIES if words.count(c) > 1], text
        assert "—" not in text and "photo in" not in text and "busy with detail" not in text, text
        assert not re.search(r"\b(dramatic|lively|calm|quiet|hushed) and (busy|sparse|simple|detailed)\b", text), text


def test_a_caption_about_light_alone_gives_a_scene_in_words():
    r = factories.reading("A dimly lit, warm photo in orange, deep red and cream — dramatic and busy with detail.",
                          level=0.35, warmth=0.6, palette=("#e07020", "#801010", "#f0e0c0"))
    text = brief_for(r, 1, "house").description
    assert "captures a dim, warm scene" in text or "much like a dim, warm scene" in text or "by a dim, warm scene" in text, text


def test_a_stored_reading_without_a_korean_caption_still_validates():
    stored = reading("a photo").model_dump()
    del stored["caption_ko"]
    assert ImageReading.model_validate(stored).caption_ko == ""
