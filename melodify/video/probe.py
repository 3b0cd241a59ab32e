"""What a video file is, read from its headers, and whether we take it: the limits are settings.

Everything is decided before a frame is decoded: an hour-long file is refused by its declared length,
a 16K frame by its declared size, a file of thousands of streams by their count. Every refusal is an
InvalidVideo with its own `code`: empty_file, video_too_large, not_a_video, audio_only, too_many_streams,
video_too_long, video_too_short, frame_too_large, corrupt_video.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import av

from ..errors import InvalidVideo
from ..read.sniff import describe_bytes

ACCEPTED_WORDS = "an MP4, MOV, WebM or MKV video"
CONTAINERS = frozenset({"mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm"})   # FFmpeg's names
MAX_STREAMS = 16           # a phone video has two; thousands is an attack on the demuxer
MIN_SECONDS = 1.0


@dataclass(frozen=True)
class VideoLimits:
    max_bytes: int = 200 * 1024 * 1024
    max_seconds: float = 180.0
    max_side: int = 4096           # 4K (DCI); the shorter side at most 9/16 of it

    @classmethod
    def from_env(cls) -> VideoLimits:
        env = os.environ.get
        return cls(max_bytes=int(float(env("MELODIFY_VIDEO_MAX_MB", "200")) * 1024 * 1024),
                   max_seconds=float(env("MELODIFY_VIDEO_MAX_SECONDS", "180")),
                   max_side=int(env("MELODIFY_VIDEO_MAX_SIDE", "4096")))

    def words(self) -> str:
        return (f"at most {self.max_bytes // (1024 * 1024)} MB, {self.max_seconds:g} seconds long and "
                f"{self.max_side}x{self.max_side * 9 // 16} pixels")


@dataclass(frozen=True)
class VideoInfo:
    width: int                 # as shown: rotation applied
    height: int
    rotation: int              # degrees counter-clockwise the picture is turned for display
    duration: float            # seconds, as declared
    fps: float                 # average; variable frame rate is fine (frames carry their own times)
    codec: str
    container: str
    has_audio: bool
    size: int                  # bytes


def probe(path: str | Path, limits: VideoLimits | None = None) -> VideoInfo:
    limits = limits or VideoLimits.from_env()
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise InvalidVideo("the file is empty (0 bytes); choose a video file", code="empty_file")
    if size > limits.max_bytes:
        raise InvalidVideo(f"the video is {size / 1024 / 1024:.0f} MB; send one of {limits.words()}",
                           code="video_too_large")
    with path.open("rb") as f:
        head = f.read(64)
    what = "an MP4/MOV video" if head[4:8] == b"ftyp" else describe_bytes(head)[0]
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            return _inspect(container, size, limits, what)
    except InvalidVideo:
        raise
    except (av.FFmpegError, ValueError, OSError, UnicodeDecodeError):
        if what and "video" in what:
            raise InvalidVideo(f"this file starts as {what} but cannot be read: it is damaged or cut short; "
                               "send the whole file again", code="corrupt_video") from None
        raise _not_a_video(what, "FFmpeg finds no video in it") from None


def _inspect(container, size: int, limits: VideoLimits, what: str | None) -> VideoInfo:
    names = set(container.format.name.split(","))
    if not names & CONTAINERS:
        raise _not_a_video(what, f"it is a {container.format.long_name or container.format.name} file")
    streams = container.streams
    if len(streams) > MAX_STREAMS:
        raise InvalidVideo(f"the file has {len(streams)} streams; a video has a few (at most {MAX_STREAMS})",
                           code="too_many_streams")
    if not streams.video:
        if streams.audio:
            raise InvalidVideo("the file has sound but no picture (an audio-only file); choose a video, "
                               "or make music from a photo instead", code="audio_only")
        raise _not_a_video(what, "it has no video stream")
    stream = streams.video[0]
    duration = _declared_seconds(container, stream)
    if duration is None or duration <= 0:
        raise InvalidVideo("the video declares no length (an empty or unfinished recording?); "
                           "re-save it and try again", code="video_too_short")
    if duration > limits.max_seconds:
        raise InvalidVideo(f"the video is {_clock(duration)} long; send one of at most "
                           f"{_clock(limits.max_seconds)} (trim it first)", code="video_too_long")
    if duration < MIN_SECONDS:
        raise InvalidVideo(f"the video is {duration:.2f} s long; send one of at least {MIN_SECONDS:g} s",
                           code="video_too_short")
    width, height = stream.codec_context.width, stream.codec_context.height
    if not width or not height:
        raise InvalidVideo("the video stream declares no frame size; the file looks corrupt", code="corrupt_video")
    if max(width, height) > limits.max_side or min(width, height) > limits.max_side * 9 // 16:
        raise InvalidVideo(f"the video is {width}x{height} pixels; send one of at most "
                           f"{limits.max_side}x{limits.max_side * 9 // 16} (4K)", code="frame_too_large")
    rotation = _rotation(container, stream)
    if rotation % 180:
        width, height = height, width
    fps = float(stream.average_rate or stream.guessed_rate or 0) or 30.0
    return VideoInfo(width, height, rotation, duration, fps, stream.codec_context.name,
                     container.format.name, bool(streams.audio), size)


def _declared_seconds(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def _rotation(container, stream) -> int:
    """The display rotation: read from the first frame's display matrix (FFmpeg puts the stream's there)."""
    try:
        for frame in container.decode(stream):
            return int(round(frame.rotation or 0)) % 360
    except av.FFmpegError:
        raise InvalidVideo("the video's first frame cannot be decoded; the file is corrupt or cut short",
                           code="corrupt_video") from None
    raise InvalidVideo("the video has no frames that decode; the file is corrupt or cut short",
                       code="corrupt_video")


def _not_a_video(what: str | None, why: str) -> InvalidVideo:
    if what and "video" not in what:        # a renamed photo, song or document: say what it really is
        return InvalidVideo(f"this file is {what}, not a video; choose {ACCEPTED_WORDS}", code="not_a_video")
    return InvalidVideo(f"this file is not a video we can read: {why}; choose {ACCEPTED_WORDS}",
                        code="not_a_video")


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}" if minutes else f"{seconds:.0f} s"
