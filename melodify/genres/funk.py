"""Funk: groovy, tight and funky."""

from __future__ import annotations

from ..compose.chains import GLUE, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="funk", label="Funk", label_ko="펑크", noun="funk",
    tempo=(112, 124), valence=0.78, energy=0.8, modes=("minor", "major"), swing=0.08,
    kit="standard",
    instruments={
        "lead": ("brass", "clean electric guitar"),   # a synth lead reads as electronic
        "chords": ("clavinet", "muted guitar"),
        "bass": ("slap bass", "electric bass"),
        "pad": ("organ",),
    },
    words=("groovy", "tight", "funky"),
    closed=True,
    key_family="horn",
    style=Style(
        {"minor": ("i7 IV9", "i7 i7 iv7 bVII7"), "major": ("I7 IV9", "I9 I9 IV9 V9")},
        # A clavinet in 16ths, slap bass, horns on top; the organ far back.
        bass="R..8..R.5.R..8R.", comp="x.xx.xX.x.xx.xX.", comp_b="xxxx.xXxx.xx.xXx",
        groove={"kick": "X..x..x...X..x..", "snare": "....X..g.g..X..g", "hat": "xxxxxxxxxxxxxxxx"},
        groove_b={"ohat": "..............x.", "kick": "X..x..x...X.xx.."},
        melody=Melody(grid=1, density=0.45, centre=72, syncopation=0.45), intro="groove",
        intro_lanes=("hat", "kick"), fill="snare", swing_unit=1, comp_centre=64, humanise_ms=5,
        cadence=("V7", "bVII7"), mix={"drums": 112, "pad": 45}),
    effects=(RUMBLE, GLUE),
)
