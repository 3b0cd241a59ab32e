"""`melodify dataset validate FILE`: every rule a tuning file must keep, with the line that breaks it.

Errors (the file is not valid): a line that is not JSON or not in the file's format, roles out of
order, empty parts, an answer that does not fit the brief schema (or ignores the genre the question
chose), a line repeated exactly, and the providers' documented limits. Warnings (valid, but worth a
look): another system prompt than the briefers', genres out of balance, near-duplicate captions.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..genres import GENRE_NAMES
from ..llm.answers import parse_json
from ..llm.prompts import BRIEF_SYSTEM, BriefDraft
from .formats import FORMATS, ROLES, Conversation, conversation, detect
from .tokens import IMAGE_TOKENS, counter

GB, MB = 1024**3, 1024**2


@dataclass(frozen=True)
class Limits:
    """A provider's documented limits on a tuning file."""

    provider: str
    tokens_per_example: int
    file_bytes: int
    min_train: int = 0                # fewer training examples are refused
    max_train: int | None = None
    max_train_multimodal: int | None = None
    max_validation: int | None = None
    recommended_train: int = 0        # fewer is a warning


# Vertex AI, Gemini 2.5 Flash / Flash-Lite and later: 131,072 input and output tokens per training
# example, at most 5,000 validation examples, a JSONL file of at most 1 GB, at most 1M text-only or 300K
# multimodal training examples; Google recommends starting with 100 examples
# (https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning#limitations,
#  https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning-prepare).
VERTEX = Limits("Vertex AI", tokens_per_example=131_072, file_bytes=1 * GB, max_train=1_000_000,
                max_train_multimodal=300_000, max_validation=5000, recommended_train=100)
# OpenAI: at least 10 training examples, 50 to 100 recommended
# (https://platform.openai.com/docs/guides/supervised-fine-tuning); a training example may be as long as
# the model's training context, 65,536 tokens for gpt-4o-mini and gpt-4.1-mini
# (https://platform.openai.com/docs/guides/fine-tuning#token-limits); an uploaded file at most 512 MB
# (https://platform.openai.com/docs/api-reference/files/create).
OPENAI = Limits("OpenAI", tokens_per_example=65_536, file_bytes=512 * MB, min_train=10, recommended_train=50)
LIMITS = {"vertex": VERTEX, "openai": OPENAI, "plain": None}

CHOSEN = re.compile(r"The listener chose the genre: ([\w&-]+)\. Use it\.")
NEAR = 0.8                 # captions sharing this share of their words are near-duplicates
IMBALANCE = 2.0            # the most common genre this many times the least: a warning
MAX_LISTED = 20            # problems of one kind listed before "and N more"


@dataclass
class Report:
    path: str
    format: str = ""
    split: str = "train"
    examples: int = 0
    tokens: int = 0
    tokens_max: int = 0
    tokens_how: str = ""
    genres: Counter = field(default_factory=Counter)
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        return {"path": self.path, "format": self.format, "split": self.split, "valid": self.valid,
                "examples": self.examples, "tokens": self.tokens, "tokens_max_example": self.tokens_max,
                "tokens_counted": self.tokens_how, "genres": dict(sorted(self.genres.items())),
                "errors": [{"line": n, "problem": p} for n, p in self.errors],
                "warnings": [{"line": n, "problem": p} for n, p in self.warnings]}


def validate(path: Path, *, tokenizer: str | None = None, split: str | None = None,
             provider_limits: bool = True) -> Report:
    """Check a tuning file (format found from its lines; a file named *validation* is a validation set).
    Without `provider_limits`, only the format and the answers are checked (for tuning a local model)."""
    report = Report(str(path), split=split or ("validation" if "valid" in path.name.lower() else "train"))
    count, report.tokens_how = counter(tokenizer)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        report.errors.append((None, f"cannot read the file: {exc.strerror or exc}"))
        return report
    except UnicodeDecodeError as exc:
        report.errors.append((None, f"not UTF-8 text (byte {exc.start}); save it as UTF-8"))
        return report
    seen: dict[str, int] = {}
    captions: list[tuple[int, str, frozenset[str]]] = []
    multimodal = False
    for number, line in enumerate(text.splitlines(), 1):
        conv = _line(line, number, report)
        if conv is None:
            continue
        report.examples += 1
        tokens = sum(count(t) for t in (conv.system, *(turn.text for turn in conv.turns)))
        tokens += IMAGE_TOKENS * sum(len(turn.files) for turn in conv.turns)
        multimodal = multimodal or any(turn.files for turn in conv.turns)
        report.tokens += tokens
        report.tokens_max = max(report.tokens_max, tokens)
        limits = LIMITS[report.format] if provider_limits else None
        if limits and tokens > limits.tokens_per_example:
            report.errors.append((number, f"{tokens:,} tokens, over {limits.provider}'s {limits.tokens_per_example:,} "
                                          "for one example"))
        key = hashlib.sha256(json.dumps([conv.system, [(t.role, t.text) for t in conv.turns]]).encode()).hexdigest()
        if key in seen:
            report.errors.append((number, f"repeats line {seen[key]} exactly"))
        seen.setdefault(key, number)
        caption = _caption(conv)
        captions.append((number, caption, frozenset(re.findall(r"\w+", caption.lower()))))
    if not report.examples and not report.errors:
        report.errors.append((None, "the file holds no examples"))
    _near_duplicates(captions, report)
    if provider_limits:
        _limits(report, len(raw), multimodal)
    _balance(report)
    return report


