"""Metal: crushing, relentless and dark."""

from __future__ import annotations

from ..compose.chains import RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="metal", label="Metal", label_ko="메탈", noun="metal",
    tempo=(140, 168), valence=0.18, energy=0.97, modes=("minor",),
    kit="power",
    instruments={
        "lead": ("distortion guitar", "overdriven guitar"),
        "chords": ("distortion guitar",),
        "bass": ("picked bass",),
        "pad": ("choir", "strings"),
    },
    words=("crushing", "relentless", "dark"),
    closed=True,
    key_family="guitar",
    style=Style(
        {"minor": ("i bVI bVII i", "i bVI bIII bVII", "i iv bVI bVII"), "major": ("I bVII bVI bVII",)},
        bass="R.PPR.PPR.PPR.PP", comp="X.PPX.PPX.PPX.PP", comp_b="XPPPXPPPXPPPXPPP",
        groove={"kick": "X.o.X.o.X.o.X.o.", "snare": "....X.......X...", "ride": "X.o.X.o.X.o.X.o."},
        groove_b={"snare": "..x...x...x...x.", "kick": "XoooXoooXoooXooo", "crash": "x.......x......."},
        melody=Melody(grid=2, density=0.5, centre=71), power=True, intro="groove",
        intro_lanes=("kick",), comp_centre=50, bass_centre=36, cadence=("V", "bVII"), reverb=25,
        humanise_ms=3, pad_always=True, pad_level=2.0),
    effects=(
        RUMBLE,
        ("Compressor", {"threshold_db": -20.0, "ratio": 3.5, "attack_ms": 8.0, "release_ms": 90.0}),
        ("LowShelfFilter", {"cutoff_frequency_hz": 120.0, "gain_db": 1.5}),
    ),
)
