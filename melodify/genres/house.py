"""House: four-on-the-floor, euphoric and uplifting."""

from __future__ import annotations

from ..compose.chains import AIR, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="house", label="House", label_ko="하우스", noun="house",
    tempo=(120, 126), valence=0.72, energy=0.78, modes=("minor", "major"),
    kit="808",
    instruments={
        "lead": ("electric piano", "synth lead"),
        "chords": ("piano", "organ", "polysynth"),
        "bass": ("synth bass",),
        "pad": ("warm pad", "strings"),
    },
    words=("four-on-the-floor", "euphoric", "uplifting"),
    closed=True,
    key_family="other",
    style=Style(
        {"minor": ("i bVI bIII bVII", "i iv bVI i"), "major": ("I V vi IV", "I vi IV V")},
        bass="R-8-R-8-R-8-R-8-", comp="..X-..X-..X-..X-", comp_b="X-.X-.X-..X-.X-.",
        groove={"kick": "X...X...X...X...", "clap": "....X.......X...", "ohat": "..x...x...x...x."},
        groove_b={"hat": "x.x.x.x.x.x.x.x.", "shaker": "xxxxxxxxxxxxxxxx"},
        melody=Melody(grid=2, density=0.4, centre=74, syncopation=0.2), intro="groove",
        intro_lanes=("kick", "ohat"), fill="snare", humanise_ms=0.0, comp_centre=64, bass_centre=36,
        cadence=("V", "bVII"), mix={"drums": 66}, pad_always=True, pad_level=1.3),
    effects=(
        RUMBLE,
        ("Compressor", {"threshold_db": -20.0, "ratio": 3.5, "attack_ms": 30.0, "release_ms": 200.0}),
        AIR,
    ),
)
