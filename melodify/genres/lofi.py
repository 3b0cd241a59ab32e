"""Lo-fi: dusty, mellow and cozy."""

from __future__ import annotations

from ..compose.chains import RUMBLE
from ..compose.styles import Melody, Style
from .genre import Genre

GENRE = Genre(
    name="lo-fi", label="Lo-fi", label_ko="로파이", noun="lo-fi", aliases=("lofi",),
    tempo=(70, 88), valence=0.5, energy=0.28, modes=("major", "minor"), swing=0.2,
    kit="brush",
    instruments={
        "lead": ("electric piano", "vibraphone", "muted guitar"),
        "chords": ("electric piano", "piano", "nylon guitar"),
        "bass": ("electric bass", "acoustic bass"),
        "pad": ("warm pad",),
    },
    words=("dusty", "mellow", "cozy"),
    closed=False,
    key_family="other",
    style=Style(
        {"major": ("ii9 V9 Imaj9 vi7", "IVmaj7 iii7 ii7 Imaj7"),
         "minor": ("i9 iv9 bVImaj7 V7", "i7 bVIImaj7 bVImaj7 V7")},
        bass="R-------..5---A-", comp="X-------..x-----",
        groove={"kick": "X......x..X.....", "snare": "........X.......", "hat": "x.x.x.x.x.x.x.x."},
        groove_b={"kick": "X......x..X..x..", "snare": "........X.....g."},
        cadence=("V9", "V7"), final=("Imaj9", "i9"),
        melody=Melody(grid=2, density=0.35, centre=72, syncopation=0.2, legato=1.0), intro="pad",
        fill="none", comp_centre=62, humanise_ms=14, reverb=60, swing_unit=1),
    effects=(
        RUMBLE,
        ("Chorus", {"rate_hz": 0.5, "depth": 0.12, "centre_delay_ms": 4.0, "feedback": 0.0, "mix": 0.3}),  # wow
        ("Distortion", {"drive_db": 5.0}),                                   # soft tape saturation
        ("Bitcrush", {"bit_depth": 11.0}),
        # Dull, like worn tape, after the crunch so it is dulled too; pedalboard's low-pass is
        # first order (6 dB/octave), so two of them.
        ("LowpassFilter", {"cutoff_frequency_hz": 6500.0}),
        ("LowpassFilter", {"cutoff_frequency_hz": 6500.0}),
        ("vinyl", {"hiss_db": -46.0, "crackles_per_second": 6.0, "crackle_db": -30.0}),
    ),
)
