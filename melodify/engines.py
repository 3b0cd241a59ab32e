"""One protocol per stage, and the registry of the engines that fill them.

Each engine is one `EngineSpec` row: its stage and name, where its class lives, what it needs (an
extra, packages, settings), what a "model" means for it, the devices it runs on, and the licence of
the weights or sounds its output rests on. Engines are named by import path, so an engine whose
optional dependency is missing costs nothing until it is chosen, and then says what to install.

Loaded engines are kept per process, keyed by (stage, name, model, device, options), built once
under a lock (a web server's request threads may all ask for a cold model at once), and released
on demand.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from PIL import Image

from .contracts import ImageReading, MusicBrief, Performance
from .errors import InvalidOption, NotConfigured
from .progress import ProgressCallback

log = logging.getLogger(__name__)

STAGES: tuple[str, ...] = ("reader", "briefer", "composer")


class Reader(Protocol):
    name: str

    def read(self, image: Image.Image, *, format: str, size: tuple[int, int],
             progress: ProgressCallback) -> ImageReading: ...


class Briefer(Protocol):
    name: str

    def write(self, reading: ImageReading, *, seed: int, duration: float,
              genre: str | None = None) -> MusicBrief: ...

    def edit(self, brief: MusicBrief, reading: ImageReading, edits: Mapping[str, Any]) -> MusicBrief:
        """The brief with a person's checked changes, its words rewritten to match."""
        ...


class Composer(Protocol):
    name: str

    def compose(self, brief: MusicBrief, *, progress: ProgressCallback) -> Performance: ...


@dataclass(frozen=True)
class Licence:
    """The licence of what an engine's output rests on (weights, sounds, a service's terms)."""

    name: str                # SPDX id where there is one: "MIT", "CC-BY-NC-4.0"
    url: str = ""
    commercial: bool | None = True   # may the music be used commercially? None: unknown, check

    @property
    def terms(self) -> str:
        return terms(self.commercial)


def terms(commercial: bool | None) -> str:
    """What a licence means for the music, in words."""
    if commercial is None:
        return "check the licence before using the music commercially"
    return "free to use, including commercially" if commercial else "for non-commercial use only"


@dataclass(frozen=True)
class Credit:
    """Who made what a track rests on, and under which licence: it travels with every result."""

    stage: str
    engine: str
    work: str                # "Melodify's image measures", "the FluidR3_GM SoundFont by Frank Wen"
    licence: Licence
    model: str | None = None

    def to_json(self) -> dict:
        return {"stage": self.stage, "engine": self.engine, "model": self.model, "work": self.work,
                "licence": self.licence.name, "licence_url": self.licence.url,
                "commercial_use": self.licence.commercial, "terms": self.licence.terms}


def commercial_use(credits: Iterable[Credit]) -> bool | None:
    """May the whole track be used commercially: the most restrictive of its credits."""
    flags = [c.licence.commercial for c in credits]
    return False if False in flags else None if None in flags else True


MELODIFY_MIT = Licence("MIT", "https://opensource.org/license/mit")
UNKNOWN = Licence("unknown", commercial=None)


@dataclass(frozen=True)
class EngineSpec:
    stage: str
    name: str
    target: str                        # "module:Class"
    summary: str                       # one line, for `melodify engines` and the web's options
    work: str                          # what the output rests on, for its credit
    licence: Licence                   # of that work; `model_licences` overrides it per model
    extra: str | None = None           # pip extra that installs its packages: melodify[ml]
    packages: tuple[str, ...] = ()     # modules it imports
    settings: tuple[str, ...] = ()     # environment variables it needs (API keys...)
    model: str | None = None           # what `model` means for it; None: it takes no model
    devices: tuple[str, ...] = ("cpu",)
    options: tuple[str, ...] = ()      # keyword options its class accepts
    check: str | None = None           # "module:function" -> why it cannot run here, or None
    model_licences: Mapping[str, Licence] = field(default_factory=dict)
    model_works: Mapping[str, str] = field(default_factory=dict)
    downloads: bool = False            # its default model is weights fetched from the hub on first use
    prepare: str | None = None         # "module:function(device)": what its first job would wait for,
                                       # done as a worker starts (MusicGen's CPU kernels)

    def problem(self) -> str | None:
        """Why this engine cannot run on this installation, or None when it can."""
        missing = [p for p in self.packages if importlib.util.find_spec(p) is None]
        if missing:
            how = f"pip install 'melodify[{self.extra}]'" if self.extra else f"pip install {' '.join(missing)}"
            return f"needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed; {how}"
        unset = [name for name in self.settings if not os.environ.get(name)]
        if unset:
            return f"needs {' and '.join(unset)} set in the environment"
        if self.check:
            return _import(self.check)()
        return None

    def credit(self, model: str | None = None) -> Credit:
        """The credit for a result made with `model` (None: the engine's own default)."""
        key = os.path.basename(model) if model else None
        return Credit(self.stage, self.name, self.model_works.get(key, self.work),
                      self.model_licences.get(key, self.licence), model)


