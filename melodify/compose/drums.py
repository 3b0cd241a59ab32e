"""The drum part: the style's groove per section, fills at section ends, crashes at section starts."""

from __future__ import annotations

from ..contracts import Note
from .arrangement import SectionPlan
from .grid import expand
from .styles import DRUM_NOTES, Style

LEVELS = {"X": 118, "x": 96, "o": 74, "g": 44, "r": 70, "t": 66}
ROLLS = {"r": 2, "t": 3}      # hits in one 16th step: a trap hi-hat roll


def groove_for(style: Style, section: SectionPlan, energy: float, groove: dict[str, str]) -> dict[str, str]:
    lanes = dict(groove)
    if section.kind == "B" or (section.name.count("'") and energy > 0.8):   # build: B, and late A at high energy
        lanes.update(style.groove_b)
    if section.kind == "intro":
        lanes = {k: v for k, v in lanes.items() if k in style.intro_lanes} if style.intro == "groove" else {}
    return {k: v for k, v in lanes.items() if v}


def drum_part(plan: list[SectionPlan], style: Style, groove: dict[str, str], steps_per_bar: int,
              energy: float) -> list[Note]:
    """Notes in beats (start, end) with GM percussion pitches."""
    notes: list[Note] = []
    scale = 0.78 + 0.3 * energy

    def hit(step: float, lane: str, level: int) -> None:
        notes.append(Note(DRUM_NOTES[lane], max(1, min(127, round(level * scale))), step / 4, step / 4 + 0.25))

    for section in plan:
        first = section.start_bar * steps_per_bar
        if section.kind == "outro":
            hit(first, "crash", 110)
            hit(first, "kick", 110)
            continue
        lanes = groove_for(style, section, energy, groove)
        fill_from = section.end_step(steps_per_bar) - 4 if style.fill != "none" else 10**9
        for lane, pattern in lanes.items():
            for ev in expand(pattern, range(section.start_bar, section.end_bar), steps_per_bar, hold="\0"):
                level = LEVELS.get(ev.char, 90)
                if (ev.char == "g" and energy < 0.3) or (ev.char == "o" and energy < 0.15):
                    continue
                if ev.step >= fill_from and lane != "kick":
                    continue
                count = ROLLS.get(ev.char, 1) if energy >= 0.3 else 1     # a calm photo: no rolls
                for k in range(count):
                    hit(ev.step + k / count, lane, level - 6 * k)
        if section.kind != "intro" or style.intro == "groove" or style.fill != "none":
            _fill(style.fill, fill_from, hit)
        if section.kind in ("A", "B"):
            hit(first, "crash", 104 if section.kind == "B" else 96)
    return notes


def _fill(kind: str, start: int, hit) -> None:
    if kind == "toms":
        for i, lane in enumerate(("tom1", "tom1", "tom2", "tom3")):
            hit(start + i, lane, 84 + 8 * i)
    elif kind == "snare":
        for i in range(4):
            hit(start + i, "snare", 70 + 12 * i)
