"""A slideshow video: each photo on screen for its section, panning slowly across it, a crossfade on
each section change, the music muxed in (H.264 + AAC in MP4), at a size social apps take.

Speed decides the motion: each photo is scaled once, a little larger than the frame, and every frame
is a window sliding across it (a slice, no resampling per frame), in YUV so no colour conversion per
frame either. A zoom would cost a resample of every frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageOps

from ..contracts import Audio
from ..errors import InvalidOption
from ..video.mux import encode_audio

SIZES: dict[str, tuple[int, int]] = {"story": (1080, 1920), "square": (1080, 1080)}
FPS = 15
OVERSIZE = 1.12          # the photo is this much larger than the frame: the room it pans across
CROSSFADE = 0.6          # seconds


def check_size(name: str) -> tuple[int, int]:
    if name not in SIZES:
        raise InvalidOption(f"unknown slideshow size {name!r}; choose one of: "
                            + ", ".join(f"{k} ({w}x{h})" for k, (w, h) in SIZES.items()), code="invalid_size")
    return SIZES[name]


def render_slideshow(images: Sequence[Image.Image], starts: Sequence[float], music: Audio, out: str | Path, *,
                     size: str = "story", fps: int = FPS,
                     progress: Callable[[float], None] = lambda f: None) -> Path:
    """Write `out` (an MP4, atomically): photo i from starts[i] to the next start, the music over all."""
    width, height = check_size(size)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    duration = music.duration
    canvases = [_canvas(im, width, height) for im in images]
    bounds = list(starts[1:]) + [duration]
    frames = int(round(duration * fps))
    with av.open(str(tmp), "w", format="mp4") as target:
        # Measured on 1080x1920 pans: tune=stillimage costs 8% more, crf 26 halves the size of crf 23.
        video = target.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "crf": "26"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.thread_type = "AUTO"
        audio = target.add_stream("aac", rate=music.sample_rate, layout="stereo", options={"aac_coder": "fast"})
        for packet in encode_audio(audio, music.samples, music.sample_rate):
            target.mux(packet)
        for n in range(frames):
            t = n / fps
            i = next((k for k, end in enumerate(bounds) if t < end), len(bounds) - 1)
            picture = _window(canvases[i], i, t, starts[i], bounds[i], width, height)
            if i + 1 < len(canvases) and t > bounds[i] - CROSSFADE:      # fading into the next photo
                mix = (t - (bounds[i] - CROSSFADE)) / CROSSFADE
                nxt = _window(canvases[i + 1], i + 1, bounds[i], bounds[i], bounds[i + 1], width, height)
                picture = (picture * (1 - mix) + nxt * mix).astype(np.uint8)
            frame = av.VideoFrame.from_ndarray(picture, format="yuv420p")
            frame.pts, frame.time_base = n, Fraction(1, fps)
            for packet in video.encode(frame):
                target.mux(packet)
            if n % fps == 0:
                progress(n / frames)
        for packet in video.encode(None):
            target.mux(packet)
    tmp.replace(out)
    progress(1.0)
    return out


def _canvas(image: Image.Image, width: int, height: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The photo cover-fitted to OVERSIZE times the frame, as YUV 4:2:0 planes."""
    w, h = (round(width * OVERSIZE / 2) * 2, round(height * OVERSIZE / 2) * 2)
    fitted = ImageOps.fit(image.convert("RGB"), (w, h), Image.Resampling.LANCZOS)
    frame = av.VideoFrame.from_image(fitted).reformat(format="yuv420p")
    planes = []
    for k, (pw, ph) in enumerate(((w, h), (w // 2, h // 2), (w // 2, h // 2))):
        plane = frame.planes[k]
        planes.append(np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:ph, :pw].copy())
    return planes[0], planes[1], planes[2]


def _window(canvas, index: int, t: float, start: float, end: float, width: int, height: int) -> np.ndarray:
    """The frame at time t: a window moving from one corner of the canvas's slack to the other (the
    direction turns with each photo), as one (height * 3/2, width) yuv420p array."""
    y, u, v = canvas
    slack_x, slack_y = (y.shape[1] - width) // 2, (y.shape[0] - height) // 2     # in chroma pixels
    f = min(1.0, max(0.0, (t - start) / max(end - start, 1e-6)))
    f = f * f * (3 - 2 * f)                                                        # ease in and out
    if index % 2:
        f = 1 - f
    cx, cy = round(slack_x * f), round(slack_y * (1 - f) if index % 4 >= 2 else slack_y * f)
    out = np.empty((height * 3 // 2, width), np.uint8)
    out[:height] = y[2 * cy:2 * cy + height, 2 * cx:2 * cx + width]
    quarter = height // 4
    out[height:height + quarter] = u[cy:cy + height // 2, cx:cx + width // 2].reshape(quarter, width)
    out[height + quarter:] = v[cy:cy + height // 2, cx:cx + width // 2].reshape(quarter, width)
    return out
