"""Punk: fast, loud and rebellious."""

from __future__ import annotations

from ..compose.chains import RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="punk", label="Punk", label_ko="펑크 록", noun="punk",
    tempo=(168, 196), valence=0.6, energy=0.95, modes=("major",),
    kit="standard",
    instruments={
        "lead": ("overdriven guitar",),
        "chords": ("distortion guitar", "overdriven guitar"),
        "bass": ("picked bass",),
        "pad": ("rock organ",),
    },
    words=("fast", "loud", "rebellious"),
    closed=True,
    key_family="guitar",
    style=Style(
        {"major": ("I IV I V", "I I IV V", "I V vi IV"), "minor": ("i bVI bVII i",)},
        bass="R-R-R-R-R-R-R-R-", comp="X-x-X-x-X-x-X-x-",
        groove={"kick": "X.......X.......", "snare": "....X.......X...", "hat": "X.x.X.x.X.x.X.x."},
        groove_b={"hat": "", "crash": "x.......x.......", "ride": "x.x.x.x.x.x.x.x."},
        melody=Melody(grid=4, density=0.7, centre=67), power=True, intro="groove",
        intro_lanes=("kick", "snare", "hat"), fill="snare", comp_centre=55, reverb=20, humanise_ms=4,
        pad_always=True),
    effects=(RUMBLE, ("Compressor", {"threshold_db": -20.0, "ratio": 3.0, "attack_ms": 10.0, "release_ms": 100.0})),
)
