"""render_score plays a Score on the real FluidSynth with the real GM SoundFont."""

import subprocess
import sys

import numpy as np
import pytest

from melodify.compose import render
from melodify.compose.render import render_score
from melodify.compose.soundfont import bundled_soundfont, find_soundfont
from melodify.contracts import Note, Part, Score
from melodify.errors import InvalidOption, NotConfigured
from melodify.instruments import KITS

RATE = 44100


def band(duration: float = 4.0) -> Score:
    """Piano chords, bass, lead and drums: enough voices to exercise reverb, chorus and stealing."""
    beat = 0.5
    chords = Part("chords", 0, volume=90, pan=40, notes=[])
    bass = Part("bass", 33, notes=[])
    lead = Part("lead", 73, pan=90, reverb=70, notes=[])
    drums = Part("drums", KITS["standard"].program, is_drum=True, notes=[])
    for b in range(int(duration / beat)):
        t = b * beat
        if b % 4 == 0:
            chords.notes += [Note(p, 75, t, t + 4 * beat) for p in (60, 64, 67)]
        bass.notes.append(Note(36, 95, t, t + beat * 0.9))
        lead.notes.append(Note(72 + (b % 5), 85, t, t + beat))
        drums.notes += [Note(36 if b % 2 == 0 else 38, 110, t, t + 0.1), Note(42, 70, t, t + 0.05)]
    return Score(tempo=120, beats_per_bar=4, key="C", mode="major", duration=duration,
                 parts=[chords, bass, lead, drums])


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_a_piano_note_renders_non_silent_stereo_float32():
    score = Score(120, 4, "C", "major", 2.0, parts=[Part("piano", 0, notes=[Note(60, 100, 0.0, 1.0)])])
    audio, name = render_score(score)
    assert name == find_soundfont().name
    assert audio.sample_rate == RATE and audio.samples.dtype == np.float32 and audio.channels == 2
    assert audio.duration >= 2.0                          # the score's length, and a release tail
    left, right = audio.samples[:RATE, 0], audio.samples[:RATE, 1]
    assert rms(left) > 0.01 and rms(right) > 0.01
    assert not np.array_equal(left, right)                # FluidR3's piano is a stereo sample
    assert np.isfinite(audio.samples).all()


def test_pan_cc10_moves_a_part_left():
    # A mono-sampled bass with no reverb send (piano samples are stereo, so pan only narrows them).
    score = Score(120, 4, "C", "major", 1.0, parts=[Part("bass", 33, pan=0, reverb=0,
                                                         notes=[Note(40, 100, 0.0, 1.0)])])
    audio, _ = render_score(score)
    assert rms(audio.samples[:RATE, 0]) > 4 * rms(audio.samples[:RATE, 1])