ENGINES: dict[tuple[str, str], EngineSpec] = {}


def register(spec: EngineSpec) -> None:
    if spec.stage not in STAGES:
        raise ValueError(f"engine {spec.name!r}: unknown stage {spec.stage!r}; stages: {', '.join(STAGES)}")
    ENGINES[spec.stage, spec.name] = spec


PLUGINS_VAR = "MELODIFY_ENGINE_MODULES"


def load_plugins() -> None:
    """Register the engines of other packages: $MELODIFY_ENGINE_MODULES names modules (comma-separated)
    that each hold a SPECS tuple of EngineSpec rows."""
    for name in filter(None, (n.strip() for n in os.environ.get(PLUGINS_VAR, "").split(","))):
        try:
            specs = importlib.import_module(name).SPECS
        except (ImportError, AttributeError) as exc:
            raise NotConfigured(f"{PLUGINS_VAR} names {name!r}, which holds no engines ({exc}); "
                                f"fix the name or unset {PLUGINS_VAR}", code="bad_plugin") from None
        for spec in specs:
            register(spec)


def engine_names(stage: str) -> tuple[str, ...]:
    return tuple(name for (s, name) in ENGINES if s == stage)


def get_spec(stage: str, name: str) -> EngineSpec:
    if (stage, name) not in ENGINES:
        raise InvalidOption(f"unknown {stage} engine {name!r}; choose one of: {', '.join(engine_names(stage))}",
                            code="unknown_engine")
    return ENGINES[stage, name]


def usable_names(stage: str) -> tuple[str, ...]:
    return tuple(name for name in engine_names(stage) if ENGINES[stage, name].problem() is None)


def offered_names(stage: str) -> tuple[str, ...]:
    """The usable engines a server may offer people besides its own: not those whose default model is
    weights to download (a person's click should not fetch gigabytes); a server offers one of those by
    making it its own engine (MELODIFY_READER=blip...)."""
    return tuple(name for name in usable_names(stage) if not ENGINES[stage, name].downloads)


@dataclass(frozen=True)
class EngineChoice:
    """Which engine runs a stage, on which model and device, with which options."""

    name: str = "embedded"
    model: str | None = None           # hub id or path; None: the engine's default
    device: str | None = None          # "cpu", "cuda", "mps", "auto"; None: the engine's default
    options: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict:
        return {"name": self.name, "model": self.model, "device": self.device, "options": dict(self.options)}

    @classmethod
    def from_json(cls, data: Mapping | str | None) -> EngineChoice:
        if not data:
            return cls()
        if isinstance(data, str):
            return cls(data)
        return cls(data.get("name") or "embedded", data.get("model"), data.get("device"),
                   tuple(sorted((data.get("options") or {}).items())))


def check_choice(stage: str, choice: EngineChoice) -> EngineSpec:
    """The engine's spec, once the choice is known to fit it and the engine can run here."""
    spec = get_spec(stage, choice.name)
    if choice.model and spec.model is None:
        raise InvalidOption(f"the {choice.name} {stage} takes no model, but got {choice.model!r}; "
                            f"leave the model unset", code="unknown_model")
    if choice.model and _looks_like_path(choice.model) and not os.path.exists(os.path.expanduser(choice.model)):
        raise InvalidOption(f"the {stage} model {choice.model!r} does not exist; give an existing file or "
                            f"folder, or a model id from the Hugging Face hub", code="model_not_found")
    if choice.device and choice.device not in (*spec.devices, "auto"):
        raise InvalidOption(f"the {choice.name} {stage} runs on {', '.join(spec.devices)}, not on "
                            f"{choice.device!r}", code="invalid_device")
    unknown = sorted(set(dict(choice.options)) - set(spec.options))
    if unknown:
        accepted = ", ".join(spec.options) or "none"
        raise InvalidOption(f"the {choice.name} {stage} has no option {', '.join(map(repr, unknown))}; "
                            f"its options: {accepted}", code="unknown_option")
    problem = spec.problem()
    if problem:
        raise NotConfigured(f"the {choice.name} {stage} cannot run here: it {problem}", code="engine_unavailable")
    return spec


def _looks_like_path(model: str) -> bool:
    """A local path rather than a hub id ("org/name"): absolute, or starting with ., .. or ~."""
    return os.path.isabs(model) or model.startswith((".", "~"))


_loaded: dict[tuple, Any] = {}
_loading: dict[tuple, threading.Lock] = {}
_guard = threading.Lock()


