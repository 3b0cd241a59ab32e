"""Caption keywords: whole-word matching, plurals, synonyms, Korean, and a sane table."""

from __future__ import annotations

import pytest

from melodify.brief.keywords import KEYWORDS, KOREAN, MAX_SHIFT, SYNONYMS, hints, keyword_for
from melodify.contracts import ImageReading
from melodify.genres import GENRE_NAMES
from melodify.instruments import INSTRUMENTS
from tests import factories


def reading(caption: str, tags: tuple[str, ...] = ()) -> ImageReading:
    return factories.reading(caption, tags=tags, palette=())


def words(caption: str, tags: tuple[str, ...] = ()) -> tuple[str, ...]:
    return hints(reading(caption, tags)).words


def test_table_covers_the_scenes_the_brief_names():
    needed = ("beach night rain city forest party snow sunset cafe mountain sea neon desert flower road "
              "concert wedding autumn spring winter summer sky sun moon star storm river lake street bar "
              "club dog cat child smile portrait food coffee train car").split()
    assert not [w for w in needed if w not in KEYWORDS]
    assert len(KEYWORDS) >= 40


@pytest.mark.parametrize("word", sorted(KEYWORDS))
def test_every_keyword_votes_for_known_genres_and_names_known_instruments(word):
    kw = KEYWORDS[word]
    assert kw.genres and set(kw.genres) <= set(GENRE_NAMES)
    assert all(0 < w <= 1 for w in kw.genres.values())
    assert set(kw.instruments) <= set(INSTRUMENTS)
    assert kw.moods and kw.phrase
    assert abs(kw.valence) <= MAX_SHIFT and abs(kw.energy) <= MAX_SHIFT * 1.25


def test_synonyms_and_korean_nouns_point_at_keywords():
    assert not {t for t in SYNONYMS.values() if t not in KEYWORDS}
    assert not {t for t in KOREAN.values() if t not in KEYWORDS}


def test_matching_is_whole_word_and_case_insensitive():
    assert words("A BEACH at Night") == ("beach", "night")
    assert words("a seashell by the barn, a nightingale singing") == ()
    assert words("snowboarding in the starlight") == ()


def test_plurals_and_synonyms_match():
    assert words("two beaches, three cities and some dogs") == ("beach", "city", "dog")
    assert words("roses and puppies") == ("flower", "dog")
    assert words("waves on the ocean at dusk") == ("sea", "sunset")
    assert keyword_for("skyscrapers") == "city"
    assert keyword_for("café") == "cafe"


def test_tags_count_like_caption_words_and_each_keyword_counts_once():
    assert words("a photo", ("snow", "night")) == ("snow", "night")
    assert words("rain, rainy rain", ("rain",)) == ("rain",)


def test_korean_nouns_match_with_particles_but_not_inside_other_words():
    assert words("바다에서 본 노을") == ("sea", "sunset")
    assert words("밤의 도시, 비가 온다") == ("night", "city", "rain")
    assert words("숲 속의 눈", ("카페", "산", "꽃")) == ("forest", "snow", "cafe", "mountain", "flower")
    assert words("비행기와 산책") == ()           # airplane, a walk: not rain, not mountain
    assert words("강아지와 고양이") == ("dog", "cat")


def test_hints_sum_votes_and_shifts_and_keep_order():
    h = hints(reading("a beach at sunset"))
    assert h.words == ("beach", "sunset")
    assert h.genre_votes["latin"] == 1 and h.genre_votes["synthwave"] == 1
    assert h.valence == pytest.approx(KEYWORDS["beach"].valence + KEYWORDS["sunset"].valence)
    assert h.phrases == (KEYWORDS["beach"].phrase, KEYWORDS["sunset"].phrase)
    assert h.instruments[0] == "nylon guitar"
    assert h.moods[:2] == KEYWORDS["beach"].moods


def test_many_keywords_shift_valence_and_energy_no_further_than_the_limit():
    h = hints(reading("party club dance fireworks concert summer sun friends"))
    assert h.valence == MAX_SHIFT and h.energy == MAX_SHIFT
    low = hints(reading("rain storm ruins fog night winter"))
    assert low.valence == -MAX_SHIFT


def test_caption_without_keywords_gives_empty_hints():
    h = hints(reading("a red bicycle leaning on a wall"))
    assert (h.words, h.genre_votes, h.valence, h.energy, h.moods, h.phrases) == ((), {}, 0.0, 0.0, (), ())


def test_two_word_names_are_read_before_single_words():
    assert words("the sun setting over the water") == ("sunset",)
    assert words("sand dunes under a hazy sky") == ("desert", "sky")
    assert words("a coffee shop on the corner") == ("cafe",)


def test_the_embedded_readers_scene_tags_are_understood():
    tags = ("night", "sea", "sky", "sunset", "snow", "beach", "desert", "forest", "flowers", "moon", "stars",
            "neon", "portrait", "sun", "overcast", "lamplight", "greenery")
    assert [t for t in tags if keyword_for(t) is None] == []
