"""The embedded briefer's rules over the photo's measures, with caption keywords as hints.

Valence and energy come from the measures (brightness, warmth and colour for valence; texture,
contrast and colour for energy), nudged by keywords. The genre is the nearest in mood space among
those close enough, with keyword votes and a small seeded tie-break deciding between neighbours.
Everything else (tempo, key, mode, instruments, mood words) follows from genre, measures and seed.
"""

from __future__ import annotations

import math
import random

from ..contracts import PITCH_CLASSES, ImageReading
from ..genres import GENRES, ROLES, Genre
from ..instruments import INSTRUMENTS
from .colours import palette_place
from .keywords import Hints

# Genre choice: only genres within POOL of the nearest centre compete, so keywords and the seed
# choose between neighbours and can never carry a dark, empty photo to a bright, busy genre.
POOL = 0.3
VOTE_WEIGHT = 0.2       # mood-space distance one full keyword vote is worth
MAX_VOTE = 2.0          # a caption full of beach words still counts as about two votes
JITTER = 0.03           # seeded tie-break between near-equal candidates
# RMS contrast reaches 1 only for a half-black, half-white picture; busy real photos sit near 0.5.
CONTRAST_FULL = 0.6
SPREAD = 1.4
BUSY_TEMPO = 0.8        # how far through its genre's tempo range a photo's detail moves it

# Keys that sit well for each genre's key family: open guitar keys, horn keys; keyboards, synths
# and orchestras play in any.
COMFORTABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "guitar": {"major": ("C", "D", "E", "G", "A"), "minor": ("D", "E", "F#", "A", "B")},
    "horn": {"major": ("C", "D", "Eb", "F", "G", "Ab", "Bb"), "minor": ("C", "D", "F", "G", "A")},
    "other": {"major": PITCH_CLASSES, "minor": PITCH_CLASSES},
}

MOODS: dict[str, tuple[str, ...]] = {          # (valence, energy) quadrant -> mood words
    "bright-high": ("euphoric", "playful", "exuberant", "joyful"),
    "bright-low": ("serene", "tender", "content", "gentle"),
    "dark-high": ("brooding", "tense", "defiant", "restless"),
    "dark-low": ("wistful", "melancholic", "pensive", "lonely"),
    "centre": ("reflective", "nostalgic", "dreamy"),
}

# Keyword mood words that contradict the photo are left out: a dark beach is not "sunny".
BRIGHT_WORDS = frozenset({"carefree", "sunny", "euphoric", "playful", "joyful", "cheerful", "radiant",
                          "dazzling", "innocent", "hopeful", "fresh", "spirited", "inviting", "bright"})
DARK_WORDS = frozenset({"melancholic", "lonely", "desolate", "haunting", "tense", "stormy", "solemn",
                        "gritty", "mysterious", "wistful"})
CALM_WORDS = frozenset({"serene", "hushed", "calm", "still", "peaceful", "relaxed", "cozy", "gentle"})
LIVELY_WORDS = frozenset({"euphoric", "energetic", "fierce", "electric", "restless", "rebellious",
                          "dazzling", "determined", "hypnotic"})


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def mood_point(reading: ImageReading, hint: Hints) -> tuple[float, float]:
    """(valence, energy) in 0..1: light, warmth and colour are happy; detail and contrast are busy."""
    warm = (reading.warmth + 1) / 2
    valence = (0.05 + 0.30 * reading.brightness + 0.25 * warm + 0.20 * reading.saturation
               + 0.20 * reading.colourfulness)
    contrast = min(1.0, reading.contrast / CONTRAST_FULL)
    energy = (0.05 + 0.40 * reading.texture + 0.30 * contrast + 0.15 * reading.colourfulness
              + 0.10 * reading.saturation)
    return _clip(_spread(valence) + hint.valence), _clip(_spread(energy) + hint.energy)


def _spread(x: float) -> float:
    """Most photos measure near the middle; spreading them out lets them reach more genres."""
    return 0.5 + SPREAD * (x - 0.5)


def choose_genre(valence: float, energy: float, hint: Hints, seed: int) -> str:
    distance = {name: math.hypot(g.valence - valence, g.energy - energy) for name, g in GENRES.items()}
    nearest = min(distance.values())
    rng = random.Random(f"{seed}:genre")
    scores = {}
    for name in GENRES:                           # fixed order, so the jitter is the same per seed
        jitter = rng.uniform(0, JITTER)
        if distance[name] <= nearest + POOL:
            vote = min(hint.genre_votes.get(name, 0.0), MAX_VOTE)
            scores[name] = -distance[name] + VOTE_WEIGHT * vote + jitter
    return max(scores, key=scores.__getitem__)


