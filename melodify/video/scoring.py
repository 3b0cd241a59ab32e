"""`score_video`: a video file in, its soundtrack out (then `mux_soundtrack` puts it in the video).

probe (limits, before decoding) -> frames (reduced) -> scenes -> a reading per scene (its middle
thumbnail) -> one brief for the whole, tempo from motion and cuts -> a section per scene, its changes on
the beats nearest the cuts -> composed and mastered to exactly the video's length.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..contracts import ImageReading
from ..progress import Laps, ProgressCallback, no_progress
from ..request import Request
from ..suite import PieceResult, compose_piece, read_pictures, write_briefs
from .frames import Frames, read_frames
from .plan import scene_beats, video_tempo
from .probe import VideoInfo, VideoLimits, probe
from .scenes import Scene, find_scenes

MOTION_SHARE = 0.5      # a scene's energy: half its picture's brief, half how much moves in it


@dataclass
class VideoResult(PieceResult):
    info: VideoInfo | None = None
    scenes: list[Scene] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)          # first scene of each section of the music
    readings: list[ImageReading] = field(default_factory=list)  # one per scene
    timings: dict[str, float] = field(default_factory=dict)


def video_seed(path: str | Path) -> int:
    """A stable seed from the file's size and first megabyte: same video, same music."""
    path = Path(path)
    with path.open("rb") as f:
        digest = hashlib.sha256(f.read(1 << 20) + str(path.stat().st_size).encode()).digest()
    return int.from_bytes(digest[:4], "big")


def score_video(path: str | Path, request: Request = Request(), *, limits: VideoLimits | None = None,
                progress: ProgressCallback = no_progress) -> VideoResult:
    lap = Laps()
    info = probe(path, limits)
    if request.seed is None:
        request = request.replace(seed=video_seed(path))
    progress("read", 0.0)
    frames = read_frames(path, info, lambda f: progress("read", 0.6 * f))
    scenes = find_scenes(frames, info.duration)
    lap("decode")
    readings = read_pictures([_middle(frames, s) for s in scenes], request,
                             progress=lambda _, f: progress("read", 0.6 + 0.4 * f))
    lap("read")
    progress("brief", 0.0)
    whole, briefs = write_briefs(readings, [s.length for s in scenes], request, info.duration,
                                 tempo=lambda brief: video_tempo(brief.genre, scenes, info.duration))
    beats, first = scene_beats(scenes, whole.tempo, info.duration, whole.beats_per_bar)
    energies = [_energy(scenes, briefs, first, k) for k in range(len(first))]
    progress("brief", 1.0)
    lap("brief")
    piece = compose_piece(whole, briefs, beats, energies, request, progress=progress)
    lap("compose_master")
    return VideoResult(piece, info, scenes, first, readings, lap.timings)


def _middle(frames: Frames, scene: Scene):
    """The thumbnail nearest the middle of the scene."""
    mid = (scene.start + scene.end) / 2
    return min(frames.thumbs, key=lambda t: abs(t[0] - mid))[1]


def _energy(scenes: list[Scene], briefs, first: list[int], k: int) -> float:
    """A section's energy: its scenes' briefs and motion, weighted by their lengths."""
    end = first[k + 1] if k + 1 < len(first) else len(scenes)
    members = range(first[k], end)
    total = sum(scenes[i].length for i in members) or 1.0
    return sum(((1 - MOTION_SHARE) * briefs[i].energy + MOTION_SHARE * scenes[i].motion) * scenes[i].length
               for i in members) / total
