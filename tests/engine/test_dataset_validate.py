"""`melodify dataset validate`: exit 0 for a good file, 1 for a bad one, naming the line; the format's
rules, the brief schema, duplicates, and the providers' documented limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from melodify.cli import main
from melodify.dataset.validate import OPENAI, validate

FORMATS = ("vertex", "openai", "plain")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("validate") / "set"
    assert main(["dataset", "build", "--count", "40", "--out", str(out)]) == 0
    return out


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def write(path: Path, items: list) -> Path:
    path.write_text("".join((i if isinstance(i, str) else json.dumps(i, ensure_ascii=False)) + "\n" for i in items))
    return path


def problems(path: Path) -> dict[int | None, str]:
    return {n: p for n, p in validate(path).errors}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_built_file_is_valid_and_a_copy_with_line_7_corrupted_fails_naming_line_7(dataset, tmp_path, fmt, capsys):
    good = dataset / f"{fmt}-train.jsonl"
    assert main(["dataset", "validate", str(good), str(dataset / f"{fmt}-validation.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "36 examples" in out and "4 examples" in out and "tokens" in out
    text = good.read_text().splitlines()
    text[6] = text[6][: len(text[6]) // 2]
    bad = tmp_path / f"{fmt}-train.jsonl"
    bad.write_text("\n".join(text) + "\n")
    assert main(["dataset", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "NOT valid (1 problem)" in out and "error: line 7: not JSON" in out


def test_turns_out_of_order_empty_parts_and_unknown_roles_are_named(dataset, tmp_path):
    lines = rows(dataset / "vertex-train.jsonl")[:12]
    lines[2]["contents"].reverse()
    lines[4]["contents"][0]["parts"] = [{"text": "  "}]
    lines[5]["contents"][1]["role"] = "assistant"
    lines[6]["contents"] = lines[6]["contents"][:1]
    got = problems(write(tmp_path / "vertex-train.jsonl", lines))
    assert "turn 1 has role 'model'" in got[3] and "parts[0].text is empty" in got[5]
    assert "role 'assistant'" in got[6] and "last turn must be the model's answer" in got[7]
    assert set(got) == {3, 5, 6, 7}


def test_an_answer_outside_the_brief_schema_or_ignoring_the_chosen_genre_is_an_error(dataset, tmp_path):
    lines = rows(dataset / "openai-train.jsonl")[:14]
    answer = json.loads(lines[0]["messages"][2]["content"])
    lines[0]["messages"][2]["content"] = json.dumps({**answer, "tempo": 999})
    lines[1]["messages"][2]["content"] = "Pop: a lovely song"
    lines[3]["messages"][1]["content"] += "\nThe listener chose the genre: polka. Use it."
    got = problems(write(tmp_path / "openai-train.jsonl", lines))
    assert "tempo" in got[1] and "less than or equal to 220" in got[1]
    assert "not valid JSON" in got[2]
    assert "chose the genre 'polka'" in got[4] and set(got) == {1, 2, 4}


def test_repeated_lines_are_errors_and_near_duplicate_captions_warnings(dataset, tmp_path):
    lines = rows(dataset / "plain-train.jsonl")[:12]
    near = json.loads(json.dumps(lines[3]))
    near["reading"]["caption"] = lines[3]["reading"]["caption"].replace(".", "!")
    near["reading"]["brightness"] = 0.01
    path = write(tmp_path / "plain-train.jsonl", [*lines, lines[2], near])
    report = validate(path)
    assert report.errors == [(13, "repeats line 3 exactly")]
    assert any(n == 14 and "nearly line 4" in p for n, p in report.warnings)


def test_the_providers_limits_few_examples_long_ones_and_files_that_belong_elsewhere(dataset, tmp_path):
    lines = rows(dataset / "openai-train.jsonl")
    few = write(tmp_path / "openai-train.jsonl", lines[:OPENAI.min_train - 1])
    assert problems(few) == {None: "9 training examples; OpenAI needs at least 10"}
    as_validation = write(tmp_path / "openai-validation.jsonl", lines[:3])
    assert validate(as_validation).valid                       # a validation file has no minimum
    long = json.loads(json.dumps(lines[0]))
    long["messages"][1]["content"] += " padding" * 40_000
    got = problems(write(tmp_path / "long-train.jsonl", [long, *lines[1:12]]))
    assert "over OpenAI's 65,536 for one example" in got[1]
    mixed = write(tmp_path / "mixed.jsonl", [lines[0], rows(dataset / "vertex-train.jsonl")[1], "", "[1, 2]"])
    assert problems(mixed) == {2: "a vertex line in a file of openai lines", 3: "empty line; every line must be one example",
                               4: "not a tuning example in any format Melodify knows (vertex, openai, plain)",
                               None: "1 training examples; OpenAI needs at least 10"}


def test_a_photo_part_must_be_in_cloud_storage(dataset, tmp_path):
    lines = rows(dataset / "vertex-train.jsonl")[:3]
    lines[1]["contents"][0]["parts"].insert(0, {"fileData": {"mimeType": "image/jpeg", "fileUri": "/home/me/a.jpg"}})
    lines[2]["contents"][0]["parts"].insert(0, {"inlineData": {"mimeType": "image/jpeg", "data": "AAAA"}})
    got = problems(write(tmp_path / "vertex-train.jsonl", lines))
    assert "must be a Cloud Storage URI" in got[2] and "inlineData is not taken" in got[3]


def test_json_reports_and_tokens_counted_by_a_real_tokenizer(dataset, tmp_path, capsys):
    from tests import tiny_models

    tiny_models.tokenizer(tmp_path)
    path = dataset / "vertex-validation.jsonl"
    assert main(["dataset", "validate", str(path), "--json", "--tokenizer", str(tmp_path)]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    estimated = validate(path)
    assert report["valid"] and report["split"] == "validation" and report["examples"] == 4
    assert report["tokens_counted"] == f"counted with {tmp_path}" and report["tokens"] != estimated.tokens > 0


def test_a_missing_file_is_reported_not_raised(tmp_path, capsys):
    assert main(["dataset", "validate", str(tmp_path / "nope.jsonl")]) == 1
    assert "cannot read the file" in capsys.readouterr().out
