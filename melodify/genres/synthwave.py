"""Synthwave: retro, neon-lit and nostalgic."""

from __future__ import annotations

from ..compose.chains import RUMBLE
from ..compose.styles import Layer, Melody, Style
from .genre import Genre

GENRE = Genre(
    name="synthwave", label="Synthwave", label_ko="신스웨이브", noun="synthwave",
    tempo=(84, 110), valence=0.55, energy=0.68, modes=("minor",),
    kit="electronic",
    instruments={
        "lead": ("synth lead", "square lead"),
        "chords": ("synth brass",),
        "bass": ("synth bass",),
        "pad": ("warm pad",),
    },
    words=("retro", "neon-lit", "nostalgic"),
    closed=True,
    key_family="other",
    style=Style(
        {"minor": ("i bVI bIII bVII", "i bVI bVII i", "bVI bVII i i"), "major": ("I V vi IV",)},
        # Held brass-synth chords, a 16th arp on a square wave, a big snare and clap on the backbeat.
        bass="R-8-R-8-R-8-R-8-", comp="X-------X-------",
        groove={"kick": "X.......X.......", "snare": "....X.......X...", "clap": "....X.......X...",
                "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"hat": "xxxxxxxxxxxxxxxx", "kick": "X...X...X...X..."},
        melody=Melody(grid=2, density=0.4, centre=72), intro="arp", fill="toms",
        humanise_ms=0.0, comp_centre=67, bass_centre=36, cadence=("V", "bVII"), reverb=65,
        mix={"drums": 115, "pad": 45},
        layers=(Layer("square lead", pattern="0121012101210121", centre=72, volume=90, pan=40),)),
    effects=(
        RUMBLE,
        ("Chorus", {"rate_hz": 0.6, "depth": 0.25, "centre_delay_ms": 7.0, "feedback": 0.0, "mix": 0.35}),
        ("Reverb", {"room_size": 0.75, "damping": 0.4, "wet_level": 0.12, "dry_level": 0.5, "width": 1.0}),
    ),
)
