"""Rock: driving, raw and anthemic."""

from __future__ import annotations

from ..compose.chains import AIR, GLUE, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="rock", label="Rock", label_ko="록", noun="rock",
    tempo=(110, 140), valence=0.55, energy=0.85, modes=("major", "minor"),
    kit="power",
    instruments={
        "lead": ("overdriven guitar",),
        "chords": ("distortion guitar", "overdriven guitar"),
        "bass": ("picked bass", "electric bass"),
        "pad": ("rock organ",),
    },
    words=("driving", "raw", "anthemic"),
    closed=True,
    key_family="guitar",
    style=Style(
        # Power chords in 8ths over loud drums (not country's strummed I-IV-V); the organ comes in
        # under the chorus (B) and the ending only: held under every bar it made the band sound country.
        {"major": ("I IV I V", "I V vi IV", "I IV vi V"), "minor": ("i bVI bIII bVII", "i bVI bVII i")},
        bass="R-R-R-R-R-R-R-R-", comp="X.x.X.x.X.x.X.x.", comp_b="XxxxXxxxXxxxXxxx", power=True,
        groove={"kick": "X.......X.X.....", "snare": "....X.......X...", "hat": "x.o.x.o.x.o.x.o."},
        groove_b={"hat": "", "ride": "x.x.x.x.x.x.x.x.", "kick": "X.x.....X.X....."},
        melody=Melody(grid=2, density=0.5, centre=67), intro="groove",
        intro_lanes=("kick", "hat"), comp_centre=52, cadence=("IV", "bVII"), reverb=30, humanise_ms=5,
        mix={"drums": 112, "pad": 50}),
    effects=(RUMBLE, GLUE, AIR),
)
