"""Folk: earthy, gentle and homespun."""

from __future__ import annotations

from ..compose.chains import ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="folk", label="Folk", label_ko="포크", noun="folk",
    tempo=(88, 116), valence=0.6, energy=0.35, modes=("major",),
    kit="brush",
    instruments={
        "lead": ("fiddle", "violin"),     # a flute over the guitar reads as jazz
        "chords": ("acoustic guitar", "nylon guitar"),   # an outsider's harp or keys read as jazz
        "bass": ("acoustic bass",),
        "pad": ("strings",),
    },
    words=("earthy", "gentle", "homespun"),
    closed=True,
    key_family="guitar",
    style=Style(
        {"major": ("I IV I V", "I vi IV V", "I V vi IV"), "minor": ("i bVII bVI bVII", "i iv bVII i")},
        # A fingerpicked guitar in front (bass string, then the chord's voices), the pad far back.
        bass="R-------5---", comp="0-2-1-3-1-2-", comp_b="D---D-U-D-U-",
        groove={"kick": "X...........", "snare": "....x...x...", "hat": "x...x...x..."},
        melody=Melody(grid=2, density=0.5, centre=76), intro="arp", fill="none", meter="3/4",
        comp_centre=60, humanise_ms=12, reverb=50, mix={"pad": 45, "chords": 108}),
    effects=(RUMBLE, ROOM),
)
