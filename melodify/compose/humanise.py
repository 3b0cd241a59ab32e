"""Small seeded timing and velocity jitter, so a part sounds played rather than sequenced.
Styles on a tight grid (electronic, house, synthwave) get none."""

from __future__ import annotations

import random

from ..contracts import Note


def humanise(notes: list[Note], timing_ms: float, rng: random.Random, velocity_jitter: int = 6) -> list[Note]:
    if timing_ms <= 0:
        return notes
    out = []
    for n in notes:
        shift = rng.uniform(-timing_ms, timing_ms) / 1000.0
        velocity = max(1, min(127, n.velocity + rng.randint(-velocity_jitter, velocity_jitter)))
        start = max(0.0, n.start + shift)
        # Ends stay where they were: the last chord still rings to the very end.
        out.append(Note(n.pitch, velocity, start, max(start + 0.03, n.end)))
    return out
