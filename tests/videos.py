"""Real video files made with PyAV for the tests and the bench: moving shapes, hard cuts where asked,
sound, rotation metadata or a variable frame rate where asked."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

# Each scene: (background RGB, shapes, speed): a dark still scene, a bright busy one, a grey calm one.
SCENES = (((20, 30, 90), 1, 0.2), ((250, 200, 40), 6, 3.0), ((120, 120, 120), 2, 0.5))


def make_clip(path: str | Path, *, seconds: float = 12.0, size: tuple[int, int] = (320, 240), fps: int = 24,
              cuts: tuple[float, ...] = (4.0, 8.0), codec: str = "libx264", sound: bool = False,
              rotation: int = 0, variable_rate: bool = False, container: str | None = None) -> Path:
    """Write a clip of moving squares whose scene changes at each cut; return its path."""
    path = Path(path)
    width, height = size
    with av.open(str(path), "w", format=container) as out:
        options = {"preset": "ultrafast"} if codec == "libx264" else {}
        video = out.add_stream(codec, rate=fps, options=options)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if variable_rate:
            video.time_base = Fraction(1, 1000)
        if rotation:
            video.set_display_rotation(rotation)
        audio = out.add_stream("aac", rate=44100, layout="stereo") if sound else None
        t, n, ticks = 0.0, 0, 0
        while t < seconds - 1e-9:
            frame = av.VideoFrame.from_ndarray(_picture(t, width, height, cuts), format="rgb24")
            if variable_rate:       # frames 1/fps or 2/fps apart, as a phone drops frames in low light
                frame.pts, frame.time_base = round(t * 1000), Fraction(1, 1000)
            for packet in video.encode(frame):
                out.mux(packet)
            n += 1
            ticks += 2 if variable_rate and n % 3 == 0 else 1
            t = ticks / fps
        for packet in video.encode(None):
            out.mux(packet)
        if audio is not None:
            _tone(out, audio, seconds)
    return path


def _picture(t: float, width: int, height: int, cuts: tuple[float, ...]) -> np.ndarray:
    scene = sum(t >= c for c in cuts) % len(SCENES)
    background, shapes, speed = SCENES[scene]
    img = np.empty((height, width, 3), np.uint8)
    img[:] = background
    side = max(8, min(width, height) // 5)
    for k in range(shapes):
        x = int((width - side) * (0.5 + 0.5 * np.sin(speed * t * (1 + 0.3 * k) + k)))
        y = int((height - side) * (0.5 + 0.5 * np.cos(speed * t * (1.2 + 0.2 * k) + 2 * k)))
        img[y:y + side, x:x + side] = (255 - background[0], 255 - background[1], (60 * k) % 256)
    return img


def _tone(out, stream, seconds: float) -> None:
    rate = stream.rate
    n = int(seconds * rate)
    wave = (0.3 * np.sin(2 * np.pi * 440 * np.arange(n) / rate)).astype(np.float32)
    planar = np.stack([wave, wave])
    for at in range(0, n, 1024):
        frame = av.AudioFrame.from_ndarray(planar[:, at:at + 1024], format="fltp", layout="stereo")
        frame.sample_rate, frame.pts = rate, at
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)


def video_packets(path: str | Path) -> list[bytes]:
    """The bytes of every packet of the first video stream, in order."""
    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux(c.streams.video[0]) if p.size]


def stream_seconds(path: str | Path, kind: str) -> float:
    with av.open(str(path)) as c:
        s = c.streams.video[0] if kind == "video" else c.streams.audio[0]
        return float(s.duration * s.time_base)


def decoded_audio(path: str | Path, rate: int = 22050) -> np.ndarray:
    """The first audio stream as mono float32 at `rate`."""
    with av.open(str(path)) as c:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        chunks = []
        for frame in c.decode(c.streams.audio[0]):
            chunks += [f.to_ndarray().ravel() for f in resampler.resample(frame)]
        chunks += [f.to_ndarray().ravel() for f in resampler.resample(None)]
    return np.concatenate(chunks)
