"""The embedded briefer: readings built by hand in, validated briefs out."""

from __future__ import annotations

import itertools

import pytest

from melodify.brief.keywords import KEYWORDS
from melodify.brief.engines.embedded import RuleBriefer
from melodify.brief.rules import COMFORTABLE
from melodify.contracts import PITCH_CLASSES, ImageReading, MusicBrief
from melodify.engines import EngineChoice, load_engine
from melodify.errors import InvalidOption
from melodify.genres import GENRE_NAMES, GENRES, ROLES
from melodify.instruments import INSTRUMENTS
from melodify.pipeline import write_brief
from melodify.request import Request
from tests.factories import reading

BRIEFER = RuleBriefer()




def dark_cold_sparse(caption: str = "a photo") -> ImageReading:
    return reading(caption, brightness=0.08, warmth=-0.8, saturation=0.1, colourfulness=0.08,
                   texture=0.08, contrast=0.15, palette=("#101a2a", "#2a3040"))


def bright_warm_busy(caption: str = "a photo") -> ImageReading:
    return reading(caption, brightness=0.92, warmth=0.8, saturation=0.75, colourfulness=0.85,
                   texture=0.85, contrast=0.7, palette=("#f0a030", "#e04020"))


def write(r: ImageReading, seed: int = 7, genre: str | None = None) -> MusicBrief:
    return BRIEFER.write(r, seed=seed, duration=15.0, genre=genre)


def test_same_reading_and_seed_give_identical_brief():
    r = reading("a rainy night street", tags=["rain", "city"])
    assert write(r, seed=42) == write(r, seed=42)
    assert RuleBriefer().write(r, seed=42, duration=15.0) == write(r, seed=42)


def test_other_seeds_vary_the_brief_but_not_its_mood_point():
    r = reading("a quiet lake")
    briefs = [write(r, seed=s) for s in range(12)]
    assert len({b.model_dump_json() for b in briefs}) > 1
    assert len({(b.valence, b.energy) for b in briefs}) == 1


# Every keyword as a caption, on both photos: the photo must stay audible whatever the caption says.
@pytest.mark.parametrize("caption", ["a photo", *(f"a photo of a {word}" for word in KEYWORDS),
                                     "a beach party at sunset", "a storm over the concert stage",
                                     "snow and fog on a rainy night"])
def test_dark_cold_sparse_photo_gets_lower_valence_energy_and_another_genre_than_bright_warm_busy(caption):
    for seed in range(10):
        dark, bright = write(dark_cold_sparse(caption), seed), write(bright_warm_busy(caption), seed)
        assert dark.valence < bright.valence - 0.4, (caption, seed)
        assert dark.energy < bright.energy - 0.4, (caption, seed)
        assert dark.genre != bright.genre, (caption, seed, dark.genre)


def test_every_genre_is_reachable_from_some_photo_without_forcing():
    grid = (0.0, 0.25, 0.5, 0.75, 1.0)
    found: dict[str, ImageReading] = {}
    for b, w, s, t, c in itertools.product(grid, (-1.0, -0.5, 0.0, 0.5, 1.0), grid, grid, grid):
        r = reading(brightness=b, warmth=w, saturation=s, colourfulness=s, texture=t, contrast=c)
        found.setdefault(write(r, seed=0).genre, r)
    missing = sorted(set(GENRE_NAMES) - set(found))
    assert not missing, f"no photo in the grid leads to {missing}"
    for name, r in found.items():           # and the reading found really produces it
        assert write(r, seed=0).genre == name


def test_caption_keywords_steer_genre_mood_and_instruments():
    measures = dict(brightness=0.6, warmth=0.2, saturation=0.5, colourfulness=0.5, texture=0.5, contrast=0.5)
    beach = write(reading("a beach at noon", **measures))
    night = write(reading("a rainy night street", **measures))
    assert beach.genre != night.genre
    assert set(beach.mood) != set(night.mood)
    assert beach.instruments != night.instruments
    assert beach.valence > night.valence and beach.energy > night.energy
    assert "nylon guitar" in beach.instruments
    assert "electric piano" in night.instruments or "piano" in night.instruments


def test_tags_steer_like_caption_words():
    measures = dict(brightness=0.45, warmth=-0.2, saturation=0.3, colourfulness=0.3, texture=0.3, contrast=0.4)
    plain = write(reading("a photo", **measures))
    tagged = write(reading("a photo", tags=["club", "party", "dance"], **measures))
    assert tagged.energy > plain.energy
    assert tagged.genre != plain.genre


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_forced_genre_is_respected_and_brief_validates(genre):
    for r in (dark_cold_sparse("snow at night"), bright_warm_busy("a beach party")):
        brief = write(r, genre=genre)
        assert brief.genre == genre
        assert MusicBrief.model_validate_json(brief.model_dump_json()) == brief
        assert brief.time_signature == GENRES[genre].meter
        low, high = GENRES[genre].tempo
        assert isinstance(brief.tempo, int) and low <= brief.tempo <= high


def test_forced_genre_name_is_forgiving_and_unknown_one_is_a_clear_error():
    assert write(reading(), genre="Lo Fi").genre == "lo-fi"
    with pytest.raises(InvalidOption, match="'polka'"):
        write(reading(), genre="polka")


