"""Ambient: floating, spacious and serene."""

from __future__ import annotations

from ..compose.chains import RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="ambient", label="Ambient", label_ko="앰비언트", noun="ambient",
    tempo=(60, 76), valence=0.48, energy=0.1, modes=("major", "minor"),
    kit=None,
    instruments={
        "lead": ("celesta", "music box", "flute"),
        "chords": ("piano", "harp", "electric piano"),
        "bass": ("synth bass", "cello"),
        "pad": ("halo pad", "new age pad", "bowed pad"),
    },
    words=("floating", "spacious", "serene"),
    closed=False,
    key_family="other",
    style=Style(
        {"major": ("Imaj9 IVmaj7", "Imaj7 vi7 IVmaj7 Isus2"), "minor": ("i9 bVImaj7", "i7 bVImaj7 bIIImaj7 bVII")},
        bass="R---------------", comp="0-1-2-3-4-3-2-1-", comp_b="0-1-2-3-4-3-2-1-",
        chords_per_bar=0.5, final=("Imaj7", "i9"),
        melody=Melody(grid=4, density=0.3, centre=79, legato=1.0), intro="pad", pad_always=True,
        comp_centre=64, bass_centre=38, humanise_ms=10, reverb=100),
    effects=(
        RUMBLE,
        ("Reverb", {"room_size": 0.92, "damping": 0.35, "wet_level": 0.22, "dry_level": 0.45, "width": 1.0}),
    ),
)
