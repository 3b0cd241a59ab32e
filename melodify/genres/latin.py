"""Latin: fiery, rhythmic and sun-drenched."""

from __future__ import annotations

from ..compose.chains import GLUE, ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="latin", label="Latin", label_ko="라틴", noun="Latin",
    tempo=(92, 112), valence=0.82, energy=0.78, modes=("minor", "major"),
    kit="standard",
    instruments={
        "lead": ("trumpet", "nylon guitar", "flute"),
        "chords": ("nylon guitar", "piano", "marimba"),
        "bass": ("acoustic bass", "electric bass"),
        "pad": ("brass", "strings"),
    },
    words=("fiery", "rhythmic", "sun-drenched"),
    closed=False,
    key_family="other",
    style=Style(
        {"minor": ("i bVII bVI V", "i iv bVII bIII"), "major": ("I IV V IV", "I vi ii V")},
        bass="......R-----5---", comp="0.21.2.0.21.2.1.",
        groove={"clave": "x.....x.....x.......x...x.......", "kick": "X.....x.X.....x.",
                "conga": "....x.x.....x.x.", "conga_lo": "..........x...x.", "shaker": "xoxoxoxoxoxoxoxo"},
        groove_b={"timbale": "x..x..x...x.x...", "cowbell": "x.x.x.x.x.x.x.x."},
        melody=Melody(grid=2, density=0.5, centre=74, syncopation=0.35), intro="groove",
        intro_lanes=("clave", "shaker", "conga"), fill="toms", comp_centre=67, humanise_ms=7),
    effects=(RUMBLE, GLUE, ROOM),
)