def test_a_note_rings_on_after_its_note_off_but_dies_in_the_tail():
    score = Score(120, 4, "C", "major", 0.5, parts=[Part("piano", 0, notes=[Note(60, 100, 0.0, 0.5)])])
    audio, _ = render_score(score)
    assert audio.duration >= 0.5 + render.TAIL - 0.01
    end = audio.samples[-RATE // 10:]
    assert rms(end) < 0.05 * rms(audio.samples[: RATE // 2])


def test_drums_on_channel_10_play_percussive_onsets():
    hits = [Note(38, 120, t, t + 0.05) for t in (0.0, 0.5, 1.0, 1.5)]
    score = Score(120, 4, "C", "major", 2.0,
                  parts=[Part("drums", KITS["standard"].program, is_drum=True, notes=hits)])
    audio, _ = render_score(score)
    envelope = np.abs(audio.samples).max(axis=1)
    window = RATE // 100                                   # 10 ms
    for t in (0.0, 0.5, 1.0, 1.5):
        at = int(t * RATE)
        attack = envelope[at: at + 2 * window].max()
        before = envelope[max(0, at - 3 * window): max(1, at - window)].max() if at else 0.0
        later = envelope[at + 30 * window: at + 40 * window].max()
        assert attack > 0.05, f"no snare hit at {t} s"
        assert attack > 4 * before and attack > 4 * later, f"hit at {t} s is not an onset"


def test_drum_kits_sound_different_from_each_other_and_from_a_melodic_channel():
    def play(program: int, is_drum: bool) -> np.ndarray:
        part = Part("p", program, is_drum=is_drum, notes=[Note(38, 110, 0.0, 0.3), Note(42, 90, 0.5, 0.6)])
        return render_score(Score(120, 4, "C", "major", 1.0, parts=[part]))[0].samples

    standard, brush = play(KITS["standard"].program, True), play(KITS["brush"].program, True)
    piano = play(0, False)
    assert rms(standard - brush) > 0.1 * rms(standard)
    assert rms(standard - piano[: len(standard)]) > 0.1 * rms(standard)


def test_same_score_renders_byte_identical_twice_and_after_another_score():
    first, _ = render_score(band())
    render_score(Score(100, 4, "A", "minor", 3.0, parts=[Part("pad", 89, notes=[Note(57, 100, 0.0, 3.0)])]))
    second, _ = render_score(band())
    assert first.samples.tobytes() == second.samples.tobytes()


def test_render_is_byte_identical_in_a_fresh_process():
    here, _ = render_score(band())
    code = ("import sys, hashlib; sys.path.insert(0, %r); import test_render as t; "
            "from melodify.compose.render import render_score; "
            "print(hashlib.sha256(render_score(t.band())[0].samples.tobytes()).hexdigest())") % str(
        __import__("pathlib").Path(__file__).parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import hashlib
    assert out.stdout.strip() == hashlib.sha256(here.samples.tobytes()).hexdigest()


def test_the_bundled_soundfont_plays_too():
    score = Score(120, 4, "C", "major", 1.0, parts=[Part("piano", 0, notes=[Note(60, 100, 0.0, 0.5)])])
    audio, name = render_score(score, soundfont=str(bundled_soundfont()))
    assert name == "TimGM6mb.sf2"
    assert rms(audio.samples) > 0.005


def test_an_empty_score_renders_silence_of_its_length():
    audio, _ = render_score(Score(120, 4, "C", "major", 3.0, parts=[Part("lead", 0)]))
    assert audio.samples.shape[0] >= 3 * RATE
    assert np.abs(audio.samples).max() < 1e-6            # FluidSynth's reverb idles at ~1e-8, not 0


def test_a_missing_soundfont_path_is_named_in_the_error(tmp_path):
    missing = tmp_path / "nope.sf2"
    with pytest.raises(InvalidOption, match="nope.sf2"):
        render_score(band(1.0), soundfont=str(missing))


def test_soundfont_env_var_is_used_and_a_bad_one_is_a_set_up_error(monkeypatch, tmp_path):
    monkeypatch.setenv("MELODIFY_SOUNDFONT", str(bundled_soundfont()))
    assert find_soundfont() == bundled_soundfont()
    assert find_soundfont("/usr/share/sounds/sf2/FluidR3_GM.sf2").name == "FluidR3_GM.sf2"
    monkeypatch.setenv("MELODIFY_SOUNDFONT", str(tmp_path / "gone.sf2"))
    with pytest.raises(NotConfigured, match="gone.sf2"):   # never retried: it fails the same every time
        find_soundfont()


def test_system_gm_font_is_preferred_when_nothing_is_set(monkeypatch):
    monkeypatch.delenv("MELODIFY_SOUNDFONT", raising=False)
    assert find_soundfont() == __import__("pathlib").Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"), \
        "this test machine should have Debian's fluid-soundfont-gm installed"


def test_missing_libfluidsynth_names_the_install_command():
    # A real import failure: a child process where libfluidsynth cannot be found.
    code = ("import ctypes.util; ctypes.util.find_library = lambda name: None\n"
            "from melodify.compose.render import load_fluidsynth\n"
            "from melodify.errors import NotConfigured\n"
            "try:\n    load_fluidsynth()\nexcept NotConfigured as e:\n    print(e.message)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "apt-get install libfluidsynth3" in out.stdout
    assert "brew install fluid-synth" in out.stdout


def test_renders_from_two_threads_at_once_match_a_lone_render():
    from concurrent.futures import ThreadPoolExecutor

    alone = render_score(band(2.0))[0].samples.tobytes()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: render_score(band(2.0))[0].samples.tobytes(), range(4)))
    assert all(r == alone for r in results)
