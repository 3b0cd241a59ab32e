"""Pop: bright, catchy and polished."""

from __future__ import annotations

from ..compose.chains import AIR, GLUE, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="pop", label="Pop", label_ko="팝", noun="pop",
    tempo=(100, 124), valence=0.75, energy=0.65, modes=("major",),
    kit="standard",
    instruments={
        "lead": ("synth lead", "bright piano", "flute"),
        "chords": ("piano", "clean electric guitar", "electric piano"),
        "bass": ("electric bass", "synth bass"),
        "pad": ("warm pad", "strings"),
    },
    words=("bright", "catchy", "polished"),
    closed=False,
    key_family="other",
    style=Style(
        {"major": ("I V vi IV", "vi IV I V", "I vi IV V"), "minor": ("i bVI bIII bVII", "i iv bVI bVII")},
        bass="R-----R-R---5-8-", comp="X-x-X-x-X-x-X-x-", comp_b="X-xxX-x-X-xxX-x-",
        groove={"kick": "X.....x.X.......", "snare": "....X.......X...", "hat": "x.o.x.o.x.o.x.o."},
        groove_b={"kick": "X.....x.X..x....", "hat": "xoxoxoxoxoxoxoxo", "clap": "....X.......X...",
                  "tamb": "..x...x...x...x."},
        melody=Melody(grid=2, density=0.55, centre=74), intro="pad", comp_centre=66),
    effects=(RUMBLE, GLUE, AIR),
)
