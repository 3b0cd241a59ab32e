"""`melodify dataset from-ratings`: what listeners thought of the briefs, back into the data set.

A track rated up becomes an example (its reading, the question its briefer was asked, the brief that
made the music they liked); one rated down is kept apart as a negative, in the same plain form, for
preference tuning or for an eval of what to avoid. The rows come from the web app's database through
`melodify_web.tracks.ratings` (the command line hands them over: the engine never imports Django).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..contracts import ImageReading, MusicBrief
from .examples import Example, make_example
from .writing import write_dataset

NEGATIVES = "negatives.jsonl"


def examples_from(rows: Iterable[dict]) -> tuple[list[Example], list[Example], int]:
    """(rated up, rated down, rows skipped: no reading or brief, or a brief the schema cannot hold)."""
    up: dict[str, Example] = {}
    down: dict[str, Example] = {}
    skipped = 0
    for row in rows:
        label = "up" if row["vote"] > 0 else "down"
        try:
            reading = ImageReading.model_validate(row["reading"])
            brief = MusicBrief.model_validate(row["brief"])
            example = make_example(reading, brief, genre_chosen=(row.get("request") or {}).get("genre") or None,
                                   label=label, source=f"ratings:{row['id']}")
        except (ValidationError, ValueError, TypeError):
            skipped += 1
            continue
        (up if label == "up" else down)[example.id] = example
    return list(up.values()), list(down.values()), skipped


def export(out: Path, rows: Iterable[dict], *, seed: int = 0, validation: float = 0.1) -> dict:
    up, down, skipped = examples_from(rows)
    return write_dataset(up, out, seed=seed, validation=validation, extra={NEGATIVES: down},
                         about={"source": "ratings", "ratings": {"up": len(up), "down": len(down), "skipped": skipped}})
