"""The `melodify` command as a user runs it: a real process, real files, real decoders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from melodify.genres import GENRE_NAMES
from melodify.samples import photo_bytes


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "melodify", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture()
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "beach.jpg"
    path.write_bytes(photo_bytes("sunny-beach"))
    return path


def test_compose_writes_audio_and_midi_and_prints_reading_and_brief(tmp_path, photo):
    proc = run("compose", str(photo), "-o", "song.mp3", "--midi", "song.mid", "--duration", "6", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Photo" in proc.stdout and "Brief" in proc.stdout and "bpm" in proc.stdout
    data, rate = sf.read(tmp_path / "song.mp3")
    assert rate == 44100 and data.shape[1] == 2
    assert abs(len(data) / rate - 6.0) < 0.06
    assert (tmp_path / "song.mid").read_bytes()[:4] == b"MThd"


def test_json_output_is_machine_readable(tmp_path, photo):
    proc = run("compose", str(photo), "-o", "song.wav", "--json", "--genre", "jazz", "--duration", "5",
               cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["brief"]["genre"] == "jazz"
    assert out["reading"]["caption"]
    assert Path(tmp_path / out["outputs"]["audio"]).exists()


def test_same_photo_and_seed_give_identical_wav(tmp_path, photo):
    for name in ("a.wav", "b.wav"):
        assert run("compose", str(photo), "-o", name, "--seed", "3", "--duration", "5",
                   cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()


@pytest.mark.parametrize("content, expected", [
    (b"", "empty"),
    (b"just some text, renamed\n" * 10, "not"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "PDF"),
])
def test_bad_photo_exits_2_with_one_line_and_writes_nothing(tmp_path, content, expected):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(content)
    proc = run("compose", str(bad), "-o", "song.mp3", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and expected.lower() in proc.stderr.lower()
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "song.mp3").exists()
    assert not list(tmp_path.glob(".*.part"))


def test_unknown_genre_lists_the_valid_ones(tmp_path, photo):
    proc = run("compose", str(photo), "--genre", "polka", cwd=tmp_path)
    assert proc.returncode == 2
    assert "'polka'" in proc.stderr and all(name in proc.stderr for name in GENRE_NAMES)


def test_brief_edits_change_tempo_key_and_mood(tmp_path, photo):
    proc = run("compose", str(photo), "-o", "song.wav", "--json", "--duration", "5", "--tempo", "90",
               "--key", "Eb", "--mode", "minor", "--mood", "dreamy, calm", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    brief = json.loads(proc.stdout)["brief"]
    assert (brief["tempo"], brief["key"], brief["mode"], brief["mood"]) == (90, "Eb", "minor", ["dreamy", "calm"])
    assert "90 bpm" in brief["description"]


@pytest.mark.parametrize("args, words", [
    (["--tempo", "fast"], "'fast'"),
    (["--key", "H"], "'H'"),
    (["--duration", "90"], "90"),
    (["--duration", "2"], "5 to 60"),
    (["-o", "song.aiff"], ".aiff"),
    (["--midi", "song.txt"], "song.txt"),
])
def test_bad_options_are_refused_before_any_work(tmp_path, photo, args, words):
    proc = run("compose", str(photo), *args, cwd=tmp_path)
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["beach.jpg"]


def test_missing_photo_is_a_clear_error(tmp_path):
    proc = run("compose", "nowhere.jpg", cwd=tmp_path)
    assert proc.returncode == 2 and "no such file: 'nowhere.jpg'" in proc.stderr


def test_genres_lists_twenty(tmp_path):
    proc = run("genres", cwd=tmp_path)
    assert proc.returncode == 0 and len(proc.stdout.strip().splitlines()) == 20


@pytest.mark.parametrize("args, words", [
    (["--seed", "-1"], "seed '-1' is out of range"),
    (["--seed", "1.5"], "seed '1.5' is not a whole number"),
    (["--duration", "long"], "duration 'long' is not a number"),
    (["--composer", "nope"], "unknown composer engine 'nope'; choose one of: embedded"),
    (["--reader-model", "/no/such/dir"], "'/no/such/dir'"),
    (["--composer-device", "cuda"], "runs on cpu, not on 'cuda'"),
    (["--briefer-option", "temperature"], "KEY=VALUE"),
    (["--tempo"], "expected one argument"),
    (["--no-such-flag"], "unrecognized arguments: --no-such-flag"),
])
def test_any_bad_option_is_exit_2_and_one_line_quoting_it(tmp_path, photo, args, words):
    proc = run("compose", str(photo), *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and words in proc.stderr, proc.stderr
    assert proc.stdout == ""
    assert [p.name for p in tmp_path.iterdir()] == ["beach.jpg"]


def test_genre_auto_lets_the_photo_choose_as_the_api_does(tmp_path, photo):
    auto = run("compose", str(photo), "-o", "a.wav", "--genre", "auto", "--duration", "5", "--json", cwd=tmp_path)
    plain = run("compose", str(photo), "-o", "b.wav", "--duration", "5", "--json", cwd=tmp_path)
    assert auto.returncode == plain.returncode == 0, auto.stderr
    assert json.loads(auto.stdout)["brief"] == json.loads(plain.stdout)["brief"]
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()


def test_json_output_carries_the_credits_and_their_licences(tmp_path, photo):
    proc = run("compose", str(photo), "-o", "song.wav", "--duration", "5", "--json", cwd=tmp_path)
    credits = json.loads(proc.stdout)["credits"]
    assert [c["stage"] for c in credits] == ["reader", "briefer", "composer"]
    assert credits[2]["model"].endswith(".sf2") and credits[2]["terms"]


def test_engines_lists_each_stage_with_its_licence_and_whether_it_runs_here(tmp_path):
    proc = run("engines", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for stage in ("reader", "briefer", "composer"):
        assert f"{stage:<9} embedded   usable" in proc.stdout
    assert "FluidR3_GM.sf2: MIT" in proc.stdout
    listed = json.loads(run("engines", "--json", cwd=tmp_path).stdout)
    assert {(e["stage"], e["name"], e["usable"]) for e in listed} >= {
        ("reader", "embedded", True), ("briefer", "embedded", True), ("composer", "embedded", True)}
    assert all(e["credit"]["licence"] for e in listed)


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`melodify engines | head -1`: here the reader has gone before the first line is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    proc = subprocess.run([sys.executable, "-m", "melodify", "engines"], cwd=tmp_path, stdout=write_end,
                          stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(write_end)
    assert proc.stderr == "" and proc.returncode == 141, proc.stderr


@pytest.mark.parametrize("path, words", [("/dev/zero", "is not a regular file"), ("album", "is a folder")])
def test_a_photo_path_that_is_not_a_file_is_refused_without_reading_it(tmp_path, path, words):
    (tmp_path / "album").mkdir()
    proc = run("compose", path, cwd=tmp_path)
    assert proc.returncode == 2 and words in proc.stderr and proc.stderr.count("\n") == 1