def choose_tempo(genre: Genre, energy: float, texture: float) -> int:
    """Inside the genre's range, faster the more energetic the photo is than the genre's centre, and
    the busier it is: the photos a genre is chosen for sit near its centre, so their detail moves them."""
    low, high = genre.tempo
    place = _clip(0.5 + (energy - genre.energy) / 0.5 + BUSY_TEMPO * (texture - 0.35))
    return low + round(place * (high - low))


def choose_mode(genre: Genre, valence: float) -> str:
    if len(genre.modes) == 1:
        return genre.modes[0]
    # Genres that usually play minor stay minor unless the photo is clearly bright.
    threshold = 0.62 if genre.modes[0] == "minor" else 0.45
    return "minor" if valence < threshold else "major"


def choose_key(reading: ImageReading, genre: Genre, mode: str, seed: int) -> str:
    """The palette's key on Scriabin's circle of fifths, sometimes a fifth away by seed, moved to the
    nearest comfortable key (a tie goes up for a bright photo, down for a dark one)."""
    rng = random.Random(f"{seed}:key")
    place = palette_place(reading.palette, reading.palette_weights, reading.brightness, reading.saturation)
    fifths = rng.randrange(12) if place is None else round(place)
    fifths += rng.choices((0, 1, -1), weights=(3, 1, 1))[0]      # same key, dominant, or subdominant
    tonic = fifths * 7 % 12
    allowed = COMFORTABLE[genre.key_family][mode]
    upwards = reading.brightness >= 0.5

    def nearness(key: str) -> tuple[int, bool]:
        up = (PITCH_CLASSES.index(key) - tonic) % 12
        return min(up, 12 - up), (up > 6) == upwards

    return min(allowed, key=nearness)


def choose_instruments(genre: Genre, hint: Hints, seed: int) -> list[str]:
    """One instrument per role, in ROLES order (lead, chords, bass, pad), keyword hints preferred; then
    the instruments of the genre's layers."""
    rng = random.Random(f"{seed}:instruments")
    chosen: list[str] = []
    outsider_used = genre.closed    # at most one instrument from outside the genre's palette
    palette = {name for names in genre.instruments.values() for name in names}
    for role in ROLES:
        candidates = genre.instruments[role]
        unused = [c for c in candidates if c not in chosen] or list(candidates)
        hinted = [h for h in hint.instruments if h in unused]
        if hinted:
            chosen.append(hinted[0])
            continue
        # An outsider takes a role it fits, never the lead (the genre's own voice leads) nor the
        # bass (the groove rests on it).
        outsiders = [h for h in hint.instruments if role in INSTRUMENTS[h].roles and h not in palette]
        if outsiders and not outsider_used and role not in ("lead", "bass"):
            chosen.append(outsiders[0])
            outsider_used = True
            continue
        weights = [2.0 if c == candidates[0] else 1.0 for c in unused]   # the usual one most often
        chosen.append(rng.choices(unused, weights=weights)[0])
    # Then the genre's own layers (country's banjo roll, synthwave's arp): the brief names all it plays.
    return chosen + [layer.instrument for layer in genre.style.layers if layer.instrument not in chosen]


def _quadrant(valence: float, energy: float) -> str:
    if abs(valence - 0.5) < 0.08 and abs(energy - 0.5) < 0.08:
        return "centre"
    return f"{'bright' if valence >= 0.5 else 'dark'}-{'high' if energy >= 0.5 else 'low'}"


def mood_words(valence: float, energy: float, hint: Hints, seed: int) -> list[str]:
    """Two words from the mood quadrant, then up to two from the caption's keywords."""
    rng = random.Random(f"{seed}:mood")
    words = rng.sample(MOODS[_quadrant(valence, energy)], 2)
    for word in hint.moods:
        if len(words) == 4:
            break
        if word not in words and _fits(word, valence, energy):
            words.append(word)
    return words


def _fits(word: str, valence: float, energy: float) -> bool:
    return not ((word in BRIGHT_WORDS and valence < 0.4) or (word in DARK_WORDS and valence > 0.65)
                or (word in CALM_WORDS and energy > 0.6) or (word in LIVELY_WORDS and energy < 0.35))
