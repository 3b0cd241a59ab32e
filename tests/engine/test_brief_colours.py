"""Palette colours: everyday names for descriptions, Scriabin's keys for the brief."""

from __future__ import annotations

import pytest

from melodify.brief.colours import colour_name, scriabin_key
from melodify.errors import InvalidOption


@pytest.mark.parametrize("hex_colour, name", [
    ("#e02020", "red"), ("#f08020", "orange"), ("#e8e020", "yellow"), ("#20c040", "green"),
    ("#2050d0", "blue"), ("#8030c0", "violet"), ("#f060a0", "pink"), ("#102050", "deep blue"),
    ("#808080", "grey"), ("#fafafa", "white"), ("#050505", "black"), ("#804010", "brown"),
    ("#f0e0c0", "cream"),
])
def test_colour_names(hex_colour, name):
    assert colour_name(hex_colour) == name


@pytest.mark.parametrize("hex_colour, key", [
    ("#e02020", "C"), ("#f08020", "G"), ("#e8e020", "D"), ("#20c040", "A"), ("#60b0f0", "E"),
    ("#2040e0", "B"), ("#9020d0", "C#"), ("#c020a0", "Ab"), ("#909090", "Eb"), ("#303030", "Bb"),
    ("#601010", "F"),
])
def test_scriabin_keys(hex_colour, key):
    assert scriabin_key(hex_colour) == key


def test_bad_colour_is_a_clear_error():
    with pytest.raises(InvalidOption, match="'#12345'"):
        colour_name("#12345")
    with pytest.raises(InvalidOption, match="'#gggggg'"):
        scriabin_key("#gggggg")