def test_more_energetic_photo_is_faster_within_a_forced_genre():
    calm = write(reading(texture=0.0, contrast=0.0), genre="pop")
    busy = write(reading(texture=1.0, contrast=1.0), genre="pop")
    assert calm.tempo < busy.tempo


def test_dark_photo_gets_minor_and_bright_major_where_genre_allows_both():
    assert write(dark_cold_sparse(), genre="jazz").mode == "minor"
    assert write(bright_warm_busy(), genre="jazz").mode == "major"
    assert write(dark_cold_sparse(), genre="pop").mode == "major"      # pop only knows major
    assert write(bright_warm_busy(), genre="metal").mode == "minor"


def test_key_follows_the_dominant_colour_and_stays_comfortable():
    reds = {write(reading(palette=("#e01010",)), seed=s, genre="pop").key for s in range(20)}
    blues = {write(reading(palette=("#1040e0",)), seed=s, genre="pop").key for s in range(20)}
    assert reds != blues
    for genre, seed in itertools.product(GENRE_NAMES, range(6)):
        brief = write(reading(palette=("#8040c0",)), seed=seed, genre=genre)
        assert brief.key in COMFORTABLE[GENRES[genre].key_family][brief.mode]


def test_red_photo_is_usually_in_scriabins_c():
    keys = [write(reading(palette=("#e01010",)), seed=s, genre="pop").key for s in range(30)]
    assert keys.count("C") > len(keys) / 3


@pytest.mark.parametrize("genre", GENRE_NAMES)
def test_without_hints_instruments_are_one_per_role_from_the_genre_palette_then_its_layers(genre):
    layers = [layer.instrument for layer in GENRES[genre].style.layers]
    for seed in range(5):
        brief = write(reading("a photo"), seed=seed, genre=genre)
        roles, rest = brief.instruments[:len(ROLES)], brief.instruments[len(ROLES):]
        assert rest == [name for name in layers if name not in roles]
        for role, name in zip(ROLES, roles):
            assert name in GENRES[genre].instruments[role], (role, name)
            assert name in INSTRUMENTS


def test_keyword_instruments_are_preferred_when_they_fit():
    assert write(reading("snow falling"), genre="ambient").instruments[0] in ("celesta", "music box")
    assert write(reading("rain on the window"), genre="lo-fi").instruments[1] == "piano"   # its own role
    assert "nylon guitar" in write(reading("a beach"), genre="jazz").instruments   # an open genre takes an outsider
    forest = write(reading("a forest path"), genre="folk").instruments
    assert forest[0] == "flute" or forest[1] == "acoustic guitar"
    assert "electric piano" in write(reading("the city at night"), genre="hip-hop").instruments


@pytest.mark.parametrize("genre", [g.name for g in GENRES.values() if g.closed])
def test_loud_and_synthetic_genres_keep_their_own_instruments_whatever_the_caption(genre):
    brief = write(reading("snow, a music box and a child on a beach in the forest"), genre=genre)
    for role, name in zip(ROLES, brief.instruments):
        assert name in GENRES[genre].instruments[role]


def test_mood_has_two_to_four_words_that_fit_the_photo():
    for r in (dark_cold_sparse(), bright_warm_busy(), reading("a beach party at sunset on a rainy night")):
        for seed in range(10):
            assert 2 <= len(write(r, seed).mood) <= 4
    assert {"wistful", "melancholic", "pensive", "lonely"} >= set(write(dark_cold_sparse()).mood)
    assert {"euphoric", "playful", "exuberant", "joyful"} >= set(write(bright_warm_busy()).mood)
    assert "hushed" in write(dark_cold_sparse("snow")).mood


def test_duration_seed_and_engine_pass_through():
    brief = BRIEFER.write(reading(), seed=2**32 - 1, duration=42.5)
    assert (brief.duration, brief.seed, brief.engine) == (42.5, 2**32 - 1, "embedded")
    assert brief.description and brief.prompt


def test_embedded_briefer_takes_no_model():
    with pytest.raises(InvalidOption, match="'gpt-x'"):
        load_engine("briefer", EngineChoice("embedded", model="gpt-x"))


def test_pipeline_writes_briefs_with_the_rule_briefer_from_the_registry():
    assert isinstance(load_engine("briefer", EngineChoice()), RuleBriefer)
    brief = write_brief(reading("a snowy forest"), Request(seed=3, duration=20, genre="classical"))
    assert brief.genre == "classical" and brief.duration == 20.0
    edited = write_brief(reading("a snowy forest"), Request(seed=3, edits={"tempo": 70}))
    assert edited.tempo == 70 and "70 bpm" in edited.description


def test_keyword_moods_that_contradict_the_photo_are_left_out():
    assert not {"carefree", "sunny"} & set(write(dark_cold_sparse("a beach")).mood)
    assert {"carefree", "sunny"} & set(write(bright_warm_busy("a beach")).mood)
    assert "melancholic" not in write(bright_warm_busy("rain")).mood
    assert not {"serene", "hushed"} & set(write(bright_warm_busy("snow")).mood)


