"""Shared words: everyday colour names (English and Korean), colour phrases without doubled
colours, and Korean particles."""

from __future__ import annotations

import re

import pytest

from melodify.errors import InvalidOption
from melodify.words import colour, join_en, join_ko, josa, main_colours


@pytest.mark.parametrize("hex_colour, name, ko", [
    ("#e02020", "red", "빨간색"), ("#f08020", "orange", "주황색"), ("#e8e020", "yellow", "노란색"),
    ("#20c040", "green", "초록색"), ("#2050d0", "blue", "파란색"), ("#8030c0", "violet", "보라색"),
    ("#f060a0", "pink", "분홍색"), ("#102050", "deep blue", "짙은 파란색"), ("#0a2a44", "deep blue", "짙은 파란색"),
    ("#808080", "grey", "회색"), ("#fafafa", "white", "흰색"), ("#050505", "black", "검은색"),
    ("#804010", "brown", "갈색"), ("#f0e0c0", "cream", "크림색"), ("#f0ca89", "beige", "베이지색"),
    ("#5ba4ef", "light blue", "하늘색"), ("#c8e0f8", "pale blue", "옅은 하늘색"), ("#2d5525", "deep green", "짙은 초록색"),
    ("#4a4a10", "olive", "올리브색"),
])
def test_colour_names_read_as_people_say_them(hex_colour, name, ko):
    assert (colour(hex_colour).name, colour(hex_colour).ko) == (name, ko)


def test_no_colour_name_is_a_caption_keyword():
    """A name the briefer would hear as a scene ("sky", "sand") would change the music."""
    from melodify.brief.keywords import keyword_for
    names = {colour(f"#{r:02x}{g:02x}{b:02x}").name for r in range(0, 256, 17) for g in range(0, 256, 17)
             for b in range(0, 256, 17)}
    assert not [n for n in names for word in n.split() if keyword_for(word)]


def test_a_phrase_names_each_colour_family_once_by_its_strongest_shade():
    navy_and_blue = main_colours(["#0c1a40", "#2050d0", "#e02020"], [0.5, 0.3, 0.2], 3)
    assert [c.name for c in navy_and_blue] == ["deep blue", "red"]
    greys = main_colours(["#303030", "#808080", "#808081", "#c0c0c0"], [0.4, 0.3, 0.2, 0.1], 3)
    assert [c.name for c in greys] == ["charcoal", "grey", "silver"]     # greys by shade, each once
    assert [c.name for c in main_colours(["#e02020", "#2050d0"], [0.97, 0.03], 3)] == ["red"]   # a speck is left out


def test_phrases_join_as_written_language():
    assert join_en(["red"]) == "red" and join_en(["red", "blue", "cream"]) == "red, blue and cream"
    assert join_ko(["파란색", "노란색"]) == "파란색과 노란색"
    assert join_ko(["주황색", "짙은 빨간색", "크림색"]) == "주황색, 짙은 빨간색과 크림색"


def test_particles_follow_the_last_syllable():
    assert josa("노을", "과", "와") == "노을과"
    assert josa("바다", "과", "와") == "바다와"
    assert josa("피아노", "이", "가") == "피아노가"
    assert josa("808 드럼", "이", "가") == "808 드럼이"
    assert josa("808", "이", "가") == "808이" and josa("4", "이", "가") == "4가"


def test_every_korean_colour_name_is_korean():
    names = {colour(f"#{r:02x}{g:02x}{b:02x}").ko for r in range(0, 256, 17) for g in range(0, 256, 17)
             for b in range(0, 256, 17)}
    assert not [n for n in names if re.search("[A-Za-z]", n)]


def test_bad_colour_is_a_clear_error():
    with pytest.raises(InvalidOption, match="'#12345'"):
        colour("#12345")
    with pytest.raises(InvalidOption, match="'#gggggg'"):
        colour("#gggggg")
