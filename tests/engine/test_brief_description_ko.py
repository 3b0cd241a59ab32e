"""The Korean description: genre label, photo, mood, tempo, key and instruments, with correct particles."""

from __future__ import annotations

import itertools

import pytest

from melodify.brief.description_ko import KEY_KO, MOODS_KO, describe_ko
from melodify.brief.keywords import KEYWORDS
from melodify.brief.engines.embedded import RuleBriefer
from melodify.brief.rules import MOODS
from melodify.contracts import PITCH_CLASSES, ImageReading
from melodify.genres import GENRE_NAMES, GENRES
from melodify.instruments import INSTRUMENTS
from melodify.pipeline import edit_brief
from tests import factories


def reading(caption: str, level: float = 0.5) -> ImageReading:
    return factories.reading(caption, level=level, palette=("#2050d0", "#e8e020"))


def test_every_mood_and_key_has_a_korean_name():
    assert set(PITCH_CLASSES) == set(KEY_KO)
    moods = {m for kw in KEYWORDS.values() for m in kw.moods} | {m for ws in MOODS.values() for m in ws}
    assert not moods - set(MOODS_KO)


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_korean_description_names_genre_tempo_key_and_lead(genre):
    for caption, seed in itertools.product(("바다에서 본 노을", "a rainy night street", "a red bicycle"), range(3)):
        r = reading(caption)
        brief = RuleBriefer().write(r, seed=seed, duration=15.0, genre=genre)
        text = describe_ko(brief, r)
        assert text.startswith(f"{GENRES[genre].label_ko}: ")
        assert f"{brief.tempo} BPM" in text and brief.key_name in text
        assert INSTRUMENTS[brief.instruments[0]].label_ko in text
        assert ("드럼 없이" in text) == (GENRES[genre].kit is None)


def test_korean_description_mentions_the_photo_and_its_colours():
    text = describe_ko(RuleBriefer().write(reading("바다에서 본 노을"), seed=1, duration=15.0),
                       reading("바다에서 본 노을"))
    assert "바다와 노을" in text and "파란색과 노란색" in text


def test_korean_description_follows_user_edits():
    r = reading("a snowy forest")
    edited = edit_brief(RuleBriefer().write(r, seed=2, duration=15.0), r,
                        {"tempo": 90, "key": "A", "mode": "minor", "instruments": ["cello"], "mood": ["calm"]})
    text = describe_ko(edited, r)
    assert "90 BPM" in text and "가단조(A minor)" in text and "첼로가" in text and "차분함" in text


def test_korean_description_names_the_instruments_beyond_the_four_roles():
    r = reading("a field")
    edited = edit_brief(RuleBriefer().write(r, seed=2, duration=15.0, genre="country"), r,
                        {"instruments": ["fiddle", "acoustic guitar", "electric bass", "organ", "banjo", "harmonica"]})
    assert "밴조와 하모니카가 곳곳에 색을 더합니다." in describe_ko(edited, r)