# Measures as the embedded reader takes them from the synthetic sample scenes, with their captions.
SCENES = [
    ("a dark blue sea under a night sky, a moon and a few stars",
     (0.10, 0.16, 0.65, -0.69, 0.18, 0.12), {"ambient", "lo-fi"}),
    ("a sunny beach: sky, sun, surf, sand and parasols", (0.74, 0.28, 0.42, 0.13, 0.88, 0.23), {"pop", "latin"}),
    ("a green forest of trunks and leaves", (0.31, 0.25, 0.55, 0.11, 0.43, 0.55), {"folk", "ambient", "classical"}),
    ("a city skyline at night with many lit windows", (0.16, 0.41, 0.44, -0.13, 0.34, 0.58),
     {"hip-hop", "synthwave", "house"}),
    ("a snowy field with a few small pines, snow falling", (0.89, 0.19, 0.07, -0.52, 0.10, 0.15),
     {"ambient", "classical"}),
    ("a grey street in the rain, umbrellas and wet reflections", (0.41, 0.24, 0.15, -0.48, 0.12, 0.52),
     {"lo-fi", "jazz", "blues"}),
    ("sand dunes under a hazy sky", (0.70, 0.23, 0.44, 0.75, 0.76, 0.14), {"country", "cinematic", "folk", "blues"}),
    ("magenta and cyan neon signs on a dark wall", (0.10, 0.23, 0.62, -0.27, 0.51, 0.20),
     {"synthwave", "electronic"}),
    ("a warm café: wooden table, cups, lamps and a window", (0.37, 0.43, 0.59, 0.81, 0.35, 0.17), {"jazz", "lo-fi"}),
]


@pytest.mark.parametrize("caption, measures, genres", SCENES, ids=[s[0][:24] for s in SCENES])
def test_sample_scenes_get_the_genres_their_captions_suggest(caption, measures, genres):
    b, c, s, w, cf, t = measures
    r = reading(caption, brightness=b, contrast=c, saturation=s, warmth=w, colourfulness=cf, texture=t)
    assert {write(r, seed).genre for seed in range(8)} <= genres


def test_reading_without_caption_or_palette_still_gets_a_full_brief():
    r = reading("", palette=())
    brief = write(r)
    assert brief.key and brief.description.count("bpm") == 1 and brief.prompt
    assert write(r) == brief


def test_photos_spread_over_keys_and_tempos():
    """Unlike photos must not share a key: the sample scenes, three pictures each, their own seeds."""
    from collections import Counter

    from melodify.pipeline import read_photo, resolve_seed
    from melodify.samples import SCENES, photo_bytes
    briefs = []
    for scene, photo_seed in itertools.product(SCENES, range(3)):
        image = photo_bytes(scene, size=(320, 240), seed=photo_seed)
        briefs.append(write_brief(read_photo(image), resolve_seed(Request(), image)))
    keys = Counter(b.key for b in briefs)
    assert len(keys) >= 11 and keys.most_common(1)[0][1] <= 0.2 * len(briefs), keys
    tempos = [b.tempo for b in briefs]
    assert max(tempos) - min(tempos) >= 50 and len(set(tempos)) >= 0.5 * len(briefs), sorted(tempos)


UNLIKE = {   # greys (black-and-white photos), a dark and a light blue, a brown: once nearly all E and B
    "light grey": dict(palette=("#a0a0a0", "#707070"), brightness=0.55, saturation=0.0, warmth=0.0),
    "mid grey": dict(palette=("#707070", "#404040"), brightness=0.44, saturation=0.0, warmth=0.0),
    "dark grey": dict(palette=("#404040", "#202020"), brightness=0.3, saturation=0.0, warmth=0.0),
    "dark blue": dict(palette=("#102060", "#203080"), brightness=0.24, saturation=0.46, warmth=-0.56),
    "sky blue": dict(palette=("#60a0e0", "#f0f0f0"), brightness=0.6, saturation=0.58, warmth=-0.8),
    "brown": dict(palette=("#704020", "#a06030"), brightness=0.4, saturation=0.5, warmth=0.8),
}


@pytest.mark.parametrize("genre", ["pop", "cinematic"])
def test_unlike_photos_land_in_many_keys(genre):
    from collections import Counter
    keys = Counter(write(reading("a photo", **m), seed, genre).key for m in UNLIKE.values() for seed in range(6))
    assert len(keys) >= 10 and keys.most_common(1)[0][1] <= 0.3 * sum(keys.values()), keys


def test_a_brighter_photo_sits_sharp_wards_of_a_darker_one_of_the_same_colour():
    from melodify.brief.rules import choose_key
    keys = [choose_key(reading(palette=("#808080",), brightness=b), GENRES["pop"], "major", seed=1)
            for b in (0.05, 0.5, 0.95)]
    fifths = [PITCH_CLASSES.index(k) * 7 % 12 for k in keys]     # place on the circle of fifths
    assert len(set(keys)) == 3 and (fifths[1] - fifths[0]) % 12 <= 3 and (fifths[2] - fifths[1]) % 12 <= 3
