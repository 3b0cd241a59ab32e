"""The form of a piece: how many bars fit the duration, and which section each bar belongs to.

intro (sparser) -> A -> B (contrast: busier, higher) -> A' (the motif returns) -> outro (the tonic rings).
Longer pieces alternate more A and B sections; very short ones drop the intro and B.
"""

from __future__ import annotations

from dataclasses import dataclass

from .grid import STEPS_PER_BEAT


@dataclass(frozen=True)
class SectionPlan:
    name: str        # "intro", "A", "B", "A'", "B'", "outro"
    start_bar: int
    bars: int
    # Set by a caller that fits music to pictures (melodify.video, melodify.album); the defaults are the
    # composer's own form. `short`: beats left out of the last bar (a 2/4 bar, as a film score changes
    # meter so the next section lands on a cut); `level`: velocity scale; `roles`: the parts that play
    # (None: all).
    short: int = 0
    level: float = 1.0
    roles: frozenset[str] | None = None

    @property
    def end_bar(self) -> int:
        return self.start_bar + self.bars

    def end_step(self, steps_per_bar: int) -> int:
        """Where the section really ends, in 16th steps (a short last bar ends early)."""
        return self.end_bar * steps_per_bar - self.short * STEPS_PER_BEAT

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


def plan_scenes(beats: list[int], energies: list[float], beats_per_bar: int) -> list[SectionPlan]:
    """A form for pictures: one section per scene, `beats[i]` long (a scene that is not a whole number
    of bars ends on a short bar), its energy choosing how it plays (calm: A, quieter, fewer parts; lively:
    B, louder, everything). The first scene opens with an intro bar and the last one closes on the outro
    bar where they are long enough for it."""
    plan: list[SectionPlan] = []
    bar, seen = 0, {"A": 0, "B": 0}
    last = len(beats) - 1
    for i, (length, energy) in enumerate(zip(beats, energies)):
        if i == 0 and length >= 3 * beats_per_bar:
            plan.append(SectionPlan("intro", 0, 1))
            bar, length = 1, length - beats_per_bar
        outro = i == last and length >= 2 * beats_per_bar
        if outro:
            length -= beats_per_bar
        kind = "B" if energy >= 0.55 else "A"
        bars = -(-length // beats_per_bar)
        plan.append(SectionPlan(kind + "'" * seen[kind], bar, bars, short=bars * beats_per_bar - length,
                                level=round(0.75 + 0.4 * energy, 3), roles=_roles_for(energy)))
        seen[kind] += 1
        bar += bars
    plan.append(SectionPlan("outro", bar, 1))
    return plan


def _roles_for(energy: float) -> frozenset[str] | None:
    """Calm scenes thin out: no drums under 0.3, and only the lead, pad and chords under 0.15."""
    if energy < 0.15:
        return frozenset({"lead", "chords", "pad"})
    if energy < 0.3:
        return frozenset({"lead", "chords", "bass", "pad"})
    return None