def load_engine(stage: str, choice: EngineChoice | str = EngineChoice()):
    """The engine for `choice`, built once per process and kept warm between jobs."""
    choice = EngineChoice(choice) if isinstance(choice, str) else choice
    key = (stage, choice.name, choice.model, choice.device, choice.options)
    with _guard:
        if key in _loaded:
            return _loaded[key]
        lock = _loading.setdefault(key, threading.Lock())
    with lock:   # one load per key; other keys load side by side
        if key not in _loaded:
            _loaded[key] = _build(check_choice(stage, choice), choice)
        return _loaded[key]


def _build(spec: EngineSpec, choice: EngineChoice):
    try:
        cls = _import(spec.target)
    except ImportError as exc:   # the check passed, but an import inside the engine failed
        how = f"pip install 'melodify[{spec.extra}]'" if spec.extra else f"pip install {exc.name}"
        raise NotConfigured(f"the {spec.name} {spec.stage} needs {exc.name or exc!r}, which is not installed; "
                            f"install it with: {how}", code="engine_unavailable") from exc
    kwargs: dict[str, Any] = dict(choice.options)
    if spec.model is not None:
        kwargs["model"] = choice.model
    if spec.devices != ("cpu",):
        kwargs["device"] = choice.device or "auto"
    return cls(**kwargs)


def release(stage: str | None = None, name: str | None = None) -> int:
    """Forget loaded engines (all, a stage's, or one engine's), closing those that hold resources."""
    with _guard:
        keys = [k for k in _loaded if stage in (None, k[0]) and name in (None, k[1])]
        engines = [_loaded.pop(k) for k in keys]
    for engine in engines:
        close = getattr(engine, "close", None)
        if close:
            close()
    return len(engines)


def prepare(choices: Iterable[tuple[str, EngineChoice]]) -> threading.Thread:
    """Start, on a thread of its own, each chosen engine's `prepare` where that engine can run here, so a
    worker's first job does not wait for it (a job that needs it meanwhile waits only for the rest)."""
    def run() -> None:
        for stage, choice in choices:
            try:
                spec = get_spec(stage, choice.name)
                if spec.prepare and spec.problem() is None:
                    _import(spec.prepare)(choice.device)
            except Exception:   # noqa: BLE001 - the first job that needs it says what is wrong, in its words
                log.warning("preparing the %s %s failed; its first job will try again", choice.name, stage,
                            exc_info=True)

    thread = threading.Thread(target=run, name="melodify-prepare", daemon=True)
    thread.start()
    return thread


def _import(target: str):
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)


# ---- the engines ---------------------------------------------------------------------------
# Every engine is one row here and one file beside its stage's shared code.

FLUIDR3 = Licence("MIT", "https://packages.debian.org/sid/fluid-soundfont-gm")
TIMGM6MB = Licence("GPL-2.0-only", "https://github.com/craffel/pretty-midi/blob/main/pretty_midi/TimGM6mb.sf2")

for _spec in (
    EngineSpec("reader", "embedded", "melodify.read.engines.embedded:EmbeddedReader",
               summary="measures colour, light and detail with Pillow and NumPy, and writes a caption from them",
               work="Melodify's own image measures", licence=MELODIFY_MIT),
    EngineSpec("briefer", "embedded", "melodify.brief.engines.embedded:RuleBriefer",
               summary="rules over the photo's measures and caption keywords choose genre, mood, tempo and key",
               work="Melodify's own brief rules", licence=MELODIFY_MIT),
    EngineSpec("composer", "embedded", "melodify.compose.engines.embedded:EmbeddedComposer",
               summary="writes a score per genre and plays it on FluidSynth with a General MIDI SoundFont",
               work="a General MIDI SoundFont of your choice", licence=UNKNOWN,
               model="a SoundFont (.sf2) file; default: $MELODIFY_SOUNDFONT, the system's FluidR3_GM, "
                     "else TimGM6mb",
               check="melodify.compose.render:fluidsynth_problem",
               model_licences={"FluidR3_GM.sf2": FLUIDR3, "TimGM6mb.sf2": TIMGM6MB},
               model_works={"FluidR3_GM.sf2": "the FluidR3_GM SoundFont by Frank Wen",
                            "TimGM6mb.sf2": "the TimGM6mb SoundFont by Tim Brechbill"}),
):
    register(_spec)

# ---- readers and briefers that use a model (issue 12) -----------------------------------------
BLIP_BSD = Licence("BSD-3-Clause", "https://huggingface.co/Salesforce/blip-image-captioning-base")
OPENAI_TERMS = Licence("OpenAI Services Agreement", "https://openai.com/policies/services-agreement/")
GEMINI_TERMS = Licence("Gemini API Additional Terms",
                       "https://ai.google.dev/gemini-api/terms")
