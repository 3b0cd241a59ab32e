"""How each genre plays, as data: one small `Style` per genre (an arranger keyboard's "styles").

Patterns are step strings on a 16th-note grid, one character per step (16 a bar in 4/4, 12 in 3/4).
A pattern longer than a bar continues over the next bar (latin's two-bar clave).

Drums (lane -> pattern): X accent, x normal, o soft, g ghost, . rest.
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
    drum_volume: int = 86       # the kit's channel volume; the 808 kick is a loud tuned A that hides the key
    swing_unit: int = 2         # swing applies to off-beat 8ths (2) or 16ths (1)
    humanise_ms: float = 8.0    # timing jitter; 0 for tight electronic grids
    reverb: int = 45
    meter: str = "4/4"


_ROCK_GROOVE = {"kick": "X.......X.X.....", "snare": "....X.......X...", "hat": "x.o.x.o.x.o.x.o."}

STYLES: dict[str, Style] = {
    "pop": Style(
        {"major": ("I V vi IV", "vi IV I V", "I vi IV V"), "minor": ("i bVI bIII bVII", "i iv bVI bVII")},
        bass="R-----R-R---5-8-", comp="X-x-X-x-X-x-X-x-", comp_b="X-xxX-x-X-xxX-x-",
        groove={"kick": "X.....x.X.......", "snare": "....X.......X...", "hat": "x.o.x.o.x.o.x.o."},
        groove_b={"kick": "X.....x.X..x....", "hat": "xoxoxoxoxoxoxoxo", "clap": "....X.......X...",
                  "tamb": "..x...x...x...x."},
        melody=Melody(grid=2, density=0.55, centre=74), intro="pad", comp_centre=66),
    "k-pop": Style(
        {"minor": ("i bVI bVII i", "i bVI bIII bVII"), "major": ("I V vi IV", "vi IV I V")},
        bass="R.R.R.8.R.R.R.8.", comp=".x.X..x..x.X..x.", comp_b="X.xX.xX.X.xX.xX.",
        groove={"kick": "X.....x.X.......", "clap": "....X.......X...", "hat": "x.oox.o.x.oox.o."},
        groove_b={"kick": "X...X...X...X...", "hat": "xoxoxoxoxoxoxoxo"},
        melody=Melody(grid=1, density=0.5, centre=76, syncopation=0.3), intro="groove",
        intro_lanes=("hat", "clap"), fill="snare", humanise_ms=0.0, cadence=("V", "bVII")),
    "hip-hop": Style(
        {"minor": ("i7 bVImaj7 iv7 V7", "i9 iv9 bVImaj7 bVII7"), "major": ("Imaj7 vi7 ii7 V7",)},
        bass="R-----------R-..", comp="X-------..x-----",
        groove={"kick": "X.....x...X.....", "snare": "....X..g....X..g", "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"kick": "X.....x...X..x..", "hat": "x.xxx.x.x.xxx.x.", "ohat": "..............x."},
        melody=Melody(grid=2, density=0.4, centre=72, syncopation=0.25), intro="groove",
        intro_lanes=("hat",), fill="snare", swing_unit=1, bass_centre=36, comp_centre=62, drum_volume=74),
    "r&b": Style(
        {"major": ("Imaj9 vi9 ii9 V9", "IVmaj7 iii7 vi7 V7"),
         "minor": ("i9 iv9 bVIImaj7 bIIImaj7", "i7 bVImaj7 iv7 V7")},
        bass="R-----.5R---..A-", comp="X-----x-..x-----",
        groove={"kick": "X......x..X.....", "snare": "....X.......X...", "hat": "x.ox.ox.x.ox.ox."},
        groove_b={"rim": "..x.......x.....", "kick": "X......x..X..x.."},
        melody=Melody(grid=1, density=0.4, centre=72, syncopation=0.3, legato=1.0), intro="pad",
        swing_unit=1, fill="snare", comp_centre=64, reverb=55),
    "rock": Style(
        {"major": ("I IV I V", "I V vi IV", "I IV vi V"), "minor": ("i bVI bIII bVII", "i bVI bVII i")},
        bass="R-R-R-R-R-R-R-R-", comp="X-x-x-x-X-x-x-x-", comp_b="XxxxXxxxXxxxXxxx",
        groove=_ROCK_GROOVE, groove_b={"hat": "", "ride": "x.x.x.x.x.x.x.x.", "kick": "X.x.....X.X....."},
        melody=Melody(grid=2, density=0.5, centre=67), intro="groove",
        intro_lanes=("kick", "hat"), comp_centre=60, cadence=("IV", "bVII"), reverb=30, humanise_ms=5,
        pad_always=True),
    "metal": Style(
        {"minor": ("i bVI bVII i", "i bVI bIII bVII", "i iv bVI bVII"), "major": ("I bVII bVI bVII",)},
        bass="R.PPR.PPR.PPR.PP", comp="X.PPX.PPX.PPX.PP", comp_b="XPPPXPPPXPPPXPPP",
        groove={"kick": "X.o.X.o.X.o.X.o.", "snare": "....X.......X...", "ride": "X.o.X.o.X.o.X.o."},
        groove_b={"snare": "..x...x...x...x.", "kick": "XoooXoooXoooXooo", "crash": "x.......x......."},
        melody=Melody(grid=2, density=0.5, centre=71), power=True, intro="groove",
        intro_lanes=("kick",), comp_centre=50, bass_centre=36, cadence=("V", "bVII"), reverb=25,
        humanise_ms=3, pad_always=True, pad_level=2.0),
    "punk": Style(
        {"major": ("I IV I V", "I I IV V", "I V vi IV"), "minor": ("i bVI bVII i",)},
        bass="R-R-R-R-R-R-R-R-", comp="X-x-X-x-X-x-X-x-",
        groove={"kick": "X.......X.......", "snare": "....X.......X...", "hat": "X.x.X.x.X.x.X.x."},
        groove_b={"hat": "", "crash": "x.......x.......", "ride": "x.x.x.x.x.x.x.x."},
        melody=Melody(grid=4, density=0.7, centre=67), power=True, intro="groove",
        intro_lanes=("kick", "snare", "hat"), fill="snare", comp_centre=55, reverb=20, humanise_ms=4,
        pad_always=True),
    "jazz": Style(
        {"major": ("I6 vi7 ii7 V7", "ii7 V7 I6 I6", "Imaj7 vi7 ii7 V7"),
         "minor": ("iim7b5 V7 i7 i7", "i7 iv7 iim7b5 V7")},
        bass="W---W---W---W---", comp="X-----x-........", comp_b="..x-..X-..x-..x-",
        groove={"ride": "X...X.o.X...X.o.", "phat": "....x.......x...", "kick": "g.......g.......",
                "snare": "......g.......g."},
        groove_b={"snare": "..g...g...g.g..g", "kick": "g...g...g...g..."},
        chords_per_bar=2, cadence=("V7", "V7"), final=("I6", "i7"),
        melody=Melody(grid=2, density=0.6, centre=70, syncopation=0.2), intro="groove",
        intro_lanes=("ride", "phat"), fill="snare", comp_centre=62, bass_centre=38, humanise_ms=10),
    "blues": Style(
        {"major": ("I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7",), "minor": ("i7 iv7 i7 i7 iv7 iv7 i7 i7 V7 iv7 i7 V7",)},
        bass="R---5---6---5---", comp="X---x---X---x---", comp_b="X--xX--xX--xX--x",
        groove={"hat": "X.o.X.o.X.o.X.o.", "kick": "X.......X.......", "snare": "....X.......X..."},
        groove_b={"hat": "", "ride": "x.x.x.x.x.x.x.x."},
        chords_per_bar=2, cadence=("V7", "V7"), final=("I7", "i7"),
        melody=Melody(grid=2, density=0.45, centre=67, syncopation=0.2), intro="groove",
        intro_lanes=("hat", "kick"), fill="snare", comp_centre=62, humanise_ms=10),
    "funk": Style(
        {"minor": ("i7 IV9", "i7 i7 iv7 bVII7"), "major": ("I7 IV9", "I9 I9 IV9 V9")},
        bass="R..8..R.5.R..8R.", comp="..x...X...x..xX.", comp_b=".xx.xX.x.xx.xX.x",
        groove={"kick": "X..x..x...X..x..", "snare": "....X..g.g..X..g", "hat": "xoxoxoxoxoxoxoxo"},
        groove_b={"ohat": "..............x.", "kick": "X..x..x...X.xx.."},
        melody=Melody(grid=1, density=0.45, centre=72, syncopation=0.45), intro="groove",
        intro_lanes=("hat", "kick"), fill="snare", swing_unit=1, comp_centre=66, humanise_ms=5,
        cadence=("V7", "bVII7")),
    "classical": Style(
        {"major": ("I IV V I", "I vi IV V", "I V vi iii IV I IV V"), "minor": ("i iv V i", "i bVI iv V")},
        bass="R---5---8---5---", comp="0-2-1-2-0-2-1-2-", comp_b="0212421202124212",
        melody=Melody(grid=2, density=0.45, centre=76, legato=1.0), intro="arp", pad_always=False,
        comp_centre=62, bass_centre=40, humanise_ms=12, reverb=70),
    "cinematic": Style(
        {"minor": ("i bVI bIII bVII", "i bVI iv V", "i bIII bVII iv"), "major": ("I V vi IV", "I bVI IV V")},
        bass="R-------R-------", comp="X-x-X-x-X-x-X-x-", comp_b="XxxxXxxxXxxxXxxx",
        groove={"kick": "X.......x.......", "tom3": "........X...X.x."},
        groove_b={"kick": "X.....x.X.....x.", "snare": "....x.......x..x"},
        melody=Melody(grid=4, density=0.55, centre=67, legato=1.0), intro="arp", pad_always=True,
        fill="toms", comp_centre=57, bass_centre=36, humanise_ms=6, reverb=80),
    "electronic": Style(
        {"minor": ("i bVI bIII bVII", "i i bVI bVII"), "major": ("I V vi IV", "vi IV I V")},
        bass="..R-..R-..R-..R-", comp="0.1.2.1.0.1.2.1.", comp_b="0121412101214121",
        groove={"kick": "X...X...X...X...", "clap": "....X.......X...", "hat": "..x...x...x...x."},
        groove_b={"hat": "xxxxxxxxxxxxxxxx", "ohat": "..x...x...x...x."},
        melody=Melody(grid=2, density=0.45, centre=76), intro="groove", intro_lanes=("kick",),
        fill="snare", humanise_ms=0.0, comp_centre=67, cadence=("V", "bVII"), reverb=55),
    "house": Style(
        {"minor": ("i bVI bIII bVII", "i iv bVI i"), "major": ("I V vi IV", "I vi IV V")},
        bass="R-8-R-8-R-8-R-8-", comp="..X-..X-..X-..X-", comp_b="X-.X-.X-..X-.X-.",
        groove={"kick": "X...X...X...X...", "clap": "....X.......X...", "ohat": "..x...x...x...x."},
        groove_b={"hat": "x.x.x.x.x.x.x.x.", "shaker": "xxxxxxxxxxxxxxxx"},
        melody=Melody(grid=2, density=0.4, centre=74, syncopation=0.2), intro="groove",
        intro_lanes=("kick", "ohat"), fill="snare", humanise_ms=0.0, comp_centre=64, bass_centre=36,
        cadence=("V", "bVII"), drum_volume=66, pad_always=True, pad_level=1.3),
    "lo-fi": Style(
        {"major": ("ii9 V9 Imaj9 vi7", "IVmaj7 iii7 ii7 Imaj7"),
         "minor": ("i9 iv9 bVImaj7 V7", "i7 bVIImaj7 bVImaj7 V7")},
        bass="R-------..5---A-", comp="X-------..x-----",
        groove={"kick": "X......x..X.....", "snare": "........X.......", "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"kick": "X......x..X..x..", "snare": "........X.....g."},
        cadence=("V9", "V7"), final=("Imaj9", "i9"),
        melody=Melody(grid=2, density=0.35, centre=72, syncopation=0.2, legato=1.0), intro="pad",
        fill="none", comp_centre=62, humanise_ms=14, reverb=60, swing_unit=1),
    "ambient": Style(
        {"major": ("Imaj9 IVmaj7", "Imaj7 vi7 IVmaj7 Isus2"), "minor": ("i9 bVImaj7", "i7 bVImaj7 bIIImaj7 bVII")},
        bass="R---------------", comp="0-1-2-3-4-3-2-1-", comp_b="0-1-2-3-4-3-2-1-",
        chords_per_bar=0.5, final=("Imaj7", "i9"),
        melody=Melody(grid=4, density=0.3, centre=79, legato=1.0), intro="pad", pad_always=True,
        comp_centre=64, bass_centre=38, humanise_ms=10, reverb=100),
    "synthwave": Style(
        {"minor": ("i bVI bIII bVII", "i bVI bVII i", "bVI bVII i i"), "major": ("I V vi IV",)},
        bass="R-8-R-8-R-8-R-8-", comp="0121012101210121",
        groove={"kick": "X.......X.......", "snare": "....X.......X...", "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"hat": "xxxxxxxxxxxxxxxx", "kick": "X...X...X...X..."},
        melody=Melody(grid=2, density=0.4, centre=72), intro="arp", fill="toms", pad_always=True,
        humanise_ms=0.0, comp_centre=67, bass_centre=36, cadence=("V", "bVII"), reverb=65),
    "folk": Style(
        {"major": ("I IV I V", "I vi IV V", "I V vi IV"), "minor": ("i bVII bVI bVII", "i iv bVII i")},
        bass="R-------5---", comp="D---D-U-D-U-",
        groove={"kick": "X...........", "snare": "....x...x...", "hat": "x...x...x..."},
        melody=Melody(grid=2, density=0.5, centre=76), intro="arp", fill="none", meter="3/4",
        comp_centre=60, humanise_ms=12, reverb=50),
    "country": Style(
        {"major": ("I IV V I", "I IV I V", "I V vi IV"), "minor": ("i bVII bVI bVII",)},
        bass="R---..5-R---..5-", comp="D---D-U-..U-D-U-",
        groove={"kick": "X.......X.......", "snare": "....X.......X...", "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"snare": "....X..g....X..g", "tamb": "x.x.x.x.x.x.x.x."},
        melody=Melody(grid=2, density=0.55, centre=74), intro="groove", intro_lanes=("hat",),
        fill="snare", comp_centre=60, humanise_ms=8, reverb=40),
    "latin": Style(
        {"minor": ("i bVII bVI V", "i iv bVII bIII"), "major": ("I IV V IV", "I vi ii V")},
        bass="......R-----5---", comp="0.21.2.0.21.2.1.",
        groove={"clave": "x.....x.....x.......x...x.......", "kick": "X.....x.X.....x.",
                "conga": "....x.x.....x.x.", "conga_lo": "..........x...x.", "shaker": "xoxoxoxoxoxoxoxo"},
        groove_b={"timbale": "x..x..x...x.x...", "cowbell": "x.x.x.x.x.x.x.x."},
        melody=Melody(grid=2, density=0.5, centre=74, syncopation=0.35), intro="groove",
        intro_lanes=("clave", "shaker", "conga"), fill="toms", comp_centre=67, humanise_ms=7),
}

# Patterns for a brief whose metre differs from the style's (a 3/4 rock edit, a 4/4 folk edit).
FALLBACK = {
    "3/4": {"bass": "R-------5---", "comp": "X---x---x---",
            "groove": {"kick": "X...........", "snare": "....x...x...", "hat": "x.x.x.x.x.x."}},
    "4/4": {"bass": "R-------5-------", "comp": "D---D-U-..U-D-U-",
            "groove": {"kick": "X.......X.......", "snare": "....X.......X...", "hat": "x.x.x.x.x.x.x.x."}},
}


def style_for(genre: str) -> Style:
    if genre not in STYLES:
        raise ValueError(f"no style for genre {genre!r}; styles exist for: {', '.join(STYLES)}")
    return STYLES[genre]
