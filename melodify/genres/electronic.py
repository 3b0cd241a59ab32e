"""Electronic: pulsing, futuristic and shimmering."""

from __future__ import annotations

from ..compose.chains import RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="electronic", label="Electronic", label_ko="일렉트로닉", noun="electronic",
    tempo=(120, 132), valence=0.58, energy=0.8, modes=("minor",),
    kit="electronic",
    instruments={
        "lead": ("synth lead", "square lead"),
        "chords": ("polysynth", "electric piano"),
        "bass": ("synth bass",),
        "pad": ("sweep pad", "warm pad"),
    },
    words=("pulsing", "futuristic", "shimmering"),
    closed=True,
    key_family="other",
    style=Style(
        {"minor": ("i bVI bIII bVII", "i i bVI bVII"), "major": ("I V vi IV", "vi IV I V")},
        bass="..R-..R-..R-..R-", comp="0.1.2.1.0.1.2.1.", comp_b="0121412101214121",
        groove={"kick": "X...X...X...X...", "clap": "....X.......X...", "hat": "..x...x...x...x."},
        groove_b={"hat": "xxxxxxxxxxxxxxxx", "ohat": "..x...x...x...x."},
        melody=Melody(grid=2, density=0.45, centre=76), intro="groove", intro_lanes=("kick",),
        fill="snare", humanise_ms=0.0, comp_centre=67, cadence=("V", "bVII"), reverb=55),
    effects=(
        RUMBLE,
        ("Compressor", {"threshold_db": -20.0, "ratio": 3.0, "attack_ms": 25.0, "release_ms": 180.0}),
        ("Reverb", {"room_size": 0.5, "damping": 0.5, "wet_level": 0.08, "dry_level": 0.5, "width": 1.0}),
    ),
)
