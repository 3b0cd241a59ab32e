"""Hip-hop: laid-back, head-nodding and gritty."""

from __future__ import annotations

from ..compose.chains import RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="hip-hop", label="Hip-hop", label_ko="힙합", noun="hip-hop", aliases=("hiphop",),
    tempo=(82, 96), valence=0.45, energy=0.6, modes=("minor",), swing=0.18,
    kit="808",
    instruments={
        "lead": ("electric piano", "flute", "vibraphone"),
        "chords": ("electric piano", "piano", "muted guitar"),
        "bass": ("synth bass", "electric bass"),
        "pad": ("strings", "warm pad"),
    },
    words=("laid-back", "head-nodding", "gritty"),
    closed=False,
    key_family="other",
    style=Style(
        {"minor": ("i7 bVImaj7 iv7 V7", "i9 iv9 bVImaj7 bVII7"), "major": ("Imaj7 vi7 ii7 V7",)},
        bass="R-----------R-..", comp="X-------..x-----",
        groove={"kick": "X.....x...X.....", "snare": "....X..g....X..g", "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"kick": "X.....x...X..x..", "hat": "x.xxx.x.x.xxx.x.", "ohat": "..............x."},
        melody=Melody(grid=2, density=0.4, centre=72, syncopation=0.25), intro="groove",
        intro_lanes=("hat",), fill="snare", swing_unit=1, bass_centre=36, comp_centre=62, mix={"drums": 80, "pad": 45}),
    effects=(RUMBLE, ("Compressor", {"threshold_db": -20.0, "ratio": 3.0, "attack_ms": 20.0, "release_ms": 120.0})),
)
