"""Music theory as small pure functions: keys, scales, chord symbols, voicings and voice leading.

Chords are written as roman numerals relative to the key's tonic, with explicit accidentals
("bVI", "bVII7"), so a progression string reads the same in every key:
  upper case = major triad, lower case = minor, then a suffix: 7 (dominant 7 on upper case, minor 7 on
  lower), maj7, 9, maj9, 6, dim, sus4, sus2, 5 (power chord: root and fifth).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..contracts import PITCH_CLASSES

MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10)       # natural minor (aeolian)
ROMAN = {"i": 0, "ii": 2, "iii": 4, "iv": 5, "v": 7, "vi": 9, "vii": 11}
_SYMBOL = re.compile(r"^([b#]?)(vii|iii|ii|iv|vi|v|i)(.*)$", re.IGNORECASE)
_SUFFIX = {  # (suffix, is_upper) -> intervals above the root
    ("", True): (0, 4, 7), ("", False): (0, 3, 7),
    ("7", True): (0, 4, 7, 10), ("7", False): (0, 3, 7, 10),
    ("maj7", True): (0, 4, 7, 11), ("maj7", False): (0, 3, 7, 11),
    ("9", True): (0, 4, 7, 10, 14), ("9", False): (0, 3, 7, 10, 14),
    ("maj9", True): (0, 4, 7, 11, 14), ("maj9", False): (0, 3, 7, 11, 14),
    ("6", True): (0, 4, 7, 9), ("6", False): (0, 3, 7, 9),
    ("dim", True): (0, 3, 6), ("dim", False): (0, 3, 6),
    ("m7b5", False): (0, 3, 6, 10), ("m7b5", True): (0, 3, 6, 10),
    ("sus4", True): (0, 5, 7), ("sus4", False): (0, 5, 7),
    ("sus2", True): (0, 2, 7), ("sus2", False): (0, 2, 7),
    ("5", True): (0, 7), ("5", False): (0, 7),
}


def pitch_class(key: str) -> int:
    if key not in PITCH_CLASSES:
        raise ValueError(f"unknown key {key!r}; choose one of {', '.join(PITCH_CLASSES)}")
    return PITCH_CLASSES.index(key)


def scale_of(mode: str) -> tuple[int, ...]:
    return MAJOR_SCALE if mode == "major" else MINOR_SCALE


@dataclass(frozen=True)
class Chord:
    root: int                       # pitch class 0..11 (absolute, key applied)
    intervals: tuple[int, ...]      # semitones above the root, root first
    symbol: str                     # the roman numeral it came from

    @property
    def pitch_classes(self) -> tuple[int, ...]:
        return tuple((self.root + i) % 12 for i in self.intervals)

    @property
    def is_power(self) -> bool:
        return self.intervals == (0, 7)

    @property
    def fifth(self) -> int:
        return 7 if 7 in self.intervals else (6 if 6 in self.intervals else 7)

    @property
    def third(self) -> int:
        for i in (4, 3, 5, 2):
            if i in self.intervals:
                return i
        return 7


def parse_chord(symbol: str, tonic: int) -> Chord:
    """'bVII7' in a key with tonic pitch class `tonic` -> Chord. Raises ValueError naming the bad symbol."""
    m = _SYMBOL.match(symbol)
    if not m:
        raise ValueError(f"bad chord symbol {symbol!r}: expected a roman numeral such as 'IV', 'bVII7', 'ii9'")
    accidental, numeral, suffix = m.groups()
    upper = numeral.isupper()
    if (suffix, upper) not in _SUFFIX:
        raise ValueError(f"bad chord suffix {suffix!r} in {symbol!r}; known: {sorted({s for s, _ in _SUFFIX})}")
    offset = ROMAN[numeral.lower()] + {"b": -1, "#": 1, "": 0}[accidental]
    return Chord((tonic + offset) % 12, _SUFFIX[(suffix, upper)], symbol)


def parse_progression(text: str, tonic: int) -> list[Chord]:
    return [parse_chord(s, tonic) for s in text.split()]


def nearest_pitch(pc: int, target: float) -> int:
    """The MIDI pitch with pitch class `pc` closest to `target`."""
    base = int(round(target)) - 6
    return base + (pc - base) % 12


def voicings(chord: Chord, low: int, high: int, max_voices: int = 4) -> list[tuple[int, ...]]:
    """Close-position voicings (every inversion, every octave) that fit in [low, high]."""
    pcs = list(chord.pitch_classes)
    if len(pcs) > max_voices:            # drop the fifth first: it adds least colour
        pcs.remove((chord.root + 7) % 12) if (chord.root + 7) % 12 in pcs else pcs.pop(2)
        pcs = pcs[:max_voices]
    out = []
    for inv in range(len(pcs)):
        order = pcs[inv:] + pcs[:inv]
        for octave in range(low // 12 - 1, high // 12 + 2):
            notes, prev = [], None
            for pc in order:
                p = octave * 12 + pc
                while prev is not None and p <= prev:
                    p += 12
                notes.append(p)
                prev = p
            if notes[0] >= low and notes[-1] <= high:
                out.append(tuple(notes))
    return out


def lead_voicing(chord: Chord, previous: tuple[int, ...] | None, centre: int, span: int = 9,
                 power: bool = False) -> tuple[int, ...]:
    """The voicing nearest the previous one (smooth voice leading), or nearest `centre` at the start.
    Power chords move in parallel, root position: root, fifth, octave (`power=True` turns any chord into
    one, keeping its third on top: heavy, but it still says major or minor through distortion)."""
    if chord.is_power or power:
        root = nearest_pitch(chord.root, centre - 4)
        third = () if chord.is_power else (root + 12 + chord.third,)
        return (root, root + 7, root + 12) + third
    options = voicings(chord, centre - span, centre + span) or voicings(chord, centre - 14, centre + 14)
    if previous is None:
        return min(options, key=lambda v: abs(sum(v) / len(v) - centre))

    def cost(v: tuple[int, ...]) -> float:
        moves = sum(min(abs(p - q) for q in previous) for p in v)
        drift = abs(sum(v) / len(v) - centre) * 0.5     # don't wander away from the register
        return moves + drift
    return min(options, key=cost)


def scale_pitch(degree: int, tonic: int, scale: tuple[int, ...], base_octave: int = 5) -> int:
    """Scale degree (0 = tonic, may be negative or > 6) -> MIDI pitch; degree 0 is tonic in base_octave."""
    octave, step = divmod(degree, len(scale))
    return 12 * (base_octave + octave) + tonic + scale[step]


def degree_of(pitch: int, tonic: int, scale: tuple[int, ...], base_octave: int = 5) -> int:
    """The scale degree at or just below `pitch` (inverse of scale_pitch for scale tones)."""
    rel = pitch - 12 * base_octave - tonic
    octave, semis = divmod(rel, 12)
    step = max(i for i, s in enumerate(scale) if s <= semis)
    return octave * len(scale) + step
