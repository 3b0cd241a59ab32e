"""The genres: one complete entry per module, in a fixed order; an incomplete one fails naming the field."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import numpy as np
import pytest

import melodify.genres
from melodify import contracts
from melodify.brief.description_ko import describe_ko
from melodify.brief.engines.embedded import RuleBriefer
from melodify.brief.rules import COMFORTABLE
from melodify.compose.effects import apply_effects
from melodify.compose.score import write_score
from melodify.compose.styles import Layer, Style
from melodify.contracts import Audio
from melodify.errors import InvalidOption
from melodify.genres import GENRE_NAMES, GENRES, MODULES, ROLES, Genre, get_genre
from melodify.genres.genre import KEY_FAMILIES
from melodify.instruments import INSTRUMENTS, KITS
from tests import factories

# Today's order: the briefer's seeded tie-break walks the genres in it, so changing it changes briefs.
ORDER = ("pop", "k-pop", "hip-hop", "r&b", "rock", "metal", "punk", "jazz", "blues", "funk", "classical",
         "cinematic", "electronic", "house", "lo-fi", "ambient", "synthwave", "folk", "country", "latin")
POP = GENRES["pop"]


def test_the_package_exposes_exactly_the_20_genres_in_order():
    assert GENRE_NAMES == ORDER and tuple(GENRES) == ORDER


def test_every_module_in_the_package_is_a_listed_genre():
    folder = Path(melodify.genres.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "genre"}
    assert modules == set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_every_genre_module_holds_one_complete_genre(module):
    genre = importlib.import_module(f"melodify.genres.{module}").GENRE
    assert isinstance(genre, Genre) and GENRES[genre.name] is genre
    assert genre.label and genre.label_ko and genre.noun.lower() == genre.label.lower()
    assert genre.tempo[0] <= genre.tempo[1] and len(genre.words) >= 3
    assert set(genre.instruments) == set(ROLES)
    assert all(names and set(names) <= set(INSTRUMENTS) for names in genre.instruments.values())
    assert genre.kit is None or genre.kit in KITS
    assert genre.key_family in COMFORTABLE and isinstance(genre.closed, bool)
    assert isinstance(genre.style, Style) and set(genre.style.progressions) == {"major", "minor"}
    assert genre.effects and genre.meter == genre.style.meter


def test_the_key_families_are_the_briefers():
    assert set(KEY_FAMILIES) == set(COMFORTABLE)


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"),
    ({"label": ""}, "label"),
    ({"label_ko": ""}, "label_ko"),
    ({"noun": ""}, "noun"),
    ({"words": ("bright", "catchy")}, "words"),
    ({"tempo": (124, 100)}, "tempo"),
    ({"tempo": (20, 100)}, "tempo"),
    ({"valence": 1.5}, "valence"),
    ({"energy": -0.1}, "energy"),
    ({"modes": ()}, "modes"),
    ({"modes": ("dorian",)}, "modes"),
    ({"swing": 0.5}, "swing"),
    ({"key_family": "piano"}, "key_family"),
    ({"kit": "bongos"}, "kit"),
    ({"instruments": {**POP.instruments, "lead": ()}}, "instruments['lead']"),
    ({"instruments": {**POP.instruments, "pad": ("kazoo",)}}, "instruments['pad'] has unknown instrument 'kazoo'"),
    ({"instruments": {r: n for r, n in POP.instruments.items() if r != "bass"}}, "instruments has roles"),
    ({"style": dataclasses.replace(POP.style, progressions={"major": ("I IV V I",)})}, "style.progressions['minor']"),
    ({"style": dataclasses.replace(POP.style, bass="R---")}, "style.bass"),
    ({"style": dataclasses.replace(POP.style, comp="")}, "style.comp"),
    ({"style": dataclasses.replace(POP.style, groove={"kick": "X.......X......."[:12]})}, "style.groove['kick']"),
    ({"style": dataclasses.replace(POP.style, groove={"cajon": "X" * 16})}, "'cajon'"),
    ({"style": dataclasses.replace(POP.style, meter="7/8")}, "style.meter"),
    ({"style": dataclasses.replace(POP.style, mix={"horns": 90})}, "style.mix has 'horns'"),
    ({"style": dataclasses.replace(POP.style, mix={"pad": 140})}, "style.mix['pad'] 140"),
    ({"style": dataclasses.replace(POP.style, layers=(Layer("kazoo", pattern="X" * 16),))}, "unknown instrument 'kazoo'"),
    ({"style": dataclasses.replace(POP.style, layers=(Layer("banjo", pattern="0123"),))}, "style.layers[0].pattern"),
    ({"style": dataclasses.replace(POP.style, layers=(Layer("banjo", kind="riff", pattern="X" * 16),))}, "kind 'riff'"),
    ({"style": dataclasses.replace(POP.style, layers=(Layer("banjo", pattern="X" * 16, sections=("C",)),))},
     "sections has 'C'"),
    ({"effects": ()}, "effects"),
])
def test_a_genre_missing_a_field_fails_naming_the_genre_and_the_field(changes, field):
    name = changes.get("name", "pop")
    with pytest.raises(ValueError, match=f"genre {name!r}: .*{re.escape(field)}"):
        dataclasses.replace(POP, **changes)


def test_a_genre_names_every_problem_at_once():
    with pytest.raises(ValueError, match="label_ko is empty; .*effects is empty"):
        dataclasses.replace(POP, label_ko="", effects=())


def test_genres_are_found_by_any_usual_spelling():
    for spelling, name in (("K-Pop", "k-pop"), ("kpop", "k-pop"), ("hiphop", "hip-hop"), ("lo fi", "lo-fi"),
                           ("lofi", "lo-fi"), ("rnb", "r&b"), ("R-and-B", "r&b"), (" Classical ", "classical")):
        assert get_genre(spelling).name == name
    with pytest.raises(InvalidOption, match="'polka'"):
        get_genre("polka")


def test_a_new_genre_needs_only_its_entry(monkeypatch):
    """Every stage reads a genre from its entry alone: one more in GENRES briefs, writes, describes, plays."""
    polka = dataclasses.replace(GENRES["folk"], name="polka", label="Polka", label_ko="폴카", noun="polka")
    monkeypatch.setitem(GENRES, "polka", polka)
    monkeypatch.setattr(contracts, "GENRE_NAMES", (*GENRE_NAMES, "polka"))
    reading = factories.reading(palette=("#2050d0",))
    brief = RuleBriefer().write(reading, seed=1, duration=5.0, genre="Polka")
    assert brief.genre == "polka" and brief.time_signature == "3/4" and brief.description.startswith("Polka: ")
    assert describe_ko(brief, reading).startswith("폴카: ")
    assert write_score(brief).beats_per_bar == 3
    audio = Audio(np.zeros((4410, 2), dtype=np.float32), 44100)
    assert apply_effects(audio, get_genre("polka"), seed=1).samples.shape == (4410, 2)
