"""Where the data set's readings come from: made-up scenes (the default), captions given in a file, or a
folder of photos read by any reader engine. Each source hands out candidate `k` the same way every time
for the same seed, so a build is reproducible and can resume where it stopped.

Made-up scenes are a place, someone or something in it, and a time of day, each with the measures a
photo of it would have (a beach is bright and warm, a club dark and colourful), jittered a little by
the seed; their words are the ones the briefers' keyword table knows, so every genre can come up.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from ..contracts import ImageReading
from ..errors import InvalidOption

MEASURES = ("brightness", "warmth", "saturation", "colourfulness", "contrast", "texture")
NEUTRAL = {"brightness": 0.5, "warmth": 0.0, "saturation": 0.5, "colourfulness": 0.5, "contrast": 0.5,
           "texture": 0.5}
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".heic", ".heif")


@dataclass(frozen=True)
class Candidate:
    reading: ImageReading
    photo: str | None = None        # the photo's file name, when it came from one


@dataclass(frozen=True)
class Place:
    words: str                      # "on a sunny beach"
    scene: str
    objects: tuple[str, ...]
    palette: tuple[str, ...]
    measures: tuple[float, ...]     # in MEASURES order


PLACES = (
    Place("on a sunny beach as waves roll in", "a sandy beach", ("waves", "umbrella"), ("#f4d58d", "#3aa7d8", "#ffffff"), (0.82, 0.55, 0.6, 0.55, 0.45, 0.4)),
    Place("on a crowded club dance floor under laser lights", "a night club", ("lasers", "crowd"), ("#1a0b2e", "#ff2fd0", "#2fe6ff"), (0.22, 0.1, 0.8, 0.85, 0.85, 0.8)),
    Place("on a city street lit by neon signs", "a neon-lit street", ("neon signs", "wet road"), ("#14082b", "#ff3fa4", "#32d6ff"), (0.25, -0.1, 0.75, 0.8, 0.75, 0.6)),
    Place("by a rainy cafe window with a cup of coffee", "a small cafe", ("coffee cup", "window"), ("#5a4033", "#c8a27a", "#2e3440"), (0.4, 0.35, 0.35, 0.25, 0.35, 0.35)),
    Place("in a smoky bar with a piano in the corner", "a dim bar", ("piano", "glasses"), ("#2a1a12", "#b3742e", "#0f0a08"), (0.2, 0.5, 0.45, 0.3, 0.6, 0.45)),
    Place("at a loud rock concert with the crowd's hands in the air", "a concert stage", ("stage lights", "crowd"), ("#0b0b0b", "#ff3b1f", "#ffd200"), (0.3, 0.45, 0.75, 0.65, 0.9, 0.85)),
    Place("in an alley covered in graffiti", "a graffiti alley", ("graffiti", "brick wall"), ("#3b3b3b", "#e0402e", "#f2c14e"), (0.45, 0.2, 0.65, 0.75, 0.7, 0.85)),
    Place("in a golden wheat field beside a red barn", "a farm field", ("barn", "wheat"), ("#d9a441", "#8c2f1b", "#87b5d6"), (0.7, 0.6, 0.55, 0.45, 0.4, 0.5)),
    Place("on a forest trail between tall pine trees", "a forest trail", ("pine trees", "path"), ("#2f4a2a", "#7a9a5a", "#a98b5f"), (0.45, 0.1, 0.45, 0.35, 0.45, 0.65)),
    Place("beside a misty lake at the foot of the hills", "a misty lake", ("lake", "hills"), ("#9fb3c2", "#d7dde2", "#4d6373"), (0.6, -0.35, 0.2, 0.15, 0.2, 0.15)),
    Place("in a grand concert hall with a string orchestra", "a concert hall", ("orchestra", "chandelier"), ("#6b1e1e", "#d4af37", "#2b1a12"), (0.45, 0.5, 0.45, 0.35, 0.5, 0.55)),
    Place("on a mountain ridge above a sea of clouds", "a mountain ridge", ("mountains", "clouds"), ("#4a6a8a", "#eef2f5", "#c07a3a"), (0.65, -0.1, 0.4, 0.35, 0.55, 0.45)),
    Place("on dark cliffs as a storm breaks over the sea", "stormy cliffs", ("cliffs", "lightning"), ("#1c232b", "#5a6570", "#d9e1e8"), (0.2, -0.45, 0.25, 0.2, 0.8, 0.7)),
    Place("on a Seoul street under giant video billboards", "a Seoul shopping street", ("billboards", "crowd"), ("#ff6fb5", "#5b8cff", "#fdfdfd"), (0.65, 0.1, 0.75, 0.85, 0.6, 0.75)),
    Place("in a bedroom lit by candles and a warm lamp", "a candle-lit room", ("candles", "lamp"), ("#3a1f1a", "#e39b5b", "#7a2e3b"), (0.25, 0.7, 0.5, 0.3, 0.4, 0.25)),
    Place("at a skate park covered in stickers and scuffs", "a skate park", ("skateboard", "ramp"), ("#9a9a9a", "#ff4b3e", "#1f1f1f"), (0.6, 0.1, 0.5, 0.55, 0.75, 0.75)),
    Place("at a roller disco under a glittering mirror ball", "a roller rink", ("mirror ball", "skates"), ("#4b1d6b", "#ffb000", "#ff4fa0"), (0.45, 0.45, 0.8, 0.8, 0.65, 0.7)),
    Place("on an empty desert road with a lone car", "a desert highway", ("car", "road"), ("#d8a06a", "#8fb8de", "#5b3a29"), (0.75, 0.5, 0.45, 0.3, 0.5, 0.3)),
    Place("in a snowy field with a single bare tree", "a snow field", ("tree", "snow"), ("#f5f7fa", "#c9d3dd", "#3c4650"), (0.85, -0.5, 0.1, 0.1, 0.3, 0.15)),
    Place("at a flower market full of spring blossoms", "a flower market", ("flowers", "stalls"), ("#ff7aa2", "#ffd166", "#7bc67b"), (0.78, 0.35, 0.75, 0.85, 0.45, 0.8)),
    Place("on a subway platform late at night", "a subway platform", ("train", "tiles"), ("#2d3a33", "#d9d36a", "#6b7a80"), (0.35, -0.05, 0.25, 0.2, 0.55, 0.45)),
    Place("at a summer music festival with fireworks overhead", "a festival field", ("fireworks", "crowd"), ("#120a2a", "#ffcc33", "#ff3366"), (0.4, 0.3, 0.8, 0.9, 0.8, 0.8)),
    Place("at a fishing harbour with boats at rest", "a harbour", ("boats", "nets"), ("#37536b", "#d98e48", "#c9c2b0"), (0.5, 0.2, 0.4, 0.35, 0.45, 0.55)),
    Place("in a quiet library between tall shelves of books", "a library", ("books", "shelves"), ("#5c3b24", "#c9a66b", "#2a2420"), (0.42, 0.45, 0.35, 0.25, 0.4, 0.6)),
)

SUBJECTS = (
    ("A woman in a white shirt with long black hair", ("woman",)),
    ("Two friends laughing together", ("friends",)),
    ("An old man walking his dog", ("old man", "dog")),
    ("A young couple holding hands", ("couple",)),
    ("A child chasing bubbles", ("child", "bubbles")),
    ("A street musician playing guitar", ("musician", "guitar")),
    ("A black cat curled up", ("cat",)),
    ("A group of dancers in bright clothes", ("dancers",)),
    ("A man in a leather jacket", ("man", "leather jacket")),
    ("A girl reading a book", ("girl", "book")),
    ("A lone cyclist", ("bicycle",)),
    ("An empty wooden bench", ("bench",)),
    ("A brown horse grazing", ("horse",)),
    ("A band setting up their instruments", ("band", "drums")),
)

# (words, time of day, brightness and warmth shifts, how it feels)
TIMES = (
    ("at dawn", "dawn", -0.05, -0.1, ("hopeful", "quiet")),
    ("in the morning sun", "morning", 0.1, 0.1, ("fresh", "bright")),
    ("at midday", "midday", 0.12, 0.05, ("lively", "open")),
    ("in the afternoon", "afternoon", 0.05, 0.1, ("relaxed", "warm")),
    ("in the golden hour", "golden hour", 0.0, 0.3, ("nostalgic", "warm")),
    ("at dusk", "dusk", -0.15, 0.15, ("wistful", "calm")),
    ("at night", "night", -0.3, -0.15, ("mysterious", "moody")),
    ("in light rain", "afternoon", -0.12, -0.2, ("melancholic", "hushed")),
)
JITTER = 0.06


def scene(k: int, seed: int) -> Candidate:
    """Made-up scene `k`: the same (k, seed), the same reading."""
    rng = random.Random(f"{seed}:scene:{k}")
    place, (subject, who), (when, time_of_day, lighter, warmer, feel) = (
        rng.choice(PLACES), rng.choice(SUBJECTS), rng.choice(TIMES))
    values = dict(zip(MEASURES, place.measures))
    values["brightness"] += lighter
    values["warmth"] += warmer
    measures = {}
    for name, value in values.items():
        low = -1.0 if name == "warmth" else 0.0
        measures[name] = round(min(1.0, max(low, value + rng.uniform(-JITTER, JITTER))), 3)
    caption = f"{subject} {place.words} {when}, feeling {feel[0]} and {feel[1]}."
    return Candidate(ImageReading(
        width=1024, height=768, format="JPEG", caption=caption, tags=[time_of_day],
        palette=list(place.palette), palette_weights=[0.5, 0.3, 0.2], objects=[*who, *place.objects],
        scene=place.scene, time_of_day=time_of_day, mood=list(feel), engine="dataset", **measures))


class Scenes:
    """The default source: endless made-up scenes."""

    name = "scenes"
    size: int | None = None

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def candidate(self, k: int) -> Candidate:
        return scene(k, self.seed)


class Captions:
    """Captions from a file: one per line, or JSON lines with a `caption` and, where known, the photo's
    measures (brightness, warmth...) or a whole `reading`. A bare caption gets middling measures: the
    briefer is told nothing was measured beyond the words."""

    name = "captions"

    def __init__(self, path: Path, seed: int) -> None:
        self.readings = [_caption_reading(text, path, number) for number, text in _lines(path)]
        if not self.readings:
            raise InvalidOption(f"{str(path)!r} holds no captions; write one caption a line")
        random.Random(f"{seed}:captions").shuffle(self.readings)
        self.size = len(self.readings)

    def candidate(self, k: int) -> Candidate:
        return Candidate(self.readings[k % self.size])


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidOption(f"cannot read the captions file {str(path)!r}: {exc}") from None
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def _caption_reading(text: str, path: Path, number: int) -> ImageReading:
    if not text.startswith("{"):
        return ImageReading(width=1024, height=768, format="JPEG", caption=text, engine="dataset", **NEUTRAL)
    try:
        data = json.loads(text)
        if "reading" in data:
            return ImageReading.model_validate(data["reading"])
        measures = {**NEUTRAL, **{name: float(data[name]) for name in MEASURES if name in data}}
        return ImageReading(width=1024, height=768, format="JPEG", caption=str(data["caption"]).strip(),
                            tags=list(data.get("tags", [])), palette=list(data.get("palette", [])),
                            engine="dataset", **measures)
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidOption(f"{str(path)!r} line {number} is not a caption: {str(exc).splitlines()[0][:160]}; "
                            'write plain text or {"caption": "..."}') from None


class Photos:
    """A folder of photos, read by a reader engine (each read once, as it is first needed)."""

    name = "photos"

    def __init__(self, folder: Path, reader, seed: int) -> None:
        if not folder.is_dir():
            raise InvalidOption(f"{str(folder)!r} is not a folder of photos")
        self.files = sorted(p for p in folder.iterdir() if p.suffix.lower() in PHOTO_TYPES)
        if not self.files:
            raise InvalidOption(f"{str(folder)!r} holds no photos ({', '.join(PHOTO_TYPES)})")
        random.Random(f"{seed}:photos").shuffle(self.files)
        self.size, self.reader, self.read = len(self.files), reader, {}

    def candidate(self, k: int) -> Candidate:
        from ..pipeline import read_photo

        path = self.files[k % self.size]
        if path not in self.read:
            self.read[path] = read_photo(path.read_bytes(), self.reader)
        return Candidate(self.read[path], photo=path.name)
