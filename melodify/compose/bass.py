"""The bass part: follows the chord timeline with the style's pattern (root on 1, fifths, octaves,
approach notes, walking lines), silent in a pad intro, the tonic held in the outro."""

from __future__ import annotations

from ..contracts import Note
from .arrangement import SectionPlan
from .grid import Event, expand
from .harmony import ChordSpan, chord_at
from .styles import Style
from .theory import nearest_pitch


def bass_part(plan: list[SectionPlan], spans: list[ChordSpan], style: Style, pattern: str,
              steps_per_bar: int, energy: float, tonic: int, key_pcs: tuple[int, ...]) -> list[Note]:
    notes: list[Note] = []
    scale = 0.8 + 0.3 * energy
    for section in plan:
        if section.kind == "intro" and style.intro != "groove":
            continue
        if section.kind == "outro":
            span = chord_at(spans, section.start_bar * steps_per_bar / 4)
            root = nearest_pitch(span.chord.root, style.bass_centre)
            notes.append(Note(root, round(100 * scale), span.start, float("inf")))
            continue
        for ev in expand(pattern, range(section.start_bar, section.end_bar), steps_per_bar):
            if energy < 0.25 and ev.step % 2 == 1:     # a calm photo: no 16th syncopations
                continue
            notes.extend(_play(ev, spans, style, steps_per_bar, scale, tonic, key_pcs))
    return notes


def _play(ev: Event, spans: list[ChordSpan], style: Style, steps_per_bar: int, scale: float,
          tonic: int, key_pcs: tuple[int, ...]) -> list[Note]:
    start = ev.step / 4
    span = chord_at(spans, start)
    end = min(start + ev.length / 4, span.end)
    chord = span.chord
    root = nearest_pitch(chord.root, style.bass_centre)
    accent = 106 if ev.step % steps_per_bar == 0 else (96 if ev.step % 4 == 0 else 80)
    if ev.char == "W":
        line = _walk(spans, span, root, key_pcs)
        pitch = line[min(int(start - span.start + 1e-6), len(line) - 1)]
        return [Note(pitch, round(accent * scale), start, start + (end - start) * 0.95)]
    next_root = nearest_pitch(chord_at(spans, span.end).chord.root, style.bass_centre)
    pitch = {
        "R": root, "8": root + 12, "5": root + chord.fifth, "3": root + chord.third, "6": root + 9,
        "7": root + (11 if 11 in chord.intervals else 10), "A": approach(next_root, key_pcs),
        "P": nearest_pitch(tonic, style.bass_centre),     # pedal on the key's tonic (metal chugs)
    }.get(ev.char, root)
    return [Note(pitch, round(accent * scale), start, end)]


def approach(target: int, key_pcs: tuple[int, ...]) -> int:
    """A step into `target`: a semitone below or above where that note is in the key, else a whole
    step below (chromatic notes outside the key would blur it)."""
    for candidate in (target - 1, target + 1):
        if candidate % 12 in key_pcs:
            return candidate
    return target - 2


def _walk(spans: list[ChordSpan], span: ChordSpan, root: int, key_pcs: tuple[int, ...]) -> list[int]:
    """One note a beat: root, chord tones, and a chromatic approach into the next chord's root."""
    count = max(1, min(4, round(span.end - span.start)))
    chord = span.chord
    target = nearest_pitch(chord_at(spans, span.end).chord.root, root)
    line = [root, root + chord.third, root + chord.fifth, root + chord.third][:count]
    if count >= 2 and span.end < float("inf"):
        line[-1] = approach(target, key_pcs)
    return line
