"""The frames the analysis needs, decoded cheaply: reference frames only (B-frames skipped), the luma
plane read in place and subsampled (no colour conversion), colour thumbnails a few times a second for
the reader. Rotation metadata is applied, so a phone video is read upright."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from PIL import Image

from ..errors import InvalidVideo
from .probe import VideoInfo

LUMA_WIDTH = 64            # columns kept for cut and motion measures
LUMA_FPS = 30.0            # luma samples per second, at most (cheap: a slice of a plane already decoded)
THUMB_FPS = 2.0            # colour thumbnails per second, at most
THUMB_SIDE = 256
COMPLETE = 0.9             # frames must reach this share of the declared length, or the file is cut short


@dataclass
class Frames:
    times: np.ndarray              # (n,) seconds
    luma: np.ndarray               # (n, h, w) uint8, upright
    thumbs: list[tuple[float, Image.Image]]   # (seconds, RGB image), upright


def read_frames(path: str | Path, info: VideoInfo, progress: Callable[[float], None] = lambda f: None) -> Frames:
    times: list[float] = []
    lumas: list[np.ndarray] = []
    thumbs: list[tuple[float, Image.Image]] = []
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            stream.codec_context.skip_frame = "NONREF"
            # No deblocking, fast (non spec-exact) decoding: the analysis reads 64-pixel-wide luma.
            stream.codec_context.options = {"skip_loop_filter": "all", "flags2": "fast"}
            start = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                t = float(frame.pts * stream.time_base) - start
                if times and t - times[-1] < 1 / LUMA_FPS - 1e-3:
                    continue
                times.append(t)
                lumas.append(_luma(frame, info.rotation))
                if not thumbs or t - thumbs[-1][0] >= 1 / THUMB_FPS - 1e-3:
                    thumbs.append((t, _thumb(frame, info.rotation)))
                    progress(min(1.0, t / info.duration))
    except av.FFmpegError as exc:
        if not times:
            raise InvalidVideo(f"the video cannot be decoded ({exc}); the file is corrupt", code="corrupt_video") from None
    if not times or times[-1] < COMPLETE * info.duration - 1.0:
        reached = times[-1] if times else 0.0
        raise InvalidVideo(f"the video stops at {reached:.1f} s of the {info.duration:.1f} s it declares; the "
                           "file is cut short or corrupt: send the whole file", code="corrupt_video")
    return Frames(np.array(times), np.stack(lumas), thumbs)


def _luma(frame: av.VideoFrame, rotation: int) -> np.ndarray:
    step = max(1, frame.width // LUMA_WIDTH)
    if frame.format.name.startswith(("yuv", "yuvj", "nv12", "nv21")):
        plane = frame.planes[0]
        rows = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
        small = rows[:frame.height:step, :frame.width:step]
    else:
        small = frame.reformat(width=frame.width // step, height=frame.height // step, format="gray", interpolation="AREA").to_ndarray()
    return _upright(small, rotation)


def _thumb(frame: av.VideoFrame, rotation: int) -> Image.Image:
    scale = THUMB_SIDE / max(frame.width, frame.height)
    rgb = frame.reformat(width=max(2, round(frame.width * scale)), height=max(2, round(frame.height * scale)),
                         format="rgb24", interpolation="AREA").to_ndarray()
    return Image.fromarray(_upright(rgb, rotation))


def _upright(a: np.ndarray, rotation: int) -> np.ndarray:
    """Turn counter-clockwise by the display rotation (FFmpeg's convention)."""
    return np.ascontiguousarray(np.rot90(a, k=(rotation // 90) % 4))
