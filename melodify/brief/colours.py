"""Palette colours for the briefer: names for descriptions, and a colour -> key mapping for the key."""

from __future__ import annotations

import colorsys

from ..errors import InvalidOption


def hsv(hex_colour: str) -> tuple[float, float, float]:
    """'#rrggbb' -> (hue in degrees, saturation 0..1, value 0..1)."""
    text = hex_colour.strip().lstrip("#")
    if len(text) != 6:
        raise InvalidOption(f"palette colour {hex_colour!r} is not '#rrggbb'", code="invalid_reading")
    try:
        r, g, b = (int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        raise InvalidOption(f"palette colour {hex_colour!r} is not '#rrggbb'", code="invalid_reading") from None
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    return h * 360.0, s, v


# Hue bands (upper bound in degrees) -> plain colour name.
_HUE_NAMES: tuple[tuple[float, str], ...] = (
    (15, "red"), (40, "orange"), (52, "amber"), (68, "yellow"), (90, "lime"), (150, "green"),
    (180, "teal"), (200, "cyan"), (215, "sky blue"), (255, "blue"), (270, "indigo"), (295, "violet"),
    (320, "purple"), (345, "pink"), (361, "red"),
)


def colour_name(hex_colour: str) -> str:
    """A short everyday name: 'deep blue', 'pale pink', 'grey', 'brown'."""
    hue, sat, val = hsv(hex_colour)
    if val < 0.14:
        return "black"
    if sat < 0.15:
        return "white" if val > 0.88 else "silver" if val > 0.65 else "grey" if val > 0.35 else "charcoal"
    name = next(n for upper, n in _HUE_NAMES if hue < upper)
    if name in ("orange", "amber") and val < 0.6 and sat > 0.3:
        return "brown"
    if val < 0.4:
        return f"deep {name}"
    if sat < 0.35 and val > 0.75:
        return "cream" if name in ("orange", "amber", "yellow") else f"pale {name}"
    return name


# Scriabin's colour -> key associations ("clavier à lumières", Prometheus, 1910), read as hues:
# C red, G orange, D yellow, A green, E sky blue, B blue, F# bright violet-blue, C# violet,
# Ab purple, Eb and Bb steel grey; F a deep, dark red. We read the photo's dominant colour this way.
_SCRIABIN_HUES: tuple[tuple[float, str], ...] = (
    (15, "C"), (45, "G"), (75, "D"), (170, "A"), (210, "E"), (240, "B"), (262, "F#"), (285, "C#"),
    (330, "Ab"), (361, "C"),
)


def scriabin_key(hex_colour: str) -> str:
    """The tonic Scriabin heard in a colour: greys are steel (Eb or Bb), dark reds are F."""
    hue, sat, val = hsv(hex_colour)
    if sat < 0.15 or val < 0.14:
        return "Eb" if val >= 0.5 else "Bb"
    key = next(k for upper, k in _SCRIABIN_HUES if hue < upper)
    if key == "C" and val < 0.45:
        return "F"
    return key
