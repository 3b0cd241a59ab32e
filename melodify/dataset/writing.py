"""Writing a data set's files: the train and validation splits in each format, and a manifest that says
what is in them. Each file is written whole beside its place and then renamed: never half a file."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from pathlib import Path

from ..genres import GENRE_NAMES
from ..pipeline import write_atomic
from .examples import Example
from .formats import FORMATS, line
from .tokens import estimate

SPLITS = ("train", "validation")
MANIFEST = "manifest.json"


def file_name(fmt: str, split: str) -> str:
    return f"{fmt}-{split}.jsonl"


def split(examples: list[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """A validation share of `fraction`, taken a genre at a time in turn so that it spans the genres;
    which example of a genre goes is drawn by the seed. Order is kept within each split."""
    wanted = round(len(examples) * fraction) if len(examples) > 1 else 0
    by_genre: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_genre[example.genre].append(example)
    rng = random.Random(f"{seed}:split")
    for group in by_genre.values():
        rng.shuffle(group)
    order = [g for g in GENRE_NAMES if g in by_genre]
    rng.shuffle(order)
    chosen: set[str] = set()
    while len(chosen) < wanted:
        for genre in order:
            if by_genre[genre] and len(chosen) < wanted:
                chosen.add(by_genre[genre].pop().id)
    return [e for e in examples if e.id not in chosen], [e for e in examples if e.id in chosen]


def write_dataset(examples: list[Example], out: Path, *, seed: int, validation: float,
                  photo_uri: str | None = None, about: dict | None = None,
                  extra: dict[str, list[Example]] | None = None) -> dict:
    """Every format's train and validation files (and `extra` plain files, such as negatives), and the
    manifest; returns the manifest."""
    parts = dict(zip(SPLITS, split(examples, validation, seed)))
    files = {}
    for fmt in FORMATS:
        for name, part in parts.items():
            path = out / file_name(fmt, name)
            write_atomic(path, "".join(line(e, fmt, _uri(photo_uri, e)) + "\n" for e in part).encode())
            files[path.name] = len(part)
    for name, part in (extra or {}).items():
        write_atomic(out / name, "".join(line(e, "plain") + "\n" for e in part).encode())
        files[name] = len(part)
    manifest = {**(about or {}), "examples": len(examples), "files": files,
                "splits": {name: len(part) for name, part in parts.items()},
                "genres": dict(sorted(Counter(e.genre for e in examples).items())),
                "tokens_estimated": _tokens(examples)}
    write_atomic(out / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
    return manifest


def _uri(photo_uri: str | None, example: Example) -> str | None:
    return f"{photo_uri.rstrip('/')}/{example.photo}" if photo_uri and example.photo else None


def _tokens(examples: list[Example]) -> dict:
    counts = [sum(estimate(t) for t in (e.prompt().system, e.prompt().text, e.answer())) for e in examples]
    answers = [estimate(e.answer()) for e in examples]
    return {"total": sum(counts), "per_example_max": max(counts, default=0), "answers_total": sum(answers)}
