"""One English sentence written from what was measured: light, warmth, colours, scene, feel.

"A very dark, cold photo of deep blues and near-black over the sea, with a moon and a few stars;
hushed and sparse." The vocabulary follows the measures, so different photos read differently;
nothing is random, so the same photo always gets the same sentence.
"""

from __future__ import annotations

import colorsys

from .measures import Measures

# (upper bound, word): the first bound above the value picks the word.
LIGHT = ((0.12, "very dark"), (0.25, "dim"), (0.4, "low-lit"), (0.55, "softly lit"), (0.72, "bright"),
         (1.01, "luminous"))
TEMPERATURE = ((-0.5, "cold"), (-0.15, "cool"), (0.15, "neutral-toned"), (0.5, "warm"), (1.01, "glowing warm"))
BUSYNESS = ((0.15, "sparse"), (0.3, "simple"), (0.5, "detailed"), (1.01, "busy"))

HUE_NAMES = ((15, "red"), (40, "orange"), (52, "amber"), (70, "yellow"), (95, "lime"), (150, "green"),
             (175, "teal"), (195, "cyan"), (220, "azure"), (250, "blue"), (275, "violet"),
             (300, "purple"), (330, "magenta"), (350, "pink"), (361, "red"))

# Scene tags and how the sentence says them, in the order they are worth mentioning.
SCENE_PHRASES = (
    ("sunset", "at sunset"), ("beach", "on a sandy beach"), ("sea", "over the sea"),
    ("desert", "across sand dunes"), ("snow", "covered in snow"), ("forest", "among dense trees"),
    ("flowers", "full of flowers"), ("city lights", "with many scattered lights"),
    ("neon", "lit by neon"), ("lamplight", "under warm lamplight"), ("portrait", "with a face at its centre"),
    ("overcast", "under an overcast sky"), ("sky", "under an open sky"), ("greenery", "with greenery"),
)


def pick(scale: tuple[tuple[float, str], ...], value: float) -> str:
    return next(word for bound, word in scale if value < bound)


def colour_name(hex_colour: str) -> str:
    """A plural colour word for "#rrggbb": "deep blues", "pale greys", "browns", "near-black"."""
    r, g, b = (int(hex_colour[i: i + 2], 16) / 255 for i in (1, 3, 5))
    hue, sat, value = colorsys.rgb_to_hsv(r, g, b)
    hue *= 360
    if value < 0.12:
        return "near-black"
    if sat < 0.15 or value * sat < 0.06:
        return ("whites" if value > 0.88 else "pale greys" if value > 0.65 else "greys" if value > 0.35
                else "charcoal greys")
    if 15 <= hue < 50 and value < 0.62:
        return "dark browns" if value < 0.35 else "browns"
    if 20 <= hue < 50 and sat < 0.6 and value >= 0.62:
        return "sandy tones"
    name = pick(HUE_NAMES, hue)
    if name == "lime" and value < 0.6:
        return "olive greens"
    if name == "azure":   # not "sky blue": the briefer would hear "sky" in a blue shirt
        return "deep blues" if value < 0.4 else "pale blues" if sat < 0.4 and value > 0.75 else "light blues"
    if value < 0.4:
        return f"deep {name}s"
    if sat < 0.4 and value > 0.75:
        return f"pale {name}s"
    if sat > 0.7 and value > 0.7:
        return f"vivid {name}s"
    return f"{name}s"


def colour_phrase(palette: list[str], weights: list[float], colourfulness: float) -> str:
    """The main colours: two for most photos, three for a colourful one."""
    names: list[str] = []
    for hex_colour, weight in zip(palette, weights):
        name = colour_name(hex_colour)
        if name not in names and (weight >= 0.08 or not names):
            names.append(name)
    names = names[: 3 if colourfulness >= 0.6 else 2]
    if not names:
        return "indistinct colours"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def scene_phrase(tags: list[str]) -> str:
    phrases = [phrase for tag, phrase in SCENE_PHRASES if tag in tags]
    if "moon" in tags or "stars" in tags:
        lights = " and ".join(word for tag, word in (("moon", "a moon"), ("stars", "a few stars")) if tag in tags)
        phrases.insert(1, f"with {lights}")
    elif "sun" in tags and "sunset" not in tags:
        phrases.append("in bright sunshine")
    if "beach" in tags and "over the sea" in phrases:
        phrases.remove("over the sea")
    if "under an overcast sky" in phrases or "at sunset" in phrases:
        phrases = [p for p in phrases if p != "under an open sky"]
    return ", ".join(phrases[:2])


def feel(m: Measures) -> str:
    """Two words for the mood: how it feels, then how busy it is."""
    if m.brightness < 0.2:
        mood = "hushed"
    elif m.contrast >= 0.45:
        mood = "dramatic"
    elif m.colourfulness >= 0.75:
        mood = "vivid"
    elif m.saturation < 0.15:
        mood = "quiet"
    elif m.brightness > 0.7:
        mood = "airy"
    else:
        mood = "calm" if m.texture < 0.3 else "lively"
    return f"{mood} and {pick(BUSYNESS, m.texture)}"


def write_caption(m: Measures, tags: list[str]) -> str:
    light, temperature = pick(LIGHT, m.brightness), pick(TEMPERATURE, m.warmth)
    colours = colour_phrase(m.palette, m.palette_weights, m.colourfulness)
    scene = scene_phrase(tags)
    article = "An" if light[0] in "aeiou" else "A"
    body = f"{article} {light}, {temperature} photo of {colours}" + (f" {scene}" if scene else "")
    return f"{body}; {feel(m)}."
