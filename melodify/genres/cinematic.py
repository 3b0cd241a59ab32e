"""Cinematic: epic, sweeping and dramatic."""

from __future__ import annotations

from ..compose.chains import RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="cinematic", label="Cinematic", label_ko="시네마틱", noun="cinematic",
    tempo=(70, 100), valence=0.35, energy=0.6, modes=("minor",),
    kit="orchestra",
    instruments={
        "lead": ("french horn", "strings", "piano"),
        "chords": ("strings", "piano", "harp"),
        "bass": ("cello", "timpani"),
        "pad": ("choir", "slow strings"),
    },
    words=("epic", "sweeping", "dramatic"),
    closed=False,
    key_family="other",
    style=Style(
        {"minor": ("i bVI bIII bVII", "i bVI iv V", "i bIII bVII iv"), "major": ("I V vi IV", "I bVI IV V")},
        bass="R-------R-------", comp="X-x-X-x-X-x-X-x-", comp_b="XxxxXxxxXxxxXxxx",
        groove={"kick": "X.......x.......", "tom3": "........X...X.x."},
        groove_b={"kick": "X.....x.X.....x.", "snare": "....x.......x..x"},
        melody=Melody(grid=4, density=0.55, centre=67, legato=1.0), intro="arp", pad_always=True,
        fill="toms", comp_centre=57, bass_centre=36, humanise_ms=6, reverb=80),
    effects=(
        RUMBLE,
        ("Reverb", {"room_size": 0.85, "damping": 0.45, "wet_level": 0.17, "dry_level": 0.5, "width": 1.0}),
    ),
)
