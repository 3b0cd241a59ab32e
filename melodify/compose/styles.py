"""How a genre plays, as data: the `Style` each genre's module in `melodify.genres` fills in (an
arranger keyboard's "styles").

Patterns are step strings on a 16th-note grid, one character per step (16 a bar in 4/4, 12 in 3/4).
A pattern longer than a bar continues over the next bar (latin's two-bar clave).

Drums (lane -> pattern): X accent, x normal, o soft, g ghost, r a roll (two 32nds), t a triplet roll
  (three in the step), . rest.
Bass: R root, P pedal (the key's tonic), 8 root an octave up, 5 fifth, 3 third, 6 sixth, 7 seventh,
  A approach (a step into the next chord's root, in the key), W walking (one note a beat: root, chord
  tones, approach), - hold, . rest.
Comping: X/x block chord (accent/normal; lower case is dropped at low energy), P a tonic chug, D/U strum down/up,
  0-4 one voice of the chord (arpeggio, 4 = top voice an octave up), - hold, . rest.
Progressions: roman numerals (see theory.py), brightest option first; the photo's valence picks one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DRUM_NOTES: dict[str, int] = {
    "kick": 36, "snare": 38, "rim": 37, "clap": 39, "hat": 42, "phat": 44, "ohat": 46, "ride": 51,
    "bell": 53, "crash": 49, "tom1": 50, "tom2": 47, "tom3": 45, "tamb": 54, "cowbell": 56,
    "shaker": 70, "clave": 75, "conga": 63, "conga_lo": 64, "bongo": 60, "timbale": 65,
}


@dataclass(frozen=True)
class Melody:
    grid: int = 2             # steps between possible onsets: 1 = 16ths, 2 = 8ths, 4 = quarters
    density: float = 0.5      # chance of a note on a grid slot outside the motif
    centre: int = 74          # MIDI pitch the melody circles around
    syncopation: float = 0.0  # chance to anticipate an onset by one 16th
    legato: float = 0.9       # note length as a fraction of the gap to the next note
    # The line's scale (semitones above the tonic) where the genre's differs from the mode's: blues'
    # pentatonic with its blue notes over major chords. Empty: the key's major or minor scale.
    scale: tuple[int, ...] = ()


@dataclass(frozen=True)
class Layer:
    """A part beyond the four roles that a genre's sound needs: country's banjo roll, synthwave's arp,
    funk's horn stabs, a fiddle answering the lead. It plays when the brief names its instrument (the
    briefer names it), in the sections it is written for."""

    instrument: str                   # a name in melodify.instruments.INSTRUMENTS
    kind: str = "comp"                # "comp": the chords by `pattern` (comping symbols); "line": a second melody
    pattern: str = ""                 # comping pattern for "comp"
    centre: int = 64                  # MIDI pitch it plays around
    sections: tuple[str, ...] = ("A", "B")   # section kinds it plays in
    volume: int = 90                  # CC7
    pan: int = 64                     # CC10
    power: bool = False               # power chords (root, fifth, octave)
    melody: Melody = Melody()         # for "line": its own grid, density, syncopation


@dataclass(frozen=True)
class Style:
    progressions: dict[str, tuple[str, ...]]          # mode -> options (A sections), brightest first
    bass: str
    comp: str
    groove: dict[str, str] = field(default_factory=dict)
    groove_b: dict[str, str] = field(default_factory=dict)   # lanes replaced/added in B sections
    comp_b: str | None = None                           # busier comping for B
    chords_per_bar: float = 1.0
    cadence: tuple[str, str] = ("V", "V")               # chord before the final tonic: major, minor
    final: tuple[str, str] = ("I", "i")                 # the last, held chord
    power: bool = False                                 # comp plays power chords (root, fifth, octave)
    melody: Melody = Melody()
    comp_centre: int = 64
    pad_centre: int = 60
    bass_centre: int = 40
    intro: str = "pad"          # "pad": pad + held chords; "groove": drums (kick, hats) + bass; "arp": comp alone
    intro_lanes: tuple[str, ...] = ("hat",)             # drum lanes heard in a "groove" intro
    fill: str = "toms"          # "toms", "snare" or "none"
    pad_always: bool = False    # pad in every section (else intro, B and ending only)
    pad_level: float = 1.0      # pad loudness (metal's choir carries the minor third the guitars blur)
    # Channel volume (CC7) per role where the genre's mix differs from the usual (score.MIX): what is
    # in front, what sits back. The 808 kick is a loud tuned A that can hide the key.
    mix: dict[str, int] = field(default_factory=dict)
    layers: tuple[Layer, ...] = ()
    swing_unit: int = 2         # swing applies to off-beat 8ths (2) or 16ths (1)
    humanise_ms: float = 8.0    # timing jitter; 0 for tight electronic grids
    reverb: int = 45
    meter: str = "4/4"          # the metre the patterns are written in, and so the genre's


# Patterns for a brief whose metre differs from the style's (a 3/4 rock edit, a 4/4 folk edit).
FALLBACK = {
    "3/4": {"bass": "R-------5---", "comp": "X---x---x---",
            "groove": {"kick": "X...........", "snare": "....x...x...", "hat": "x.x.x.x.x.x."}},
    "4/4": {"bass": "R-------5-------", "comp": "D---D-U-..U-D-U-",
            "groove": {"kick": "X.......X.......", "snare": "....X.......X...", "hat": "x.x.x.x.x.x.x.x."}},
}

