"""Scenes from the sampled luma frames: hard cuts (a jump far above the local motion) and slow changes
(the picture drifting far from where its scene began), and how much moves in each scene."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .frames import Frames

CUT_JUMP = 0.12          # mean luma change (0..1) that is a hard cut...
HIST_JUMP = 0.4          # ...or a histogram distance (0..1) between neighbours with some luma change
CUT_OVER_MOTION = 3.0    # ...and either at this many times the motion around it
DRIFT = 0.35             # histogram distance from the scene's first frame that makes a slow change
MIN_SCENE = 1.0          # seconds: closer changes are one scene
MIN_DRIFT_SCENE = 4.0    # seconds a scene lasts before a slow change may end it
MOTION_SCALE = 0.03      # mean change per sample that reads as "a lot moves" (1 - 1/e)
BINS = 16                # luma histogram bins (the top 4 bits)


@dataclass(frozen=True)
class Scene:
    start: float             # seconds
    end: float
    motion: float            # 0..1: how much of the picture moves, how fast
    cut: bool                # began with a hard cut (False: the first scene, or a slow change)

    @property
    def length(self) -> float:
        return self.end - self.start


def find_scenes(frames: Frames, duration: float) -> list[Scene]:
    luma, times = frames.luma, frames.times
    diffs = np.array([np.abs(b.astype(np.int16) - a).mean() / 255.0 for a, b in zip(luma, luma[1:])])
    hists = np.stack([np.bincount(f.ravel() >> 4, minlength=BINS) / f.size for f in luma])
    jumps = 0.5 * np.abs(np.diff(hists, axis=0)).sum(axis=1) if len(luma) > 1 else np.zeros(0)
    starts: list[tuple[int, bool]] = [(0, False)]
    for i in range(1, len(luma)):
        since = times[i] - times[starts[-1][0]]
        if since < MIN_SCENE:
            continue
        if _is_cut(diffs, jumps, i - 1):
            starts.append((i, True))
        elif since >= MIN_DRIFT_SCENE and 0.5 * np.abs(hists[i] - hists[starts[-1][0]]).sum() > DRIFT:
            starts.append((i, False))
    if len(starts) > 1 and duration - times[starts[-1][0]] < MIN_SCENE:    # a last flash is the scene before
        starts.pop()
    scenes = []
    for k, (i, cut) in enumerate(starts):
        j = starts[k + 1][0] if k + 1 < len(starts) else len(luma)
        start = 0.0 if k == 0 else float(times[i])
        end = duration if k + 1 == len(starts) else float(times[j])
        inside = diffs[i:j - 1]                     # changes within the scene (not the cut into the next)
        motion = float(1 - np.exp(-np.mean(inside) / MOTION_SCALE)) if len(inside) else 0.0
        scenes.append(Scene(start, end, round(motion, 3), cut))
    return scenes


def _is_cut(diffs: np.ndarray, jumps: np.ndarray, i: int) -> bool:
    around = np.concatenate([diffs[max(0, i - 6):i], diffs[i + 1:i + 7]])
    usual = float(np.median(around)) if len(around) else 0.0
    big = diffs[i] >= CUT_JUMP or (jumps[i] >= HIST_JUMP and diffs[i] >= CUT_JUMP / 4)
    return big and diffs[i] >= CUT_OVER_MOTION * max(usual, 0.005)


def cut_rate(scenes: list[Scene], duration: float) -> float:
    """Hard cuts per minute."""
    return sum(s.cut for s in scenes) * 60.0 / max(duration, 1e-6)
