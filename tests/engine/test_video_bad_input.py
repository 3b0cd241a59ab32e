"""Bad video files get a clear InvalidVideo (what was wrong, what to do) and nothing is written."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from melodify.cli import main
from melodify.errors import InvalidVideo
from melodify.samples import photo_bytes
from melodify.video.probe import VideoLimits, probe
from melodify.video.scoring import score_video
from tests.videos import make_clip


def refusal(path) -> InvalidVideo:
    with pytest.raises(InvalidVideo) as caught:
        score_video(path)
    return caught.value


def test_a_renamed_photo_is_named_for_what_it_is(tmp_path):
    path = tmp_path / "holiday.mp4"
    path.write_bytes(photo_bytes("sunset"))
    err = refusal(path)
    assert err.code == "not_a_video" and "a JPEG image, not a video" in err.message


def test_an_audio_only_file_is_refused_as_audio_only(tmp_path):
    path = tmp_path / "song.m4a"
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=44100, layout="stereo")
        for at in range(0, 44100, 1024):
            frame = av.AudioFrame.from_ndarray(np.zeros((2, 1024), np.float32), format="fltp", layout="stereo")
            frame.sample_rate, frame.pts = 44100, at
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    assert refusal(path).code == "audio_only"


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    assert refusal(path).code == "empty_file"


def test_random_bytes_are_not_a_video(tmp_path):
    path = tmp_path / "noise.mkv"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    assert refusal(path).code == "not_a_video"


def test_a_truncated_file_is_refused_as_cut_short(tmp_path):
    whole = make_clip(tmp_path / "whole.mp4", seconds=4.0, cuts=())
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])   # the index (moov) is lost at the end
    err = refusal(cut)
    assert err.code == "corrupt_video" and "cut short" in err.message


def test_a_file_whose_frames_stop_early_is_refused_as_cut_short(tmp_path):
    whole = tmp_path / "fast.mp4"
    with av.open(str(whole), "w", options={"movflags": "faststart"}) as out:   # index first, frames after
        stream = out.add_stream("libx264", rate=24, options={"preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for n in range(24 * 6):
            noise = np.random.default_rng(n).integers(0, 256, (120, 160, 3), dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(noise, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    err = refusal(cut)
    assert err.code == "corrupt_video" and "cut short" in err.message


def test_an_hour_long_video_is_refused_by_its_declared_length_before_decoding(tmp_path):
    path = tmp_path / "hour.mp4"
    with av.open(str(path), "w") as out:     # two frames an hour apart: it declares an hour, holds nothing
        stream = out.add_stream("libx264", rate=24, options={"preset": "ultrafast"})
        stream.width = stream.height = 64
        stream.pix_fmt, stream.time_base = "yuv420p", Fraction(1, 1000)
        for pts in (0, 3_600_000):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            frame.pts, frame.time_base = pts, Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    err = refusal(path)
    assert err.code == "video_too_long" and "60:00" in err.message and "3:00" in err.message


def test_a_16k_frame_is_refused_by_its_declared_size(tmp_path):
    path = tmp_path / "wide.mkv"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mjpeg", rate=1)
        stream.width, stream.height, stream.pix_fmt = 15360, 16, "yuvj420p"
        frame = av.VideoFrame.from_ndarray(np.zeros((16, 15360, 3), np.uint8), format="rgb24")
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    err = refusal(path)
    assert err.code == "frame_too_large" and "15360x16" in err.message


def test_a_file_of_a_thousand_streams_is_refused_by_their_count(tmp_path):
    path = tmp_path / "streams.mkv"
    with av.open(str(path), "w") as out:    # PyAV's writer itself crashes past about 1000
        streams = [out.add_stream("pcm_s16le", rate=8000, layout="mono") for _ in range(1000)]
        for stream in streams:
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 80), np.int16), format="s16", layout="mono")
            frame.sample_rate, frame.pts = 8000, 0
            for packet in [*stream.encode(frame), *stream.encode(None)]:
                out.mux(packet)
    err = refusal(path)
    assert err.code == "too_many_streams" and "1000 streams" in err.message


def test_limits_are_settings(tmp_path, monkeypatch):
    clip = make_clip(tmp_path / "clip.mp4", seconds=3.0, cuts=())
    monkeypatch.setenv("MELODIFY_VIDEO_MAX_SECONDS", "2")
    assert VideoLimits.from_env().max_seconds == 2
    with pytest.raises(InvalidVideo, match="at most 2 s"):
        probe(clip)
    with pytest.raises(InvalidVideo) as caught:
        probe(clip, VideoLimits(max_bytes=1000))
    assert caught.value.code == "video_too_large"


def test_the_cli_says_what_was_wrong_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "clip.mp4"
    path.write_bytes(photo_bytes("forest"))
    out = tmp_path / "clip-scored.mp4"
    assert main(["score", str(path), "-o", str(out)]) == 2
    assert "not a video" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [path]
