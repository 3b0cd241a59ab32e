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
from ..suite import PieceResult, compose_piece, merged_reading, read_pictures, write_briefs
from .frames import Frames, read_frames
from .plan import scene_beats, video_tempo
from .probe import VideoInfo, VideoLimits, probe
from .scenes import Scene, find_scenes

MOTION_SHARE = 0.5      # a scene's energy: half its picture's brief, half how much moves in it
FRAMES_PER_SCENE = 3    # read at a quarter, half and three quarters of each scene...
MAX_READS = 24          # ...but no more frames than this in all (a model reader pays per frame)
MIDDLE_WEIGHT = 2.0     # the middle frame counts double, and its caption is the scene's


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
    per_scene = max(1, min(FRAMES_PER_SCENE, MAX_READS // len(scenes)))
    picked = [_frames_of(frames, s, per_scene) for s in scenes]
    read = read_pictures([image for images in picked for image in images], request,
                         progress=lambda _, f: progress("read", 0.6 + 0.4 * f))
    weights = [MIDDLE_WEIGHT if k == per_scene // 2 else 1.0 for k in range(per_scene)]
    readings = [merged_reading(read[i * per_scene:(i + 1) * per_scene], weights) for i in range(len(scenes))]
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


def _frames_of(frames: Frames, scene: Scene, count: int) -> list:
    """`count` thumbnails spread through the scene (one: its middle)."""
    times = [scene.start + scene.length * (k + 1) / (count + 1) for k in range(count)]
    return [min(frames.thumbs, key=lambda t: abs(t[0] - at))[1] for at in times]


def _energy(scenes: list[Scene], briefs, first: list[int], k: int) -> float:
    """A section's energy: its scenes' briefs and motion, weighted by their lengths."""
    end = first[k + 1] if k + 1 < len(first) else len(scenes)
    members = range(first[k], end)
    total = sum(scenes[i].length for i in members) or 1.0
    return sum(((1 - MOTION_SHARE) * briefs[i].energy + MOTION_SHARE * scenes[i].motion) * scenes[i].length
               for i in members) / total
