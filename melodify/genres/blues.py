"""Blues: soulful, weary and gritty."""

from __future__ import annotations

from ..compose.chains import ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="blues", label="Blues", label_ko="블루스", noun="blues",
    tempo=(72, 96), valence=0.38, energy=0.5, modes=("major",), swing=0.3,
    kit="room",
    instruments={
        "lead": ("harmonica", "clean electric guitar"),
        "chords": ("clean electric guitar", "piano"),
        "bass": ("electric bass", "acoustic bass"),
        "pad": ("organ",),
    },
    words=("soulful", "weary", "gritty"),
    closed=False,
    key_family="guitar",
    style=Style(
        # The 12-bar in plain triads: sevenths on piano read as jazz.
        {"major": ("I IV I I IV IV I I V IV I V",), "minor": ("i iv i i iv iv i i V iv i V",)},
        # A shuffled guitar on root and fifth over the boogie bass; a harmonica on top.
        bass="R---5---6---5---", comp="X---x---X---x---", comp_b="X--xX--xX--xX--x", power=True,
        groove={"hat": "X.o.X.o.X.o.X.o.", "kick": "X.......X.......", "snare": "....X.......X..."},
        groove_b={"hat": "", "ride": "x.x.x.x.x.x.x.x."},
        chords_per_bar=2, cadence=("V", "V"), final=("I", "i"), mix={"drums": 100, "pad": 45},
        melody=Melody(grid=2, density=0.45, centre=67, syncopation=0.2), intro="groove",
        intro_lanes=("hat", "kick"), fill="snare", comp_centre=52, humanise_ms=10),
    effects=(RUMBLE, ROOM),
)
