"""The form of a piece: how many bars fit the duration, and which section each bar belongs to.

intro (sparser) -> A -> B (contrast: busier, higher) -> A' (the motif returns) -> outro (the tonic rings).
Longer pieces alternate more A and B sections; very short ones drop the intro and B.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionPlan:
    name: str        # "intro", "A", "B", "A'", "B'", "outro"
    start_bar: int
    bars: int

    @property
    def end_bar(self) -> int:
        return self.start_bar + self.bars

    @property
    def kind(self) -> str:
        """'intro', 'A', 'B' or 'outro': what the section plays like."""
        return self.name.rstrip("'")


def bar_count(duration: float, tempo: float, beats_per_bar: int) -> int:
    """Bars that fit `duration` seconds; at least 2 (a phrase and the final chord)."""
    return max(2, round(duration * tempo / 60.0 / beats_per_bar))


def plan_sections(n_bars: int) -> list[SectionPlan]:
    """Split n_bars into intro, alternating A/B body sections and a one-bar outro (the held tonic)."""
    intro = 0 if n_bars <= 3 else (1 if n_bars < 16 else 2)
    body = n_bars - intro - 1
    if body >= 24:
        count = 5
    elif body >= 3:
        count = 3
    else:
        count = body   # 1: A only; 2: A, B
    lengths = _split(body, count)
    names = ["A", "B", "A'", "B'", "A''"][:count]
    plan, bar = [], 0
    if intro:
        plan.append(SectionPlan("intro", 0, intro))
        bar = intro
    for name, length in zip(names, lengths):
        plan.append(SectionPlan(name, bar, length))
        bar += length
    plan.append(SectionPlan("outro", bar, 1))
    return plan


def _split(body: int, count: int) -> list[int]:
    """Near-equal section lengths, even where possible (phrases are two bars), extra bars to B."""
    if count <= 0:
        return []
    base = body // count
    if base >= 2 and base % 2 and body >= 2 * count * 2:
        base -= 1
    lengths = [base] * count
    rest = body - base * count
    order = [i for i in range(count) if i % 2 == 1] + [i for i in range(count) if i % 2 == 0]
    i = 0
    while rest > 0:
        step = 2 if rest >= 2 and base >= 2 else 1
        lengths[order[i % count]] += step
        rest -= step
        i += 1
    return lengths
