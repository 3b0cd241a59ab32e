"""`melodify dataset build`: balanced over the 20 genres, the briefers' own question and answer in the
Vertex AI and OpenAI formats, the same files for the same seed, and a build killed half-way that
finishes, when run again, with exactly the files of one that was never stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from melodify import engines
from melodify.brief.asking import finished
from melodify.cli import main
from melodify.contracts import ImageReading
from melodify.dataset.build import JOURNAL
from melodify.genres import GENRE_NAMES
from melodify.llm.answers import parse_json
from melodify.llm.openai_api import _messages
from melodify.llm.prompts import BRIEF_SYSTEM, BriefDraft, brief_prompt
from melodify.samples import photo_bytes

REPO = Path(__file__).resolve().parents[2]
FILES = [f"{fmt}-{split}.jsonl" for fmt in ("vertex", "openai", "plain") for split in ("train", "validation")]


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def melodify(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "melodify", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The done-when build, by the real command line."""
    out = tmp_path_factory.mktemp("dataset") / "set"
    done = melodify("dataset", "build", "--count", "40", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Built    40 examples" in done.stdout and "Wrote" in done.stdout
    return out


def test_forty_examples_two_per_genre_in_every_format_with_a_validation_split_across_genres(built):
    for name in FILES:
        assert (built / name).is_file(), name
    train, validation = lines(built / "plain-train.jsonl"), lines(built / "plain-validation.jsonl")
    assert (len(train), len(validation)) == (36, 4)
    genres = Counter(e["brief"]["genre"] for e in train + validation)
    assert genres == {g: 2 for g in GENRE_NAMES}
    assert len({e["brief"]["genre"] for e in validation}) == 4
    assert len({e["id"] for e in train + validation}) == 40
    assert not {e["id"] for e in train} & {e["id"] for e in validation}
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["examples"] == 40 and manifest["tokens_estimated"]["total"] > 40 * 1000


def test_a_vertex_line_is_the_briefers_question_and_an_answer_they_accept(built):
    plain, vertex = lines(built / "plain-train.jsonl"), lines(built / "vertex-train.jsonl")
    for example, line in zip(plain, vertex):
        assert set(line) == {"systemInstruction", "contents"}
        assert line["systemInstruction"]["parts"] == [{"text": BRIEF_SYSTEM}]
        user, model = line["contents"]
        assert (user["role"], model["role"]) == ("user", "model")
        reading = ImageReading.model_validate(example["reading"])
        question = brief_prompt(reading, duration=example["brief"]["duration"], genre=example["genre_chosen"])
        assert user["parts"] == [{"text": question.text}]
        answer = model["parts"][0]["text"]
        assert answer.startswith('{"genre":') and ", " not in answer[:40]      # compact, as the grammar writes
        brief = finished(parse_json(answer, BriefDraft), seed=1, duration=15, genre=example["genre_chosen"],
                         fixed={}, engine="tuned", model="m")
        assert brief.genre == example["brief"]["genre"] and brief.description_ko


def test_an_openai_line_holds_what_the_openai_briefer_sends(built):
    plain, chat = lines(built / "plain-train.jsonl"), lines(built / "openai-train.jsonl")
    example, line = plain[0], chat[0]
    reading = ImageReading.model_validate(example["reading"])
    sent = _messages(brief_prompt(reading, duration=example["brief"]["duration"], genre=example["genre_chosen"]), None)
    system, user, assistant = line["messages"]
    assert system == sent[0] and user == {"role": "user", "content": sent[1]["content"][0]["text"]}
    assert assistant["role"] == "assistant" and json.loads(assistant["content"])["genre"] == example["brief"]["genre"]


def test_the_same_seed_makes_the_same_files_and_another_seed_other_ones(built, tmp_path, capsys):
    assert main(["dataset", "build", "--count", "40", "--out", str(tmp_path / "again")]) == 0
    assert main(["dataset", "build", "--count", "40", "--out", str(tmp_path / "other"), "--seed", "7"]) == 0
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (built / name).read_bytes(), name
    assert (tmp_path / "other" / "plain-train.jsonl").read_bytes() != (built / "plain-train.jsonl").read_bytes()


@pytest.fixture
def slow_teacher(monkeypatch):
    """The slow teacher of tests/dataset_engines.py, here and in the builds this test starts."""
    from tests import dataset_engines

    saved = dict(engines.ENGINES)
    for spec in dataset_engines.SPECS:
        engines.register(spec)
    monkeypatch.setenv("MELODIFY_TEST_BRIEF_DELAY", "0")
    yield {"MELODIFY_ENGINE_MODULES": "tests.dataset_engines", "MELODIFY_TEST_BRIEF_DELAY": "0.05"}
    engines.ENGINES.clear()
    engines.ENGINES.update(saved)
    engines.release()


def test_a_build_killed_half_way_resumes_without_duplicates_and_ends_as_an_unbroken_one(slow_teacher, tmp_path):
    out, whole = tmp_path / "stopped", tmp_path / "whole"
    args = ["dataset", "build", "--count", "40", "--briefer", "slow", "--seed", "3"]
    process = subprocess.Popen([sys.executable, "-m", "melodify", *args, "--out", str(out)], cwd=REPO,
                               env={**os.environ, **slow_teacher}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    journal = out / JOURNAL
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not journal.exists() or journal.read_text().count("\n") < 30):
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    tried = journal.read_text().count("\n") - 1
    assert 29 <= tried < 100, "the build should have been stopped half-way"
    assert not (out / "vertex-train.jsonl").exists()

    resumed = melodify(*args, "--out", str(out), env=slow_teacher)
    assert resumed.returncode == 0, resumed.stderr
    assert main([*args, "--out", str(whole)]) == 0
    for name in FILES:
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name
    tries = [json.loads(line)["k"] for line in journal.read_text().splitlines()[1:]]
    assert tries == list(range(len(tries))), "every try once, in order"
    ids = [e["id"] for name in ("plain-train.jsonl", "plain-validation.jsonl") for e in lines(out / name)]
    assert len(ids) == len(set(ids)) == 40


def test_a_folder_holding_another_build_is_refused(built, capsys):
    assert main(["dataset", "build", "--count", "20", "--out", str(built)]) == 2
    assert "other settings" in capsys.readouterr().err


def test_captions_from_a_file_fill_every_genre_and_a_bad_line_is_named(tmp_path, capsys):
    captions = tmp_path / "captions.txt"
    captions.write_text("A woman in a white shirt stands against a bright blue background.\n\n"
                        '{"caption": "Rain on a dark city street at night.", "brightness": 0.2, "warmth": -0.4}\n'
                        "Two friends laugh on a sunny beach.\n")
    assert main(["dataset", "build", "--count", "20", "--captions", str(captions), "--out", str(tmp_path / "c")]) == 0
    examples = lines(tmp_path / "c" / "plain-train.jsonl") + lines(tmp_path / "c" / "plain-validation.jsonl")
    assert Counter(e["brief"]["genre"] for e in examples) == {g: 1 for g in GENRE_NAMES}
    assert {e["caption"] for e in examples} <= {"A woman in a white shirt stands against a bright blue background.",
                                                "Rain on a dark city street at night.",
                                                "Two friends laugh on a sunny beach."}
    assert any(e["genre_chosen"] for e in examples)        # three captions cannot reach 20 genres freely
    captions.write_text('{"caption": "ok"}\n{"words": "no caption"}\n')
    capsys.readouterr()
    assert main(["dataset", "build", "--count", "4", "--captions", str(captions), "--out", str(tmp_path / "d")]) == 2
    assert "line 2" in capsys.readouterr().err


def test_photos_read_by_a_reader_carry_their_cloud_storage_uri_in_the_vertex_lines(tmp_path, capsys):
    photos = tmp_path / "photos"
    photos.mkdir()
    for scene in ("night-sea", "sunny-beach", "neon"):
        (photos / f"{scene}.jpg").write_bytes(photo_bytes(scene, size=(320, 240)))
    assert main(["dataset", "build", "--count", "6", "--photos", str(photos), "--reader", "embedded",
                 "--photo-uri", "gs://melodify-data/photos", "--out", str(tmp_path / "p")]) == 0
    vertex = lines(tmp_path / "p" / "vertex-train.jsonl") + lines(tmp_path / "p" / "vertex-validation.jsonl")
    files = [line["contents"][0]["parts"][0]["fileData"] for line in vertex]
    assert {f["fileUri"] for f in files} <= {f"gs://melodify-data/photos/{s}.jpg" for s in ("night-sea", "sunny-beach", "neon")}
    assert {f["mimeType"] for f in files} == {"image/jpeg"}
    assert main(["dataset", "validate", str(tmp_path / "p" / "vertex-train.jsonl")]) == 0


def test_examples_included_from_a_plain_file_are_kept_as_they_are(built, tmp_path):
    first = lines(built / "plain-validation.jsonl")[:2]
    kept = tmp_path / "kept.jsonl"
    kept.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in first))
    assert main(["dataset", "build", "--count", "20", "--include", str(kept), "--out", str(tmp_path / "i")]) == 0
    examples = lines(tmp_path / "i" / "plain-train.jsonl") + lines(tmp_path / "i" / "plain-validation.jsonl")
    assert len(examples) == 20 and {e["id"] for e in first} <= {e["id"] for e in examples}


def test_an_llm_teacher_writes_the_briefs_through_its_sdk(monkeypatch, tmp_path):
    from tests.llm_mocks import MockOpenAIServer

    with MockOpenAIServer() as server:    # answers one latin brief, or the genre the question chose
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        assert main(["dataset", "build", "--count", "20", "--briefer", "openai", "--out", str(tmp_path / "o")]) == 0
        engines.release("briefer", "openai")
    examples = lines(tmp_path / "o" / "plain-train.jsonl") + lines(tmp_path / "o" / "plain-validation.jsonl")
    assert Counter(e["brief"]["genre"] for e in examples) == {g: 1 for g in GENRE_NAMES}
    assert {e["brief"]["engine"] for e in examples} == {"openai"} and {e["source"] for e in examples} == {"build:openai"}
    asked = [r["messages"][1]["content"][0]["text"] for r in server.requests]
    assert all("The photo (measures are 0..1" in text for text in asked)
    assert sum("The listener chose the genre" in text for text in asked) == 19    # latin came freely
