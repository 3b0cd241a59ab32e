"""The chord timeline: which chord sounds when, from the style's progressions and the form.

A sections play the progression the photo's valence picked; B sections a contrasting one; the chord
before the outro is the style's cadence chord and the outro holds the tonic (a cadence, never a cut).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .arrangement import SectionPlan
from .styles import Style
from .theory import Chord, parse_chord, parse_progression


@dataclass(frozen=True)
class ChordSpan:
    start: float      # beats from the top
    end: float
    chord: Chord


def pick_progressions(style: Style, mode: str, valence: float, rng: random.Random) -> tuple[str, str]:
    """(A progression, B progression). Options are listed brightest first: low valence picks later ones."""
    options = style.progressions[mode]
    centre = (1.0 - valence) * (len(options) - 1)
    index = min(len(options) - 1, max(0, round(centre + rng.uniform(-0.6, 0.6))))
    a = options[index]
    if len(options) > 1:
        b = options[(index + 1) % len(options)]
    else:   # one option: B starts half way through it, a different colour from the same chords
        symbols = a.split()
        half = len(symbols) // 2
        b = " ".join(symbols[half:] + symbols[:half]) if half else a
    return a, b


def chord_timeline(plan: list[SectionPlan], style: Style, tonic: int, mode: str, beats_per_bar: int,
                   progressions: tuple[str, str]) -> list[ChordSpan]:
    minor = mode == "minor"
    a_chords = parse_progression(progressions[0], tonic)
    b_chords = parse_progression(progressions[1], tonic)
    span = beats_per_bar / style.chords_per_bar
    spans: list[ChordSpan] = []
    for section in plan:
        if section.kind == "outro":
            continue
        chords = b_chords if section.kind == "B" else a_chords
        start, end = section.start_bar * beats_per_bar, section.end_bar * beats_per_bar
        step = min(span, (end - start) / 2)     # a short section still moves: two chords at least
        i, t = 0, float(start)
        while t < end - 1e-9:
            spans.append(ChordSpan(t, min(t + step, end), chords[i % len(chords)]))
            i, t = i + 1, t + step
    cadence = parse_chord(style.cadence[minor], tonic)
    if spans and len(spans) > 1:
        last = spans[-1]
        spans[-1] = ChordSpan(last.start, last.end, cadence)
    outro = plan[-1]
    final = parse_chord(style.final[minor], tonic)
    spans.append(ChordSpan(outro.start_bar * beats_per_bar, float("inf"), final))
    return spans


def chord_at(spans: list[ChordSpan], beat: float) -> ChordSpan:
    for span in spans:
        if span.start - 1e-9 <= beat < span.end - 1e-9:
            return span
    return spans[-1]
