"""Titles are written from the photo and the brief, in English and Korean, the same for the same seed."""

import pytest

from melodify import pipeline
from melodify.errors import InvalidOption
from melodify.request import Request
from melodify.samples import photo_bytes
from melodify.title import MAX_TITLE, check_title, make_title

HANGUL = set(chr(c) for c in range(0xAC00, 0xD7A4))


@pytest.fixture(scope="module")
def beach():
    image = photo_bytes("sunny-beach", "JPEG", size=(400, 300))
    reading = pipeline.read_photo(image)
    return reading, pipeline.write_brief(reading, Request(seed=7))


def test_a_title_names_what_the_photo_shows_and_how_the_music_feels(beach):
    reading, brief = beach
    english, korean = make_title(reading, brief), make_title(reading, brief, "ko")
    assert "Beach" in english or brief.mood[0].title() in english
    assert "해변" in korean or any(ch in HANGUL for ch in korean)
    assert english and korean and english != korean


def test_the_same_seed_gives_the_same_title_and_seeds_give_several(beach):
    reading, brief = beach
    assert make_title(reading, brief) == make_title(reading, brief.model_copy())
    titles = {make_title(reading, brief.model_copy(update={"seed": seed})) for seed in range(12)}
    assert len(titles) >= 3


def test_a_waltz_is_a_waltz_whatever_the_genre(beach):
    reading, brief = beach
    waltzes = [make_title(reading, brief.model_copy(update={"seed": s, "time_signature": "3/4"}))
               for s in range(12)]
    assert any("Waltz" in title for title in waltzes)


def test_a_photo_without_keywords_is_named_by_its_colour():
    image = photo_bytes("night-sea", "PNG", size=(64, 64))
    reading = pipeline.read_photo(image).model_copy(update={"caption": "something", "tags": []})
    brief = pipeline.write_brief(reading, Request(seed=1))
    titles = {make_title(reading, brief.model_copy(update={"seed": s})) for s in range(8)}
    assert all(title.strip() for title in titles)


def test_a_persons_title_is_trimmed_to_one_line_and_a_long_one_is_refused_with_its_length():
    assert check_title("  My\n beach   song ") == "My beach song"
    assert check_title(None) == ""
    with pytest.raises(InvalidOption, match=f"{MAX_TITLE + 1} characters"):
        check_title("x" * (MAX_TITLE + 1))
    with pytest.raises(InvalidOption, match="must be text"):
        check_title(12)
