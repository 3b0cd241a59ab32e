"""A photo's colours as a key: Scriabin's colour -> key associations, read as a place on the circle of fifths.

Scriabin ("clavier à lumières", Prometheus, 1910) heard the keys round the circle of fifths as the
colours round the colour wheel: C red, G orange, D yellow, A green, E sky blue, B blue, F# bright
violet-blue, C# violet, Ab purple, Eb and Bb steel grey, F a deep, dark red. So a colour is a place
on the circle (0 = C, 1 = G, ... 11 = F), a whole palette is the weighted mean of its colours'
places, and a brighter photo sits a little further round to the sharp side: two photos of the same
hue rarely land on the same key.
"""

from __future__ import annotations

import math

from ..contracts import PITCH_CLASSES
from ..words import hsv

# (hue in degrees, place on the circle of fifths), Scriabin's colours; between them the place moves
# evenly, and past purple it runs on through Eb and Bb (pinks and magentas) back to C's red.
HUE_PLACES: tuple[tuple[float, float], ...] = (
    (0, 0), (30, 1), (60, 2), (120, 3), (195, 4), (228, 5), (250, 6), (273, 7), (318, 8), (340, 9), (360, 12))
GREY_WEIGHT = 0.5      # a grey says less about the key than a colour does
# How far round a photo moves from its colours' place, either way: a bright or vivid photo to the
# sharp side (the brilliant keys), a dark or washed-out one to the flat side (the mellow ones).
BRIGHT_REACH = 1.5     # white vs mid-grey light
VIVID_REACH = 1.0      # full vs typical (0.4) saturation


def fifths_place(hex_colour: str) -> float:
    """A colour's place on the circle of fifths, 0..12: greys are steel (Bb dark, Eb light), dark reds F."""
    hue, sat, val = hsv(hex_colour)
    if sat < 0.15 or val < 0.14:
        return max(9.0, 10.8 - 2.4 * val)
    if (hue < 15 or hue >= 345) and val < 0.45:
        return 11.0
    for (h0, p0), (h1, p1) in zip(HUE_PLACES, HUE_PLACES[1:]):
        if hue < h1:
            return p0 + (p1 - p0) * (hue - h0) / (h1 - h0)
    return 0.0


def scriabin_key(hex_colour: str) -> str:
    """The tonic Scriabin heard in one colour."""
    return PITCH_CLASSES[round(fifths_place(hex_colour)) % 12 * 7 % 12]


def palette_place(palette: list[str], weights: list[float], brightness: float, saturation: float) -> float | None:
    """The photo's place on the circle of fifths: its colours' places averaged round the circle,
    weighted by how much of the photo each covers, moved sharp-wards for a bright or vivid photo;
    None without a palette."""
    x = y = 0.0
    for hex_colour, weight in zip(palette, weights or [1.0] * len(palette)):
        _, sat, val = hsv(hex_colour)
        w = weight * (GREY_WEIGHT if sat < 0.15 or val < 0.14 else 1.0)
        angle = fifths_place(hex_colour) / 12 * 2 * math.pi
        x, y = x + w * math.cos(angle), y + w * math.sin(angle)
    if not palette or (x == 0 and y == 0):
        return None
    place = math.atan2(y, x) / (2 * math.pi) * 12
    lift = 2 * BRIGHT_REACH * (brightness - 0.5) + VIVID_REACH * max(-1.0, min(1.0, (saturation - 0.4) / 0.4))
    return (place + lift) % 12
