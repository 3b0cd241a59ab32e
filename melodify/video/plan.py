"""The music's plan for a video: one tempo from how much moves and how fast the cuts come, and each
scene's length in beats, so each section change lands on the beat nearest its cut."""

from __future__ import annotations

from ..genres import get_genre
from .scenes import Scene

CUTS_FAST = 30.0         # cuts per minute that count as fast cutting


def video_tempo(genre: str, scenes: list[Scene], duration: float) -> int:
    """Inside the genre's range: a still, long-take video at its slow end, busy fast-cut video at the top."""
    low, high = get_genre(genre).tempo
    motion = sum(s.motion * s.length for s in scenes) / max(duration, 1e-6)
    cuts = sum(s.cut for s in scenes) * 60.0 / max(duration, 1e-6)
    place = min(1.0, 0.2 + 0.5 * motion + 0.3 * min(1.0, cuts / CUTS_FAST))
    return round(low + place * (high - low))


def scene_beats(scenes: list[Scene], tempo: float, duration: float, beats_per_bar: int) -> tuple[list[int], list[int]]:
    """(beats per section, index of the first scene in each section). A cut moves to its nearest beat;
    a scene shorter than a bar joins the one before it (its cut is too close for a section of its own).
    The last section runs past the end to the next whole beat (the master cuts it to the video)."""
    beat = 60.0 / tempo
    starts, first = [0], [0]
    for i, scene in enumerate(scenes[1:], 1):
        at = round(scene.start / beat)
        if at - starts[-1] >= beats_per_bar:
            starts.append(at)
            first.append(i)
    end = -(-duration // beat)
    if end - starts[-1] < beats_per_bar and len(starts) > 1:   # a last section too short: join it up
        starts.pop()
        first.pop()
    bounds = starts + [int(end)]
    return [b - a for a, b in zip(bounds, bounds[1:])], first
