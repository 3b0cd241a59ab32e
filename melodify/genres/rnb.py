"""R&B: smooth, silky and soulful."""

from __future__ import annotations

from ..compose.chains import GLUE, ROOM, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="r&b", label="R&B", label_ko="알앤비", noun="R&B", aliases=("rnb", "r-and-b"),
    tempo=(68, 88), valence=0.55, energy=0.45, modes=("minor", "major"), swing=0.12,
    kit="808",
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
        # Today's R&B: a half-time 808 clap, hi-hat rolls, a long sub bass under the electric piano.
        bass="R-------..R---5-", comp="X-----x-..x-----",
        groove={"kick": "X.....x...X.....", "clap": "........X.......", "hat": "x.x.x.xrx.x.xxrr"},
        groove_b={"kick": "X.....x...X..x..", "hat": "xxx.x.xrx.xxx.rt"},
        melody=Melody(grid=1, density=0.4, centre=72, syncopation=0.3, legato=1.0), intro="pad",
        swing_unit=1, fill="snare", comp_centre=64, reverb=55, bass_centre=36, mix={"drums": 104, "pad": 45}),
    effects=(RUMBLE, GLUE, ROOM),
)
