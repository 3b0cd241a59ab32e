"""`melodify finetune` end to end on a tiny random causal LM: the loss falls on a small data set, a run
carries on from its checkpoint, the adapter loads in the local briefer through the command line and
the brief it writes is valid, and `dataset eval` measures the tuned briefer."""

from __future__ import annotations

import json
from pathlib import Path
from statistics import mean

import pytest

from melodify.cli import main
from melodify.contracts import MusicBrief
from melodify.samples import photo_bytes
from tests import tiny_models


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    with tiny_models.one_torch_thread():
        yield


@pytest.fixture(scope="module")
def tuned(tmp_path_factory) -> dict:
    """A 12-example data set, a tiny LM, and an adapter tuned on it in two runs of 8 steps each."""
    root = tmp_path_factory.mktemp("finetune")
    assert main(["dataset", "build", "--count", "12", "--validation", "0.17", "--out", str(root / "data")]) == 0
    # Wider weights than the default, so its logits have room to move (see tiny_models.causal_lm).
    lm = tiny_models.causal_lm(root / "lm", initializer_range=0.5)
    args = ["finetune", "--data", str(root / "data"), "--model", str(lm), "--out", str(root / "adapter"),
            "--learning-rate", "3e-2", "--rank", "4", "--save-every", "4", "--device", "cpu"]
    assert main([*args, "--steps", "8"]) == 0
    first = json.loads((root / "adapter" / "training.json").read_text())
    assert main([*args, "--steps", "16"]) == 0
    second = json.loads((root / "adapter" / "training.json").read_text())
    return {"root": root, "lm": lm, "adapter": root / "adapter", "first": first, "second": second}


def test_the_loss_falls_on_a_small_set(tuned):
    losses = tuned["second"]["losses"]
    assert len(losses) == 16 and tuned["second"]["steps"] == 16
    assert mean(losses[-4:]) < mean(losses[:4]) - 0.5, losses
    assert tuned["second"]["validation_loss"] < losses[0]


def test_a_second_run_carries_on_from_the_last_checkpoint(tuned):
    assert tuned["first"]["steps"] == 8 and tuned["first"]["resumed_from"] is None
    assert tuned["second"]["resumed_from"].endswith("checkpoint-8")
    assert tuned["second"]["losses"][:8] == tuned["first"]["losses"]
    assert (tuned["adapter"] / "adapter_config.json").is_file()


def test_the_local_briefer_loads_the_adapter_and_writes_a_valid_brief(tuned, tmp_path, capsys):
    photo = tmp_path / "beach.jpg"
    photo.write_bytes(photo_bytes("sunny-beach", size=(320, 240)))
    assert main(["compose", str(photo), "-o", str(tmp_path / "song.wav"), "--duration", "5", "--briefer", "local",
                 "--briefer-model", str(tuned["lm"]), "--briefer-option", f"adapter={tuned['adapter']}",
                 "--briefer-device", "cpu", "--json"]) == 0
    brief = MusicBrief.model_validate(json.loads(capsys.readouterr().out)["brief"])
    assert brief.engine == "local" and not brief.fallback, brief.fallback
    assert brief.model == f"{tuned['lm']}+{tuned['adapter']}"


def test_eval_measures_the_tuned_briefer_on_the_held_out_split(tuned, tmp_path, capsys):
    report = tmp_path / "eval.json"
    assert main(["dataset", "eval", str(tuned["root"] / "data" / "plain-validation.jsonl"), "--briefer", "local",
                 "--briefer-model", str(tuned["lm"]), "--briefer-option", f"adapter={tuned['adapter']}",
                 "--briefer-device", "cpu", "--report", str(report)]) == 0
    table = capsys.readouterr().out
    assert "valid answers (no fall-back to the rules)" in table and "genre agrees with the teacher" in table
    got = json.loads(report.read_text())
    assert got["examples"] == 2
    for row in got["per_example"]:   # the grammar holds even a tiny model; only a genre asked for may be missed
        assert row["valid"] or "the listener chose" in row["fallback"], row["fallback"]
    assert got["briefer"]["options"] == {"adapter": str(tuned["adapter"])}
    assert set(got["shares"]) >= {"genre_agrees", "tempo_in_range", "key_fits", "english_length_ok", "korean_ok"}


def test_a_file_that_is_not_an_openai_chat_file_is_refused(tuned, capsys):
    plain = tuned["root"] / "data" / "plain-train.jsonl"
    assert main(["finetune", "--data", str(plain), "--model", str(tuned["lm"]), "--out", str(tuned["root"] / "x")]) == 2
    assert "not a valid OpenAI chat file" in capsys.readouterr().err