LOCAL_DEVICES = ("cpu", "cuda", "mps")
API_NEEDS = dict(extra="api", devices=("cpu",))
ML_NEEDS = dict(extra="ml", devices=LOCAL_DEVICES, downloads=True)
OPENAI_MODEL = "an OpenAI model name; default $MELODIFY_OPENAI_MODEL, else gpt-6-luna"
GEMINI_MODEL = ("a Gemini model name, a tuned model or a Vertex AI endpoint (projects/P/locations/L/endpoints/ID); "
                "default $MELODIFY_GEMINI_MODEL, else gemini-3.5-flash-lite")



def _asking(name: str, who: str, model_words: str, licence: Licence, model: str, **needs: Any) -> tuple[EngineSpec, ...]:
    """The reader and the briefer of a service that answers in checked JSON (OpenAI, Gemini)."""
    cls = name.capitalize() if name != "openai" else "OpenAI"
    return (EngineSpec("reader", name, f"melodify.read.engines.{name}:{cls}Reader",
                       summary=f"{who} says what the photo shows (English and Korean), as checked JSON",
                       work=f"{model_words}'s description", licence=licence, model=model, **API_NEEDS, **needs),
            EngineSpec("briefer", name, f"melodify.brief.engines.{name}:{cls}Briefer",
                       summary=f"{who} writes the brief as structured output, in English and Korean",
                       work=f"{model_words}'s brief", licence=licence, model=model, **API_NEEDS, **needs))


for _spec in (
    EngineSpec("reader", "blip", "melodify.read.engines.blip:BlipReader",
               summary="Salesforce's BLIP writes an English caption; the image measures are added",
               work="the BLIP captioning model by Salesforce", licence=BLIP_BSD, packages=("torch", "transformers"),
               model="a BLIP captioner, hub id or folder; default Salesforce/blip-image-captioning-base "
                     "(or -large)", **ML_NEEDS),
    EngineSpec("reader", "vlm", "melodify.read.engines.vlm:VisionLanguageReader",
               summary="a vision-language model (Florence-2, SmolVLM...) writes a detailed caption; the image "
                       "measures are added",
               work="the vision-language model it ran", licence=UNKNOWN, packages=("torch", "transformers"),
               model="an image-text-to-text model transformers supports natively, hub id or folder; default "
                     "florence-community/Florence-2-base",
               model_licences={"Florence-2-base": Licence("MIT", "https://huggingface.co/florence-community/Florence-2-base"),
                               "Florence-2-large": Licence("MIT", "https://huggingface.co/florence-community/Florence-2-large"),
                               "SmolVLM-256M-Instruct": Licence("Apache-2.0", "https://huggingface.co/HuggingFaceTB/SmolVLM-256M-Instruct")},
               model_works={"Florence-2-base": "Microsoft's Florence-2", "Florence-2-large": "Microsoft's Florence-2",
                            "SmolVLM-256M-Instruct": "Hugging Face's SmolVLM"}, **ML_NEEDS),
    *_asking("openai", "OpenAI", "an OpenAI model", OPENAI_TERMS, OPENAI_MODEL, packages=("openai",),
             settings=("OPENAI_API_KEY",)),
    *_asking("gemini", "Gemini", "a Gemini model", GEMINI_TERMS, GEMINI_MODEL, packages=("google.genai",),
             check="melodify.llm.gemini_api:problem"),
    EngineSpec("briefer", "local", "melodify.brief.engines.local:LocalBriefer",
               summary="a local causal language model writes the brief, its decoding held to the brief's schema",
               work="the local language model it ran", licence=UNKNOWN,
               packages=("torch", "transformers", "llguidance"), options=("adapter",),
               model="a causal LM with a fast tokenizer, hub id or folder; default Qwen/Qwen2.5-1.5B-Instruct; "
                     "option adapter=PATH adds a LoRA adapter (needs peft)",
               model_licences={"Qwen2.5-1.5B-Instruct": Licence("Apache-2.0", "https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct")},
               model_works={"Qwen2.5-1.5B-Instruct": "Qwen2.5-1.5B-Instruct by Alibaba Cloud"}, **ML_NEEDS),
):
    register(_spec)

# ---- MusicGen (issue 11) ------------------------------------------------------------------------
MUSICGEN_NC = Licence("CC-BY-NC-4.0", "https://huggingface.co/facebook/musicgen-small", commercial=False)

register(EngineSpec(
    "composer", "musicgen", "melodify.compose.engines.musicgen:MusicgenComposer",
    summary="Meta's MusicGen makes the music from the brief's prompt; musicgen-melody follows the embedded "
            "composer's melody",
    work="the MusicGen model by Meta AI", licence=MUSICGEN_NC, packages=("torch", "transformers"),
    model="a MusicGen checkpoint, hub id or folder; default facebook/musicgen-small (or -medium, -large, "
          "-melody, -stereo-*)",
    options=("precision", "text", "guidance"), prepare="melodify.compose.engines.musicgen:prepare",
    **ML_NEEDS))
