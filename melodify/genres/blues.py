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
        "lead": ("harmonica", "clean electric guitar", "tenor sax"),
        "chords": ("piano", "organ", "clean electric guitar"),
        "bass": ("electric bass", "acoustic bass"),
        "pad": ("organ",),
    },
    words=("soulful", "weary", "gritty"),
    closed=False,
    key_family="guitar",
    style=Style(
        {"major": ("I7 IV7 I7 I7 IV7 IV7 I7 I7 V7 IV7 I7 V7",), "minor": ("i7 iv7 i7 i7 iv7 iv7 i7 i7 V7 iv7 i7 V7",)},
        bass="R---5---6---5---", comp="X---x---X---x---", comp_b="X--xX--xX--xX--x",
        groove={"hat": "X.o.X.o.X.o.X.o.", "kick": "X.......X.......", "snare": "....X.......X..."},
        groove_b={"hat": "", "ride": "x.x.x.x.x.x.x.x."},
        chords_per_bar=2, cadence=("V7", "V7"), final=("I7", "i7"),
        melody=Melody(grid=2, density=0.45, centre=67, syncopation=0.2), intro="groove",
        intro_lanes=("hat", "kick"), fill="snare", comp_centre=62, humanise_ms=10),
    effects=(RUMBLE, ROOM),
)
