"""One protocol per stage, and a registry of the engines that fill it.

Engines are named by import path, so an engine whose optional dependency is missing costs
nothing until it is chosen, and then fails with a message that names what to install.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Protocol

from PIL import Image

from .contracts import Audio, ImageReading, MusicBrief, Performance
from .errors import EngineUnavailable, InvalidOption
from .progress import ProgressCallback


class Reader(Protocol):
    name: str

    def read(self, image: Image.Image, *, format: str, size: tuple[int, int],
             progress: ProgressCallback) -> ImageReading: ...


class Briefer(Protocol):
    name: str

    def write(self, reading: ImageReading, *, seed: int, duration: float,
              genre: str | None = None) -> MusicBrief: ...


class Composer(Protocol):
    name: str

    def compose(self, brief: MusicBrief, *, progress: ProgressCallback) -> Performance: ...


# stage -> engine name -> "module:Class". The ML issue adds entries here.
REGISTRY: dict[str, dict[str, str]] = {
    "reader": {"embedded": "melodify.read.embedded:EmbeddedReader"},
    "briefer": {"embedded": "melodify.brief.rules:RuleBriefer"},
    "composer": {"embedded": "melodify.compose.embedded:EmbeddedComposer"},
}


def engine_names(stage: str) -> tuple[str, ...]:
    return tuple(REGISTRY[stage])


@lru_cache(maxsize=16)
def load_engine(stage: str, name: str, model: str | None = None):
    """Build (once per process) the engine `name` for `stage`; engines stay warm between jobs."""
    engines = REGISTRY[stage]
    if name not in engines:
        raise InvalidOption(
            f"unknown {stage} engine {name!r}; choose one of: {', '.join(engines)}", code="unknown_engine")
    module_name, class_name = engines[name].split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:  # an optional dependency of that engine is missing
        raise EngineUnavailable(
            f"the {stage} engine {name!r} needs {exc.name!r}, which is not installed; "
            f"install it with: pip install 'melodify[ml]'") from exc
    cls = getattr(module, class_name)
    return cls(model=model) if model else cls()


__all__ = ["Reader", "Briefer", "Composer", "REGISTRY", "engine_names", "load_engine", "Audio"]
