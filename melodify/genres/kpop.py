"""K-pop: glossy, punchy and dazzling."""

from __future__ import annotations

from ..compose.chains import AIR, GLUE, RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="k-pop", label="K-pop", label_ko="케이팝", noun="K-pop", aliases=("kpop",),
    tempo=(112, 128), valence=0.72, energy=0.85, modes=("minor", "major"),
    kit="electronic",
    instruments={
        "lead": ("square lead", "synth lead", "bright piano"),
        "chords": ("polysynth", "electric piano"),
        "bass": ("synth bass", "slap bass"),
        "pad": ("synth strings", "warm pad"),
    },
    words=("glossy", "punchy", "dazzling"),
    closed=True,
    key_family="other",
    style=Style(
        {"minor": ("i bVI bVII i", "i bVI bIII bVII"), "major": ("I V vi IV", "vi IV I V")},
        bass="R.R.R.8.R.R.R.8.", comp=".x.X..x..x.X..x.", comp_b="X.xX.xX.X.xX.xX.",
        # Trap hi-hats with rolls, claps, then a four-on-the-floor drop in B.
        groove={"kick": "X.....x.X.......", "clap": "....X.......X...", "hat": "x.oox.orx.oox.rr"},
        groove_b={"kick": "X...X...X...X...", "hat": "xoxoxoxoxoxoxorr", "ohat": "..x...x...x...x."},
        melody=Melody(grid=1, density=0.5, centre=76, syncopation=0.3), intro="groove",
        intro_lanes=("hat", "clap"), fill="snare", humanise_ms=0.0, cadence=("V", "bVII"),
        mix={"drums": 104, "pad": 45}),
    effects=(RUMBLE, GLUE, AIR),
)
