"""Jazz: swinging, sophisticated and warm."""

from __future__ import annotations

from ..compose.chains import ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="jazz", label="Jazz", label_ko="재즈", noun="jazz",
    tempo=(100, 150), valence=0.6, energy=0.45, modes=("major", "minor"), swing=0.3,
    kit="jazz",
    instruments={
        "lead": ("tenor sax", "trumpet", "vibraphone", "piano"),
        "chords": ("piano", "jazz guitar", "electric piano"),
        "bass": ("acoustic bass",),
        "pad": ("slow strings",),
    },
    words=("swinging", "sophisticated", "warm"),
    closed=False,
    key_family="horn",
    style=Style(
        {"major": ("I6 vi7 ii7 V7", "ii7 V7 I6 I6", "Imaj7 vi7 ii7 V7"),
         "minor": ("iim7b5 V7 i7 i7", "i7 iv7 iim7b5 V7")},
        bass="W---W---W---W---", comp="X-----x-........", comp_b="..x-..X-..x-..x-",
        groove={"ride": "X...X.o.X...X.o.", "phat": "....x.......x...", "kick": "g.......g.......",
                "snare": "......g.......g."},
        groove_b={"snare": "..g...g...g.g..g", "kick": "g...g...g...g..."},
        chords_per_bar=2, cadence=("V7", "V7"), final=("I6", "i7"),
        melody=Melody(grid=2, density=0.6, centre=70, syncopation=0.2), intro="groove",
        intro_lanes=("ride", "phat"), fill="snare", comp_centre=62, bass_centre=38, humanise_ms=10),
    effects=(RUMBLE, ROOM),
)
