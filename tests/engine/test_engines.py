"""The engine registry: what each engine needs and allows, whether it runs here, its licence, and
models loaded once per process under a lock."""

from __future__ import annotations

import threading

import pytest

from melodify import engines
from melodify.engines import EngineChoice, EngineSpec, Licence, check_choice, commercial_use, load_engine
from melodify.errors import InvalidOption, NotConfigured

NC = Licence("CC-BY-NC-4.0", commercial=False)


def spec(**changes) -> EngineSpec:
    fields = dict(stage="composer", name="probe", target="tests.engines:SlowModelComposer", summary="a probe",
                  work="probe sounds", licence=Licence("MIT"))
    return EngineSpec(**{**fields, **changes})


def test_every_stage_has_an_embedded_engine_that_runs_here_with_its_licence():
    for stage in engines.STAGES:
        embedded = engines.get_spec(stage, "embedded")
        assert embedded.problem() is None
        assert embedded.summary and embedded.work and embedded.licence.name
    assert engines.get_spec("composer", "embedded").credit("FluidR3_GM.sf2").licence.name == "MIT"
    assert engines.get_spec("composer", "embedded").credit("/fonts/Mine.sf2").licence.commercial is None


def test_an_unknown_engine_is_named_with_the_ones_that_exist():
    with pytest.raises(InvalidOption) as error:
        check_choice("composer", EngineChoice("nope"))
    assert "'nope'" in error.value.message and "embedded" in error.value.message
    assert error.value.code == "unknown_engine"


def test_an_engine_whose_package_is_missing_says_which_extra_installs_it():
    missing = spec(packages=("no_such_package_xyz",), extra="ml")
    assert missing.problem() == ("needs no_such_package_xyz, which is not installed; "
                                 "pip install 'melodify[ml]'")


def test_an_engine_whose_key_is_unset_names_the_variable(monkeypatch):
    monkeypatch.delenv("PROBE_API_KEY", raising=False)
    keyed = spec(settings=("PROBE_API_KEY",))
    assert "PROBE_API_KEY" in keyed.problem()
    monkeypatch.setenv("PROBE_API_KEY", "sk-test")
    assert keyed.problem() is None


def test_an_engine_that_cannot_run_here_is_not_configured_rather_than_bad_input(monkeypatch):
    monkeypatch.setitem(engines.ENGINES, ("composer", "probe"), spec(packages=("no_such_package_xyz",)))
    with pytest.raises(NotConfigured, match="no_such_package_xyz") as error:
        load_engine("composer", EngineChoice("probe"))
    assert error.value.kind == "not_configured" and error.value.exit_code == 3


@pytest.mark.parametrize("choice, words", [
    (EngineChoice("embedded", model="tiny-model"), "takes no model"),
    (EngineChoice("embedded", device="cuda"), "runs on cpu"),
    (EngineChoice("embedded", options=(("temperature", "0.7"),)), "no option 'temperature'"),
])
def test_a_choice_the_engine_cannot_take_is_refused_quoting_it(choice, words):
    with pytest.raises(InvalidOption, match=words):
        check_choice("reader", choice)


def test_a_model_path_that_does_not_exist_is_named(test_engines, tmp_path):
    missing = tmp_path / "no" / "such" / "model"
    with pytest.raises(InvalidOption) as error:
        check_choice("composer", EngineChoice("slow-model", model=str(missing)))
    assert str(missing) in error.value.message and error.value.code == "model_not_found"
    check_choice("composer", EngineChoice("slow-model", model="org/name"))   # a hub id is not a path


def test_a_model_is_loaded_once_however_many_threads_ask_at_once(test_engines):
    choice = EngineChoice("slow-model", model="org/tiny", device="cpu")
    loaded: list[object] = []
    threads = [threading.Thread(target=lambda: loaded.append(load_engine("composer", choice))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert test_engines.BUILT == ["org/tiny@cpu"]
    assert len(loaded) == 8 and all(engine is loaded[0] for engine in loaded)


def test_loaded_engines_are_kept_per_model_and_device_and_can_be_released(test_engines):
    cpu = load_engine("composer", EngineChoice("slow-model", model="org/tiny", device="cpu"))
    cuda = load_engine("composer", EngineChoice("slow-model", model="org/tiny", device="cuda"))
    default = load_engine("composer", EngineChoice("slow-model", model="org/other"))
    assert test_engines.BUILT == ["org/tiny@cpu", "org/tiny@cuda", "org/other@auto"]
    assert load_engine("composer", EngineChoice("slow-model", model="org/tiny", device="cpu")) is cpu
    assert engines.release("composer", "slow-model") == 3
    assert cpu.closed.is_set() and cuda.closed.is_set() and default.closed.is_set()
    assert load_engine("composer", EngineChoice("slow-model", model="org/tiny", device="cpu")) is not cpu


def test_a_worker_prepares_each_engine_that_runs_here_and_one_that_fails_stops_none(test_engines, monkeypatch,
                                                                                    caplog):
    engines.register(spec(name="broken", prepare="tests.engines:prepare_fails"))
    engines.register(spec(name="keyless", prepare="tests.engines:prepare", settings=("PROBE_KEY",)))
    monkeypatch.delenv("PROBE_KEY", raising=False)
    names = ("no-such-engine", "broken", "keyless", "slow-model")
    chosen = [("composer", EngineChoice(name, device="cpu")) for name in names]
    engines.prepare(chosen + [("composer", EngineChoice("embedded"))]).join(10)
    assert test_engines.PREPARED == ["cpu"]   # keyless cannot run here; embedded has nothing to prepare
    assert "preparing the broken composer failed" in caplog.text and "no C++ compiler here" in caplog.text
    assert "preparing the no-such-engine composer failed" in caplog.text


def test_musicgen_prepares_its_kernels_on_the_cpu_only(monkeypatch):
    from melodify import hf
    from melodify.compose.engines import musicgen
    from melodify.compose.musicgen import native

    asked = []
    monkeypatch.setattr(native, "prepare", lambda: asked.append("kernels"))
    assert engines.get_spec("composer", "musicgen").prepare == "melodify.compose.engines.musicgen:prepare"
    musicgen.prepare("cpu")
    assert asked == ["kernels"]
    monkeypatch.setattr(hf, "pick_device", lambda device: "cuda")   # a GPU machine: half precision, no kernels
    musicgen.prepare("auto")
    assert asked == ["kernels"]


def test_a_track_may_be_used_commercially_only_when_every_credit_allows_it():
    mit, unknown = engines.MELODIFY_MIT, engines.UNKNOWN
    credit = lambda licence: engines.Credit("composer", "x", "work", licence)   # noqa: E731
    assert commercial_use([credit(mit), credit(mit)]) is True
    assert commercial_use([credit(mit), credit(unknown)]) is None
    assert commercial_use([credit(unknown), credit(NC)]) is False
    assert NC.terms == "for non-commercial use only"


def test_a_registered_engine_is_listed_and_the_fixture_puts_the_registry_back(test_engines):
    assert "slow-model" in engines.engine_names("composer")
    engines.register(spec(name="probe"))
    assert "probe" in engines.usable_names("composer")
    with pytest.raises(ValueError, match="stage 'painter'"):
        engines.register(spec(stage="painter"))


def test_after_the_fixture_no_test_engine_is_left():
    from tests.engines import SPECS

    left = {name for (_, name) in engines.ENGINES}
    assert not left & ({s.name for s in SPECS} | {"probe"})
