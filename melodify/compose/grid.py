"""Step patterns on the 16th-note grid: expanding pattern strings into timed events.

Inside the composer, times are in BEATS (quarter notes from the top); score.py turns them into seconds
once, after swing and humanising.
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS_PER_BEAT = 4


@dataclass
class Event:
    step: int        # absolute 16th step from the top
    length: int      # in steps (1 + the '-' holds after it)
    char: str


def pattern_char(pattern: str, bar: int, step: int, steps_per_bar: int) -> str:
    if not pattern:
        return "."
    if len(pattern) > steps_per_bar and len(pattern) % steps_per_bar == 0:   # multi-bar pattern
        return pattern[(bar * steps_per_bar + step) % len(pattern)]
    return pattern[step % len(pattern)]


def expand(pattern: str, bars: range, steps_per_bar: int, *, hold: str = "-", rest: str = ".") -> list[Event]:
    """Events of `pattern` played over `bars` (a range of bar indices); holds extend the previous event."""
    chars = [pattern_char(pattern, bar, step, steps_per_bar) for bar in bars for step in range(steps_per_bar)]
    first = bars.start * steps_per_bar
    events: list[Event] = []
    for i, c in enumerate(chars):
        if c == hold:
            if events and events[-1].step + events[-1].length == first + i:
                events[-1].length += 1
        elif c != rest:
            events.append(Event(first + i, 1, c))
    return events


def swing_warp(beat: float, swing: float, unit_steps: int) -> float:
    """Delay off-beat 8ths (unit 2) or 16ths (unit 1): a piecewise-linear warp of time inside each
    pair of units, so note ends move with their starts. swing 0.33 = full triplet feel."""
    if swing <= 0:
        return beat
    pair = unit_steps * 2 / STEPS_PER_BEAT            # length in beats of a down+up pair
    shift = swing * pair * 0.5                         # 0.33 -> the up-beat lands near 2/3 of the pair
    k, frac = divmod(beat, pair)
    half = pair / 2
    if frac < half:
        warped = frac * (half + shift) / half
    else:
        warped = half + shift + (frac - half) * (half - shift) / half
    return k * pair + warped
