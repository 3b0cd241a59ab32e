"""R&B: smooth, silky and soulful."""

from __future__ import annotations

from ..compose.chains import GLUE, ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="r&b", label="R&B", label_ko="알앤비", noun="R&B", aliases=("rnb", "r-and-b"),
    tempo=(68, 88), valence=0.55, energy=0.45, modes=("minor", "major"), swing=0.12,
    kit="standard",
    instruments={
        "lead": ("electric piano", "alto sax", "vibraphone"),
        "chords": ("electric piano", "clean electric guitar", "organ"),
        "bass": ("fretless bass", "electric bass"),
        "pad": ("warm pad", "slow strings"),
    },
    words=("smooth", "silky", "soulful"),
    closed=False,
    key_family="horn",
    style=Style(
        {"major": ("Imaj9 vi9 ii9 V9", "IVmaj7 iii7 vi7 V7"),
         "minor": ("i9 iv9 bVIImaj7 bIIImaj7", "i7 bVImaj7 iv7 V7")},
        bass="R-----.5R---..A-", comp="X-----x-..x-----",
        groove={"kick": "X......x..X.....", "snare": "....X.......X...", "hat": "x.ox.ox.x.ox.ox."},
        groove_b={"rim": "..x.......x.....", "kick": "X......x..X..x.."},
        melody=Melody(grid=1, density=0.4, centre=72, syncopation=0.3, legato=1.0), intro="pad",
        swing_unit=1, fill="snare", comp_centre=64, reverb=55),
    effects=(RUMBLE, GLUE, ROOM),
)
