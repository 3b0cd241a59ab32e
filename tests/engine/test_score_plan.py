"""The composer playing a caller's form (melodify.video, melodify.album): sections where the plan puts
them, short bars that take their beats out, calm sections quieter and thinner."""

from __future__ import annotations

import pytest

from melodify.compose.arrangement import plan_scenes
from melodify.compose.score import write_score

from tests.engine.test_score import brief


def test_sections_start_on_the_beats_the_plan_asks_even_after_short_bars():
    b = brief("pop").model_copy(update={"tempo": 120, "duration": 16.0})
    plan = plan_scenes([14, 9, 9], [0.2, 0.9, 0.4], 4)          # 14 = intro + 10, 9 = 2 bars + 1 beat...
    score = write_score(b, plan)
    starts = [s.start for s in score.sections]
    assert starts[:4] == pytest.approx([0.0, 2.0, 7.0, 11.5])   # beats 0, 4, 14, 23 at 0.5 s a beat
    assert all(n.end <= 16.0 for part in score.parts for n in part.notes)


def test_a_calm_section_has_no_drums_and_plays_softer_than_a_lively_one():
    b = brief("rock").model_copy(update={"tempo": 120, "duration": 16.0})
    score = write_score(b, plan_scenes([12, 12, 8], [0.1, 0.95, 0.9], 4))
    calm, lively = score.sections[1], score.sections[2]
    drums = next(p for p in score.parts if p.is_drum).notes
    assert not [n for n in drums if calm.start <= n.start < calm.end - 0.05]   # (the next crash, humanised)
    assert [n for n in drums if lively.start <= n.start < lively.end]

    def loudness(section, role="chords"):
        notes = [n.velocity for p in score.parts if p.name == role for n in p.notes
                 if section.start <= n.start < section.end]
        return sum(notes) / len(notes)

    assert loudness(calm) < loudness(lively)


def test_without_a_plan_the_composer_writes_what_it_always_wrote():
    b = brief("jazz")
    assert write_score(b) == write_score(b, None)