def _line(line: str, number: int, report: Report) -> Conversation | None:
    """The line read back as a conversation whose answer was checked, or None (with its errors noted)."""
    if not line.strip():
        report.errors.append((number, "empty line; every line must be one example"))
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        report.errors.append((number, f"not JSON ({exc.msg} at column {exc.colno})"))
        return None
    fmt = detect(data)
    if fmt is None:
        report.errors.append((number, f"not a tuning example in any format Melodify knows ({', '.join(FORMATS)})"))
        return None
    if not report.format:
        report.format = fmt
    elif fmt != report.format:
        report.errors.append((number, f"a {fmt} line in a file of {report.format} lines"))
        return None
    conv = conversation(data, fmt)
    problems = conv.problems + _order(conv, fmt) + _files(conv)
    if not problems and conv.turns:
        problems += _answer(conv)
    for problem in problems:
        report.errors.append((number, problem))
    if problems:
        return None
    if conv.system != BRIEF_SYSTEM:
        report.warnings.append((number, "the system text is not the one Melodify's briefers send, so a model tuned "
                                        "on it is not a drop-in briefer"))
    report.genres[json.loads(conv.turns[-1].text)["genre"]] += 1
    return conv


def _order(conv: Conversation, fmt: str) -> list[str]:
    asker, answerer = ROLES[fmt]
    problems = []
    for index, turn in enumerate(conv.turns):
        expected = asker if index % 2 == 0 else answerer
        if turn.role != expected:
            problems.append(f"turn {index + 1} has role {turn.role!r}, but {expected!r} was due "
                            f"(turns go {asker}, {answerer}, {asker}...)")
            break
    if not problems and conv.turns and conv.turns[-1].role != answerer:
        problems.append(f"the last turn must be the {answerer}'s answer")
    return problems


def _files(conv: Conversation) -> list[str]:
    problems = []
    for turn in conv.turns:
        for part in turn.files:
            uri, mime = str(part.get("fileUri", "")), str(part.get("mimeType", ""))
            if not uri.startswith(("gs://", "https://")):
                problems.append(f"fileData.fileUri {uri!r} must be a Cloud Storage URI (gs://bucket/photo.jpg)")
            if not mime.startswith("image/"):
                problems.append(f"fileData.mimeType {mime!r} must be an image type (image/jpeg)")
    return problems


def _answer(conv: Conversation) -> list[str]:
    try:
        draft = parse_json(conv.turns[-1].text, BriefDraft)
    except ValueError as exc:
        return [f"the answer does not fit the brief schema: {exc}"]
    chosen = CHOSEN.search(conv.turns[-2].text if len(conv.turns) > 1 else "")
    if chosen and chosen.group(1) != draft.genre:
        return [f"the question chose the genre {chosen.group(1)!r}, but the answer is {draft.genre!r}"]
    return []


def _caption(conv: Conversation) -> str:
    """The photo's caption in the question (its facts are a JSON line), else the question itself."""
    for text in conv.turns[0].texts:
        for line in text.splitlines():
            if line.startswith("{"):
                try:
                    return str(json.loads(line).get("caption", line))
                except (json.JSONDecodeError, AttributeError):
                    pass
    return conv.turns[0].text


def _near_duplicates(captions: list[tuple[int, str, frozenset[str]]], report: Report) -> None:
    found = 0
    for i, (number, caption, words) in enumerate(captions):
        for earlier, other, other_words in captions[:i]:
            if caption == other or not words or not other_words:
                continue
            alike = len(words & other_words) / len(words | other_words)
            if alike >= NEAR:
                found += 1
                if found <= MAX_LISTED:
                    report.warnings.append((number, f"its caption is nearly line {earlier}'s ({alike:.0%} of the "
                                                    "words alike)"))
                break
    if found > MAX_LISTED:
        report.warnings.append((None, f"and {found - MAX_LISTED} more near-duplicate captions"))


def _limits(report: Report, size: int, multimodal: bool) -> None:
    limits = LIMITS.get(report.format)
    if not limits:
        return
    name = limits.provider
    if size > limits.file_bytes:
        report.errors.append((None, f"the file is {size / MB:,.0f} MB, over {name}'s {limits.file_bytes / MB:,.0f} MB"))
    if report.split == "validation":
        if limits.max_validation and report.examples > limits.max_validation:
            report.errors.append((None, f"{report.examples:,} validation examples, over {name}'s "
                                        f"{limits.max_validation:,}"))
        return
    most = limits.max_train_multimodal if multimodal else limits.max_train
    if most and report.examples > most:
        report.errors.append((None, f"{report.examples:,} training examples, over {name}'s {most:,}"))
    if report.examples < limits.min_train:
        report.errors.append((None, f"{report.examples} training examples; {name} needs at least {limits.min_train}"))
    elif report.examples < limits.recommended_train:
        report.warnings.append((None, f"{report.examples} training examples; {name} recommends starting with "
                                      f"{limits.recommended_train} or more"))


def _balance(report: Report) -> None:
    if report.split == "validation" or report.examples < len(GENRE_NAMES):
        return
    missing = [g for g in GENRE_NAMES if not report.genres[g]]
    if missing:
        report.warnings.append((None, f"no examples of {', '.join(missing)}"))
    present = [report.genres[g] for g in GENRE_NAMES if report.genres[g]]
    if present and max(present) >= IMBALANCE * min(present) and max(present) - min(present) > 1:
        common = report.genres.most_common(1)[0]
        rare = min(((g, report.genres[g]) for g in GENRE_NAMES if report.genres[g]), key=lambda p: p[1])
        report.warnings.append((None, f"genres out of balance: {common[0]} has {common[1]}, {rare[0]} {rare[1]}"))
