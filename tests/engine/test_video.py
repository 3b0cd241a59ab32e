"""A real clip made with PyAV (moving squares, two hard cuts) scored end to end: the picture is copied
packet for packet, the music lasts the video, and the music's section changes are heard at the cuts."""

from __future__ import annotations

import numpy as np
import pytest

from melodify.compose.arrangement import plan_scenes
from melodify.pipeline import export
from melodify.request import Request
from melodify.video.frames import read_frames
from melodify.video.mux import mux_soundtrack
from melodify.video.probe import probe
from melodify.video.scenes import find_scenes
from melodify.video.scoring import score_video
from tests.videos import decoded_audio, make_clip, stream_seconds, video_packets

try:
    import librosa
except ImportError as exc:   # fail, naming the fix, rather than skip
    raise ImportError(f"the video tests need librosa ({exc}); pip install -e '.[test]'") from None

CUTS = (4.0, 8.0)
SR, HOP = 22050, 512


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("video") / "clip.mp4", seconds=12.0, cuts=CUTS, sound=True)


@pytest.fixture(scope="module")
def scored(clip):
    result = score_video(clip, Request(genre="pop"))
    out = mux_soundtrack(clip, result.performance.audio, clip.with_name("clip-scored.mp4"))
    return result, out


def test_cuts_are_found_where_the_clip_cuts(clip):
    info = probe(clip)
    scenes = find_scenes(read_frames(clip, info), info.duration)
    assert [s.cut for s in scenes] == [False, True, True]
    assert [round(s.start, 2) for s in scenes[1:]] == list(CUTS)
    busy, still = scenes[1].motion, scenes[2].motion
    assert busy > 0.5 > 0.1 > still


def test_the_scored_video_stream_is_the_input_stream_packet_for_packet(clip, scored):
    _, out = scored
    original, copied = video_packets(clip), video_packets(out)
    assert len(original) > 100
    assert copied == original


def test_the_soundtrack_lasts_exactly_as_long_as_the_video(clip, scored):
    result, out = scored
    assert result.performance.audio.duration == pytest.approx(12.0, abs=1e-3)
    assert stream_seconds(out, "audio") == pytest.approx(stream_seconds(out, "video"), abs=0.05)
    heard = len(decoded_audio(out)) / SR
    assert heard == pytest.approx(12.0, abs=0.05)


def test_section_changes_are_heard_within_one_beat_of_each_cut(scored):
    result, out = scored
    beat = 60.0 / result.piece.brief.tempo
    y = decoded_audio(out, SR)
    peaks = novelty_peaks(y, count=len(result.piece.plan) - 1)
    for cut in CUTS:
        nearest = min(peaks, key=lambda t: abs(t - cut))
        assert abs(nearest - cut) <= beat, (cut, peaks, beat)


def test_each_cut_starts_a_section_on_the_beat_nearest_it(scored):
    result, _ = scored
    beat = 60.0 / result.piece.brief.tempo
    for start, cut in zip(result.piece.starts[1:], CUTS):
        assert abs(start - cut) <= beat / 2 + 1e-6
        assert (start / beat) == pytest.approx(round(start / beat), abs=1e-3)


def test_the_busy_scene_plays_fuller_than_the_still_ones(scored):
    result, _ = scored
    plan = [s for s in result.piece.plan if s.kind in ("A", "B")]
    assert [s.kind for s in plan] == ["A", "B", "A"]
    assert plan[1].roles is None and "drums" not in plan[0].roles
    assert plan[1].level > plan[0].level


def test_one_key_and_tempo_for_the_whole_and_a_brief_per_scene(scored):
    result, _ = scored
    assert len(result.piece.briefs) == len(result.scenes) == 3
    assert {b.genre for b in result.piece.briefs} == {"pop"}
    score = result.performance.score
    assert (score.tempo, score.key) == (result.piece.brief.tempo, result.piece.brief.key)


def test_the_soundtrack_alone_exports_as_mp3_wav_and_midi(scored):
    result, _ = scored
    assert export(result, "mp3")[:2] == b"\xff\xfb"
    assert export(result, "wav")[:4] == b"RIFF"
    assert export(result, "midi")[:4] == b"MThd"


