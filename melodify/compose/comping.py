"""The chords part (comping: block chords, strums, arpeggios, power chords) and the pad.

Every chord span gets one voicing, chosen nearest the previous one (voice leading); the comping pattern
decides when and how it sounds. A held note is struck again where the chord changes under it.
"""

from __future__ import annotations

from ..contracts import Note
from .arrangement import SectionPlan
from .grid import Event, expand
from .harmony import ChordSpan
from .styles import Style
from .theory import lead_voicing, nearest_pitch

STRUM_GAP = 0.04   # beats between strings of a strum (about 20 ms at 120 bpm)


def voice_spans(spans: list[ChordSpan], centre: int, power: bool = False) -> dict[int, tuple[int, ...]]:
    """Span index -> voicing, each nearest the one before."""
    out: dict[int, tuple[int, ...]] = {}
    previous = None
    for i, span in enumerate(spans):
        previous = out[i] = lead_voicing(span.chord, previous, centre, power=power)
    return out


def _split_at_changes(ev: Event, spans: list[ChordSpan]) -> list[tuple[float, float, int]]:
    """(start, end, span index) pieces of an event, cut where the chord changes."""
    start, end = ev.step / 4, (ev.step + ev.length) / 4
    pieces = []
    for i, span in enumerate(spans):
        lo, hi = max(start, span.start), min(end, span.end)
        if hi - lo > 1e-6:
            pieces.append((lo, hi, i))
    return pieces


def comp_part(plan: list[SectionPlan], spans: list[ChordSpan], style: Style, pattern: str,
              steps_per_bar: int, energy: float, tonic: int) -> list[Note]:
    voicing = voice_spans(spans, style.comp_centre, style.power)
    pedal_root = nearest_pitch(tonic, style.comp_centre - 4)
    pedal = (pedal_root, pedal_root + 7)     # 'P': a chug on the key's tonic between chord hits
    notes: list[Note] = []
    scale = 0.75 + 0.35 * energy
    for section in plan:
        bars = range(section.start_bar, section.end_bar)
        if section.kind == "intro" and style.intro == "groove":
            continue
        if section.kind == "outro" or (section.kind == "intro" and style.intro == "pad"):
            events = _held(spans, section, steps_per_bar, "D" if "D" in pattern else "X")
        else:
            bar_pattern = style.comp_b if (section.kind == "B" and style.comp_b) else pattern
            events = expand(bar_pattern, bars, steps_per_bar)
        soft = 0.8 if section.kind == "intro" else (1.08 if section.kind == "B" else 1.0)
        on_beat = any(ev.step % 4 == 0 for ev in events)
        for ev in events:
            if ev.char.islower() and energy < 0.3 and section.kind != "B":
                continue
            # Beats louder than off-beats (a clear pulse), unless the pattern lives on the off-beat (house stabs).
            pulse = 1.0 if ev.step % 4 == 0 or not on_beat else 0.8
            for k, (start, end, i) in enumerate(_split_at_changes(ev, spans)):
                if section.kind == "outro":
                    end = float("inf")
                chord = pedal if ev.char == "P" else voicing[i]
                notes.extend(_sound(ev.char, chord, start, end, scale * soft * pulse, first=k == 0))
    return notes


def _held(spans: list[ChordSpan], section: SectionPlan, steps_per_bar: int, char: str) -> list[Event]:
    """One held chord per chord change inside the section."""
    lo, hi = section.start_bar * steps_per_bar, section.end_bar * steps_per_bar
    starts = sorted({lo} | {round(span.start * 4) for span in spans if lo < span.start * 4 < hi})
    return [Event(a, b - a, char) for a, b in zip(starts, starts[1:] + [hi])]


def _sound(char: str, voicing: tuple[int, ...], start: float, end: float, scale: float,
           first: bool) -> list[Note]:
    vel = lambda v: max(1, min(127, round(v * scale * (1.0 if first else 0.85))))  # noqa: E731
    if char.isdigit():
        d = int(char)
        pitch = voicing[d % len(voicing)] + 12 * (d // len(voicing))
        return [Note(pitch, vel(80 if d == 0 else 70), start, end)]
    if char in "DU":
        strings = (voicing[0] - 12,) + voicing if char == "D" else tuple(reversed(voicing))[:3]
        level = 84 if char == "D" else 66
        return [Note(p, vel(level - 2 * j), start + j * STRUM_GAP, max(end, start + j * STRUM_GAP + 0.1))
                for j, p in enumerate(strings)]
    level = 92 if char == "X" else (70 if char == "P" else 76)
    return [Note(p, vel(level), start, end) for p in voicing]


def pad_part(plan: list[SectionPlan], spans: list[ChordSpan], style: Style, beats_per_bar: int,
             energy: float) -> list[Note]:
    """Sustained chords, quiet, in the intro (pad intros), B sections and the outro (everywhere if the
    style keeps a pad throughout)."""
    voicing = voice_spans(spans, style.pad_centre)
    notes: list[Note] = []
    level = min(120, round((48 + 18 * energy) * style.pad_level))
    for section in plan:
        wanted = style.pad_always or section.kind in ("B", "outro") or (
            section.kind == "intro" and style.intro == "pad")
        if not wanted:
            continue
        lo, hi = section.start_bar * beats_per_bar, section.end_bar * beats_per_bar
        for i, span in enumerate(spans):
            s, e = max(span.start, lo), min(span.end, hi)
            if e - s <= 1e-6:
                continue
            if section.kind == "outro":
                e = float("inf")
            notes.extend(Note(p, level, s, e) for p in voicing[i])
    return notes
