"""Classical: elegant, graceful and lyrical."""

from __future__ import annotations

from ..compose.chains import ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="classical", label="Classical", label_ko="클래식", noun="classical",
    tempo=(64, 100), valence=0.55, energy=0.3, modes=("major", "minor"),
    kit=None,
    instruments={
        "lead": ("violin", "flute", "piano"),
        "chords": ("piano", "strings", "harp"),
        "bass": ("cello",),
        "pad": ("strings", "french horn"),
    },
    words=("elegant", "graceful", "lyrical"),
    closed=False,
    key_family="other",
    style=Style(
        {"major": ("I IV V I", "I vi IV V", "I V vi iii IV I IV V"), "minor": ("i iv V i", "i bVI iv V")},
        bass="R---5---8---5---", comp="0-2-1-2-0-2-1-2-", comp_b="0212421202124212",
        melody=Melody(grid=2, density=0.45, centre=76, legato=1.0), intro="arp", pad_always=False,
        comp_centre=62, bass_centre=40, humanise_ms=12, reverb=70),
    effects=(RUMBLE, ROOM),
)
