"""The local engines on tiny random models built here and loaded by path: BLIP and a vision-language
model read a photo, and a causal LM under constrained decoding writes a brief that always validates.
Their words are nonsense; what is checked is what the engines promise."""

from __future__ import annotations

import subprocess
import sys

import pytest

from melodify.brief.engines.local import LocalBriefer
from melodify.contracts import MusicBrief
from melodify.engines import EngineChoice, check_choice
from melodify.errors import InvalidOption
from melodify.read.engines.blip import BlipReader
from melodify.read.engines.vlm import VisionLanguageReader
from melodify.read.image_loading import load_image
from melodify.samples import photo_bytes
from tests import tiny_models
from tests.factories import reading

REPO = tiny_models.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    with tiny_models.one_torch_thread():
        yield


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-models")
    return {"blip": tiny_models.blip(root / "blip"), "vlm": tiny_models.florence2(root / "florence2"),
            "lm": tiny_models.causal_lm(root / "lm")}


@pytest.fixture(scope="module")
def local_briefer(models):
    return LocalBriefer(model=str(models["lm"]), device="cpu")


@pytest.fixture(scope="module")
def photo():
    return load_image(photo_bytes("night-sea", size=(320, 240)))


@pytest.mark.parametrize("cls, key", [(BlipReader, "blip"), (VisionLanguageReader, "vlm")])
def test_a_captioning_model_writes_the_caption_and_the_measures_stay(cls, key, models, photo):
    got = cls(model=str(models[key]), device="cpu").read(photo.image, format=photo.format, size=photo.size)
    assert got.engine == key and got.model == str(models[key]) and got.caption.endswith(".")
    assert got.caption != cls.__name__ and not got.fallback
    assert got.brightness < 0.3 and got.palette        # the night sea's measures, as the embedded reader has them
    assert got.usage[0].output_tokens > 0 and got.usage[0].engine == key


def test_a_random_tiny_lm_under_the_constraint_writes_a_brief_that_validates(local_briefer):
    for seed, words in enumerate(("a night sea under the moon", "a sunny beach with friends")):
        brief = local_briefer.write(reading(words), seed=seed, duration=15)
        assert MusicBrief.model_validate(brief.model_dump()) == brief
        assert brief.engine == "local" and not brief.fallback, brief.fallback
        assert brief.usage[0].input_tokens > 100 and brief.usage[0].output_tokens > 20


def test_the_local_briefer_keeps_a_chosen_genre_and_a_persons_edits(local_briefer):
    brief = local_briefer.write(reading(), seed=3, duration=10, genre="jazz")
    assert brief.genre == "jazz" or "jazz" in brief.fallback   # a random model may pick another: then the rules do
    edited = local_briefer.edit(brief, reading(), {"tempo": 66, "key": "Eb"})
    assert (edited.tempo, edited.key) == (66, "Eb")


def test_a_lora_adapter_changes_what_the_local_model_writes_and_the_brief_still_validates(models, tmp_path,
                                                                                         local_briefer):
    adapter = tiny_models.lora(tmp_path / "lora", models["lm"])
    tuned = LocalBriefer(model=str(models["lm"]), device="cpu", adapter=str(adapter))
    brief = tuned.write(reading("a beach"), seed=1, duration=15)
    assert brief.model == f"{models['lm']}+{adapter}" and not brief.fallback
    plain = local_briefer.write(reading("a beach"), seed=1, duration=15)
    assert brief.description != plain.description


def test_a_model_folder_of_the_wrong_kind_is_refused_naming_it(models):
    with pytest.raises(InvalidOption, match="not a BLIP captioning model") as error:
        BlipReader(model=str(models["lm"]), device="cpu")
    assert str(models["lm"]) in error.value.message and error.value.code == "wrong_model"


def test_a_model_path_that_does_not_exist_is_refused_before_loading(tmp_path):
    missing = tmp_path / "no" / "such" / "dir"
    for stage, name in (("reader", "blip"), ("reader", "vlm"), ("briefer", "local")):
        with pytest.raises(InvalidOption, match=str(missing)):
            check_choice(stage, EngineChoice(name, model=str(missing)))


def melodify(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    """`python -m melodify ...` from this checkout, wherever it runs."""
    import os

    env = {**(env if env is not None else os.environ), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "melodify", *args], capture_output=True, text=True, timeout=600,
                          cwd=cwd or REPO, env=env)


def test_the_cli_composes_with_a_tiny_blip_reader_and_a_tiny_local_briefer(models, tmp_path):
    import os

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photo_bytes("sunny-beach", size=(320, 240)))
    out = tmp_path / "song.wav"
    proc = melodify("compose", str(photo), "-o", str(out), "--duration", "5", "--json",
                    "--reader", "blip", "--reader-model", str(models["blip"]), "--reader-device", "cpu",
                    "--briefer", "local", "--briefer-model", str(models["lm"]), "--briefer-device", "cpu",
                    env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = __import__("json").loads(proc.stdout)
    assert result["reading"]["engine"] == "blip" and result["brief"]["engine"] in ("local", "embedded")
    assert result["timings"]["brief_calls"] >= 1 and result["timings"]["read_output_tokens"] > 0
    assert out.stat().st_size > 100_000


def test_an_api_engine_without_its_key_exits_2_naming_the_variable(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    proc = melodify("compose", "photo.jpg", "--reader", "openai", env=env, cwd=tmp_path)
    assert proc.returncode == 2 and "OPENAI_API_KEY" in proc.stderr and "Traceback" not in proc.stderr


def test_a_model_path_that_does_not_exist_exits_2_naming_it(tmp_path):
    proc = melodify("compose", "photo.jpg", "--reader", "blip", "--reader-model", "/no/such/dir", cwd=tmp_path)
    assert proc.returncode == 2 and "'/no/such/dir'" in proc.stderr and "Traceback" not in proc.stderr


def test_a_device_this_machine_lacks_is_named_and_auto_takes_what_there_is(models):
    import torch

    from melodify.errors import NotConfigured
    from melodify.hf import pick_device

    if not torch.cuda.is_available():
        with pytest.raises(NotConfigured, match="'cuda'"):
            BlipReader(model=str(models["blip"]), device="cuda")
    assert pick_device("auto") in ("cuda", "mps", "cpu") and pick_device(None) == pick_device("auto")
