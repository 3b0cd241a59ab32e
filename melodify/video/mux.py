"""The soundtrack into the video: the video stream's packets copied as they are (never re-encoded),
the music encoded beside them, the original sound dropped or kept underneath at a chosen level."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from ..contracts import Audio

AAC_FRAME = 1024
# Our container for each video codec: what can carry it with the audio codec that goes with it.
WEBM_CODECS = frozenset({"vp8", "vp9", "av1"})
MP4_CODECS = frozenset({"h264", "hevc", "mpeg4", "av1", "vp9", "mjpeg"})


def output_format(codec: str) -> str:
    """'mp4', 'webm' or 'mkv': the file type a scored video of this codec is written as."""
    return "mp4" if codec in MP4_CODECS else ("webm" if codec in WEBM_CODECS else "mkv")


def mux_soundtrack(video: str | Path, music: Audio, out: str | Path, *, original_level: float = 0.0) -> Path:
    """Write `out` (atomically): `video`'s picture, `music` as its sound, and its own sound at
    `original_level` (0: dropped, 1: as loud as it was) underneath."""
    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    fmt = {"mp4": "mp4", "webm": "webm", "mkv": "matroska"}[out.suffix.lower().lstrip(".")]
    with av.open(str(video), metadata_errors="ignore") as source:
        samples = music.samples
        if original_level > 0 and source.streams.audio:
            samples = _mix(samples, _decoded_audio(source, music.sample_rate, len(samples)), original_level)
            source.seek(0)
        vin = source.streams.video[0]
        with av.open(str(tmp), "w", format=fmt) as target:
            vout = target.add_stream_from_template(vin)
            codec = "libopus" if fmt == "webm" else "aac"
            rate = 48000 if codec == "libopus" else music.sample_rate
            aout = target.add_stream(codec, rate=rate, layout="stereo",
                                     options={"aac_coder": "fast"} if codec == "aac" else {})   # twoloop: 4x slower
            audio_packets = encode_audio(aout, samples, music.sample_rate)
            pending = 0
            for packet in source.demux(vin):
                if packet.dts is None:
                    continue
                at = float(packet.dts * packet.time_base)
                while pending < len(audio_packets) and _time(audio_packets[pending]) <= at:
                    target.mux(audio_packets[pending])
                    pending += 1
                packet.stream = vout
                target.mux(packet)
            for packet in audio_packets[pending:]:
                target.mux(packet)
    tmp.replace(out)
    return out


def _time(packet: av.Packet) -> float:
    return float(packet.pts * packet.time_base) if packet.pts is not None else 0.0


def encode_audio(stream, samples: np.ndarray, rate: int) -> list[av.Packet]:
    """All the music's packets up front (a few hundred small ones), to interleave with the video's."""
    resampler = av.AudioResampler(format=stream.format.name, layout="stereo", rate=stream.rate)
    planar = np.ascontiguousarray(samples.T.astype(np.float32))
    packets: list[av.Packet] = []
    for at in range(0, planar.shape[1], AAC_FRAME):
        frame = av.AudioFrame.from_ndarray(planar[:, at:at + AAC_FRAME], format="fltp", layout="stereo")
        frame.sample_rate, frame.pts, frame.time_base = rate, at, Fraction(1, rate)
        for piece in resampler.resample(frame):
            packets += stream.encode(piece)
    for piece in resampler.resample(None):
        packets += stream.encode(piece)
    packets += stream.encode(None)
    return packets


def _decoded_audio(source, rate: int, frames: int) -> np.ndarray:
    """The video's own sound as (frames, 2) float32 at `rate`, cut or padded to `frames`."""
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=rate)
    chunks = []
    try:
        for frame in source.decode(source.streams.audio[0]):
            chunks += [f.to_ndarray() for f in resampler.resample(frame)]
    except av.FFmpegError:
        pass            # a damaged tail of sound: keep what decoded
    chunks += [f.to_ndarray() for f in resampler.resample(None)]
    sound = np.concatenate(chunks, axis=1).T if chunks else np.zeros((0, 2), np.float32)
    out = np.zeros((frames, 2), np.float32)
    out[:min(frames, len(sound))] = sound[:frames]
    return out


def _mix(music: np.ndarray, original: np.ndarray, level: float) -> np.ndarray:
    mixed = music + level * original
    peak = float(np.abs(mixed).max()) if mixed.size else 0.0
    return mixed / peak * 0.98 if peak > 0.98 else mixed