def test_the_original_sound_is_dropped_or_kept_underneath_at_the_level_asked(clip, scored, tmp_path):
    result, dropped = scored
    kept = mux_soundtrack(clip, result.performance.audio, tmp_path / "kept.mp4", original_level=0.8)
    assert video_packets(kept) == video_packets(clip)
    assert tone_share(decoded_audio(kept)) > 3 * tone_share(decoded_audio(dropped))


def test_a_rotated_phone_video_is_read_upright_and_keeps_its_rotation(tmp_path):
    clip = make_clip(tmp_path / "phone.mp4", seconds=3.0, size=(320, 240), cuts=(), rotation=90)
    info = probe(clip)
    assert (info.width, info.height, info.rotation) == (240, 320, 90)
    assert read_frames(clip, info).thumbs[0][1].size[1] > read_frames(clip, info).thumbs[0][1].size[0]
    result = score_video(clip)
    out = mux_soundtrack(clip, result.performance.audio, tmp_path / "phone-scored.mp4")
    assert probe(out).rotation == 90


def test_a_variable_frame_rate_video_is_scored_to_its_length(tmp_path):
    clip = make_clip(tmp_path / "vfr.mp4", seconds=6.0, cuts=(3.0,), variable_rate=True)
    info = probe(clip)
    result = score_video(clip, Request(genre="rock"))
    assert result.performance.audio.duration == pytest.approx(info.duration, abs=1e-3)
    assert [round(s.start, 1) for s in result.scenes[1:]] == [3.0]


def test_a_webm_video_is_scored_as_webm_with_opus(tmp_path):
    clip = make_clip(tmp_path / "clip.webm", seconds=3.0, cuts=(), codec="libvpx-vp9", container="webm")
    result = score_video(clip)
    out = mux_soundtrack(clip, result.performance.audio, tmp_path / "clip-scored.webm")
    assert video_packets(out) == video_packets(clip)
    import av
    with av.open(str(out)) as c:
        assert c.streams.audio[0].codec_context.name == "opus"


def test_plan_scenes_ends_short_sections_on_short_bars():
    plan = plan_scenes([21, 17, 30], [0.2, 0.8, 0.5], 4)
    assert [s.name for s in plan] == ["intro", "A", "B", "A'", "outro"]
    beats = [(s.bars * 4 - s.short) for s in plan[:-1]]
    assert [beats[0] + beats[1], beats[2], beats[3] + 4] == [21, 17, 30]


def novelty_peaks(y: np.ndarray, *, count: int) -> list[float]:
    """The `count` strongest section changes heard: Foote's checkerboard novelty over the self-similarity
    of MFCCs and loudness (kernel about a bar wide), as music structure analysis finds them."""
    feats = np.vstack([librosa.feature.mfcc(y=y, sr=SR, hop_length=HOP, n_mfcc=13),
                       librosa.power_to_db(librosa.feature.rms(y=y, hop_length=HOP) ** 2)])
    feats = (feats - feats.mean(1, keepdims=True)) / (feats.std(1, keepdims=True) + 1e-9)
    unit = feats / (np.linalg.norm(feats, axis=0) + 1e-9)
    similarity = unit.T @ unit
    half = int(1.2 * SR / HOP)
    offsets = np.arange(-half, half) + 0.5
    taper = np.exp(-2 * (offsets / half) ** 2)
    kernel = np.outer(np.sign(offsets) * taper, np.sign(offsets) * taper)
    novelty = np.zeros(similarity.shape[0])
    for i in range(half, len(novelty) - half):
        novelty[i] = (similarity[i - half:i + half, i - half:i + half] * kernel).sum()
    peaks = librosa.util.peak_pick(novelty, pre_max=half, post_max=half, pre_avg=half, post_avg=half,
                                   delta=0, wait=half)
    strongest = sorted(peaks, key=lambda i: -novelty[i])[:count]
    return [float(t) for t in librosa.frames_to_time(strongest, sr=SR, hop_length=HOP)]


def tone_share(y: np.ndarray) -> float:
    """How much of the sound is the clip's own 440 Hz tone."""
    spectrum = np.abs(np.fft.rfft(y))
    freqs = np.fft.rfftfreq(len(y), 1 / SR)
    return float(spectrum[(freqs > 435) & (freqs < 445)].sum() / spectrum.sum())
