"""A photo's colours as a key: Scriabin's keys, read as places on the circle of fifths."""

from __future__ import annotations

import pytest

from melodify.brief.colours import palette_place, scriabin_key
from melodify.errors import InvalidOption


@pytest.mark.parametrize("hex_colour, key", [
    ("#e02020", "C"), ("#f08020", "G"), ("#e8e020", "D"), ("#20c040", "A"), ("#60b0f0", "E"),
    ("#2040e0", "B"), ("#9020d0", "C#"), ("#c020a0", "Ab"), ("#909090", "Eb"), ("#303030", "Bb"),
    ("#601010", "F"),
])
def test_scriabin_keys(hex_colour, key):
    assert scriabin_key(hex_colour) == key


def test_a_palette_sits_between_its_colours_weighted_by_their_share():
    red, yellow = ["#e02020"], ["#e8e020"]
    assert palette_place(red, [1.0], 0.5, 0.4) == pytest.approx(0.0, abs=0.05)
    assert palette_place(red + yellow, [0.5, 0.5], 0.5, 0.4) == pytest.approx(1.0, abs=0.1)   # G, between C and D
    assert palette_place(red + yellow, [0.9, 0.1], 0.5, 0.4) < palette_place(red + yellow, [0.6, 0.4], 0.5, 0.4)


def test_bright_and_vivid_photos_sit_sharp_wards_dark_and_washed_out_ones_flat_wards():
    grey = ["#808080"]
    dark, bright = palette_place(grey, [1.0], 0.1, 0.4), palette_place(grey, [1.0], 0.9, 0.4)
    assert (bright - dark) % 12 == pytest.approx(2.4, abs=0.01)
    dull, vivid = palette_place(grey, [1.0], 0.5, 0.0), palette_place(grey, [1.0], 0.5, 0.8)
    assert (vivid - dull) % 12 == pytest.approx(2.0, abs=0.01)
    assert palette_place([], [], 0.5, 0.4) is None


def test_bad_colour_is_a_clear_error():
    with pytest.raises(InvalidOption, match="'#gggggg'"):
        scriabin_key("#gggggg")
