"""Pop: bright, catchy and polished."""

from __future__ import annotations

from ..compose.chains import AIR, GLUE, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="pop", label="Pop", label_ko="팝", noun="pop",
    tempo=(100, 124), valence=0.75, energy=0.65, modes=("major",),
    kit="808",
    instruments={
        "lead": ("square lead", "synth lead"),
        "chords": ("bright piano", "polysynth"),      # an electric piano or soft piano reads as jazz
        "bass": ("synth bass", "electric bass"),
        "pad": ("warm pad",),
    },
    words=("bright", "catchy", "polished"),
    closed=True,    # an outsider's new age pad or strings read as ambient or classical
    key_family="other",
    style=Style(
        {"major": ("I V vi IV", "vi IV I V", "I vi IV V"), "minor": ("i bVI bIII bVII", "i iv bVI bVII")},
        bass="R-----R-R---5-8-", comp="X-x-X-x-X-x-X-x-", comp_b="X-xxX-x-X-xxX-x-",
        # Dance-pop: 808 claps and hats, the chorus (B) on four-on-the-floor; the pad far back.
        groove={"kick": "X.....x.X.......", "clap": "....X.......X...", "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"kick": "X...X...X...X...", "hat": "xxxxxxxxxxxxxxxx", "ohat": "..x...x...x...x.",
                  "tamb": "..x...x...x...x."},
        melody=Melody(grid=2, density=0.55, centre=74), intro="pad", comp_centre=66,
        mix={"drums": 104, "pad": 40}),
    effects=(RUMBLE, GLUE, AIR),
)
