"""`melodify dataset eval`: how well a briefer does on a held-out split, next to the teacher's briefs.

For each example the briefer is asked the example's own question (same reading, seed, length and chosen
genre). Measured: the share of answers that were valid JSON fitting the brief (no fall-back to the
rules), the genre agreeing with the teacher's, tempo inside the genre's range, a key and mode the genre
takes, and both paragraphs: English words (the prompt asks 70 to 140) and Korean characters, each
starting with its genre's name as the original data set's did.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from statistics import mean

from ..brief.description_ko import describe_ko
from ..engines import EngineChoice, load_engine
from ..errors import InvalidOption
from ..genres import GENRES
from ..llm.prompts import MAX_DESCRIPTION_KO
from .build import read_examples
from .examples import Example

WORDS = (70, 140)
HANGUL = re.compile(r"[가-힣]")

ROWS = (("valid", "valid answers (no fall-back to the rules)"),
        ("genre_agrees", "genre agrees with the teacher"),
        ("tempo_in_range", "tempo in the genre's range"),
        ("key_fits", "key and mode fit the genre"),
        ("english_length_ok", f"English paragraph {WORDS[0]}-{WORDS[1]} words"),
        ("english_labelled", "English paragraph starts with the genre"),
        ("korean_ok", "Korean paragraph in Hangul, within length"),
        ("korean_labelled", "Korean paragraph starts with the genre"))


def score(example: Example, briefer) -> dict:
    """One example's measures, and the briefer's brief for it."""
    started = time.perf_counter()
    brief = briefer.write(example.reading, seed=example.brief.seed, duration=example.brief.duration,
                          genre=example.genre_chosen)
    seconds = time.perf_counter() - started
    genre = GENRES[brief.genre]
    korean = brief.description_ko or describe_ko(brief, example.reading)
    words = len(brief.description.split())
    return {"id": example.id, "teacher_genre": example.genre, "genre": brief.genre, "tempo": brief.tempo,
            "key": brief.key_name, "valid": not brief.fallback, "genre_agrees": brief.genre == example.genre,
            "tempo_in_range": genre.tempo[0] <= brief.tempo <= genre.tempo[1],
            "key_fits": brief.mode in genre.modes, "english_words": words,
            "english_length_ok": WORDS[0] <= words <= WORDS[1],
            "english_labelled": brief.description.startswith(f"{genre.label}:"),
            "korean_characters": len(korean),
            "korean_ok": bool(HANGUL.search(korean)) and len(korean) <= MAX_DESCRIPTION_KO,
            "korean_labelled": korean.startswith(f"{genre.label_ko}:"), "seconds": round(seconds, 4),
            "fallback": brief.fallback}


def evaluate(path: Path, choice: EngineChoice, *, limit: int | None = None,
             progress: Callable[[int, int], None] = lambda done, total: None) -> dict:
    examples = read_examples(path)[:limit] if limit else read_examples(path)
    if not examples:
        raise InvalidOption(f"{str(path)!r} holds no examples; give a plain-validation.jsonl")
    briefer = load_engine("briefer", choice)
    scores = []
    for done, example in enumerate(examples, 1):
        scores.append(score(example, briefer))
        progress(done, len(examples))
    shares = {key: round(mean(float(s[key]) for s in scores), 4) for key, _ in ROWS}
    return {"file": str(path), "briefer": choice.to_json(), "examples": len(scores), "shares": shares,
            "english_words_mean": round(mean(s["english_words"] for s in scores), 1),
            "korean_characters_mean": round(mean(s["korean_characters"] for s in scores), 1),
            "seconds_mean": round(mean(s["seconds"] for s in scores), 4), "per_example": scores}


def table(report: dict) -> str:
    """The report as a table for the terminal."""
    who = report["briefer"]["name"] + (f" ({report['briefer']['model']})" if report["briefer"]["model"] else "")
    lines = [f"{report['examples']} examples of {report['file']}, briefed by {who}", "",
             f"{'measure':<46} {'value':>8}", f"{'-' * 46} {'-' * 8}"]
    lines += [f"{label:<46} {report['shares'][key]:>8.0%}" for key, label in ROWS]
    lines += [f"{'English paragraph, words on average':<46} {report['english_words_mean']:>8.1f}",
              f"{'Korean paragraph, characters on average':<46} {report['korean_characters_mean']:>8.1f}",
              f"{'seconds per brief':<46} {report['seconds_mean']:>8.3f}"]
    return "\n".join(lines)
