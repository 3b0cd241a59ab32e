"""Country: twangy, open-road and heartfelt."""

from __future__ import annotations

from ..compose.chains import ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="country", label="Country", label_ko="컨트리", noun="country",
    tempo=(96, 124), valence=0.72, energy=0.58, modes=("major",),
    kit="standard",
    instruments={
        "lead": ("clean electric guitar",),   # a telecaster's twang: a fiddle lead reads as classical
        "chords": ("acoustic guitar",),
        "bass": ("electric bass",),
        "pad": ("organ",),
    },
    words=("twangy", "open-road", "heartfelt"),
    closed=True,    # an outsider (a polysynth, an electric piano) reads as classical or jazz
    key_family="guitar",
    style=Style(
        {"major": ("I IV V I", "I IV I V", "I V vi IV"), "minor": ("i bVII bVI bVII",)},
        bass="R---..5-R---..5-", comp="D---D-U-..U-D-U-",
        groove={"kick": "X.......X.......", "snare": "....X.......X...", "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"snare": "....X..g....X..g", "tamb": "x.x.x.x.x.x.x.x."},
        melody=Melody(grid=2, density=0.55, centre=74), intro="groove", intro_lanes=("hat",),
        fill="snare", comp_centre=60, humanise_ms=8, reverb=40, mix={"drums": 96, "pad": 45}),
    effects=(RUMBLE, ROOM),
)
