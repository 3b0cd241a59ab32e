"""Blues: soulful, weary and gritty."""

from __future__ import annotations

from ..compose.chains import ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="blues", label="Blues", label_ko="블루스", noun="blues",
    tempo=(78, 100), valence=0.38, energy=0.5, modes=("major",), swing=0.3,
    kit="room",
    instruments={
        "lead": ("overdriven guitar",),    # a harmonica or a clean guitar lead reads as jazz or country
        "chords": ("piano",),
        "bass": ("electric bass", "acoustic bass"),
        "pad": ("organ",),
    },
    words=("soulful", "weary", "gritty"),
    closed=True,    # an outsider's electric piano or strings turn it into jazz or a ballad
    key_family="guitar",
    style=Style(
        # The 12-bar in plain triads: sevenths on piano read as jazz.
        {"major": ("I IV I I IV IV I I V IV I V",), "minor": ("i iv i i iv iv i i V iv i V",)},
        # A boogie bass walking up and down the chord (1 3 5 6 8 6 5 3), the piano shuffling 8ths,
        # a crunchy guitar on the blues scale on top.
        bass="R.3.5.6.8.6.5.3.", comp="x.xxx.xxx.xxx.xx", power=True,
        groove={"hat": "X.o.X.o.X.o.X.o.", "kick": "X.......X.......", "snare": "....X.......X..."},
        groove_b={"hat": "", "ride": "x.x.x.x.x.x.x.x."},
        chords_per_bar=2, cadence=("V", "V"), final=("I", "i"), mix={"drums": 100, "pad": 45},
        melody=Melody(grid=2, density=0.45, centre=67, syncopation=0.2, scale=(0, 3, 4, 7, 9, 10)),
        intro="groove",
        intro_lanes=("hat", "kick"), fill="snare", comp_centre=52, humanise_ms=10),
    effects=(RUMBLE, ROOM),
)
