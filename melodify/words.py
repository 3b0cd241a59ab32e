"""Words the reader's caption and the briefer's descriptions share: colour names in English and
Korean, and Korean particles.

A palette colour gets one everyday name ("deep blue", "beige", "charcoal") in a family ("blue",
"brown", "grey"). A colour phrase names each family once, by its most dominant shade, so a photo
of navy and blue reads "deep blue", never "deep blues and blues". No name is a caption keyword
(melodify.brief.keywords): "sky blue" would make the briefer hear a sky in a blue shirt, "sand" a beach.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

from .errors import InvalidOption


@dataclass(frozen=True)
class Colour:
    name: str        # "deep blue"
    family: str      # "blue": one name per family in a phrase
    ko: str          # "짙은 파란색"

    @property
    def achromatic(self) -> bool:
        return self.family in ("black", "grey", "white")


# Hue bands (upper bound in degrees) -> (name, family, Korean).
HUES: tuple[tuple[float, str, str, str], ...] = (
    (15, "red", "red", "빨간색"), (40, "orange", "orange", "주황색"), (52, "amber", "orange", "호박색"),
    (68, "yellow", "yellow", "노란색"), (90, "lime", "green", "연두색"), (150, "green", "green", "초록색"),
    (180, "teal", "teal", "청록색"), (200, "cyan", "teal", "옥색"), (215, "light blue", "blue", "하늘색"),
    (255, "blue", "blue", "파란색"), (270, "indigo", "blue", "남색"), (295, "violet", "purple", "보라색"),
    (320, "purple", "purple", "자주색"), (345, "pink", "pink", "분홍색"), (361, "red", "red", "빨간색"),
)


def hsv(hex_colour: str) -> tuple[float, float, float]:
    """'#rrggbb' -> (hue in degrees, saturation 0..1, value 0..1); a clear error for anything else."""
    text = hex_colour.strip().lstrip("#")
    try:
        if len(text) != 6:
            raise ValueError
        r, g, b = (int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        raise InvalidOption(f"palette colour {hex_colour!r} is not '#rrggbb'", code="invalid_reading") from None
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    return h * 360.0, s, v


def colour(hex_colour: str) -> Colour:
    """The everyday name of a palette colour."""
    hue, sat, val = hsv(hex_colour)
    if val < 0.14:
        return Colour("black", "black", "검은색")
    if sat < 0.15 or val * sat < 0.06:
        if val > 0.88:
            return Colour("white", "white", "흰색")
        if val > 0.65:
            return Colour("silver", "grey", "은회색")
        return Colour("grey", "grey", "회색") if val > 0.35 else Colour("charcoal", "grey", "짙은 회색")
    name, family, ko = next((n, f, k) for upper, n, f, k in HUES if hue < upper)
    if family == "orange" and val < 0.62 and sat > 0.3:
        return Colour("dark brown", "brown", "짙은 갈색") if val < 0.35 else Colour("brown", "brown", "갈색")
    if 20 <= hue < 52 and sat < 0.6 and val >= 0.62:
        return Colour("cream", "beige", "크림색") if sat < 0.3 else Colour("beige", "beige", "베이지색")
    base = "blue" if name == "light blue" else name     # never "pale light blue"
    if val < 0.4:
        if family in ("yellow", "green") and hue < 90:
            return Colour("olive", "green", "올리브색")
        return Colour(f"deep {base}", family, f"짙은 {'파란색' if base == 'blue' else ko}")
    if sat < 0.35 and val > 0.75:
        return Colour(f"pale {base}", family, f"옅은 {ko}")
    return Colour(name, family, ko)


def main_colours(palette: list[str], weights: list[float], limit: int) -> list[Colour]:
    """Up to `limit` names, most dominant first: each family once (greys by shade), and only
    colours that cover some of the photo (the first always counts)."""
    chosen: list[Colour] = []
    for hex_colour, weight in zip(palette, weights or [1.0] * len(palette)):
        c = colour(hex_colour)
        if chosen and weight < 0.08:
            continue
        seen = {x.name for x in chosen} if c.achromatic else {x.family for x in chosen}
        if (c.name if c.achromatic else c.family) not in seen:
            chosen.append(c)
    return chosen[:limit]


def join_en(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def has_batchim(word: str) -> bool:
    """Whether a Korean word ends in a consonant (a digit counts as its Korean reading would)."""
    last = word.rstrip()[-1:]
    if last.isdigit():
        return last in "013678"      # 영, 일, 삼, 육, 칠, 팔
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


def josa(word: str, with_batchim: str, without: str) -> str:
    """The word with the particle its last syllable needs: ('노을', '과', '와') -> '노을과'."""
    return word + (with_batchim if has_batchim(word) else without)


def join_ko(words: list[str]) -> str:
    """'가', '가와 나', '가, 나와 다': 과/와 after the last but one."""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-2] + [josa(words[-2], '과', '와')])} {words[-1]}"
