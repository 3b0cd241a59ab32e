"""`melodify dataset build`: a data set balanced over the 20 genres, written by a teacher briefer.

Each candidate reading (see `sources`) is first put to the teacher as a listener would, with no genre
chosen; its brief is kept while its genre still needs examples. When the free tries are spent, the
genres still short are asked for by name ("the listener chose the genre: ..."), which is a question the
briefers are also sent. Every try is a line of a journal in the output folder, written before the next
one starts: a build that stops (a crash, Ctrl-C, a rate limit) picks up after its last whole line when
run again with the same settings, and makes exactly the files an unbroken run would have made.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..engines import EngineChoice, load_engine
from ..errors import InvalidImage, InvalidOption
from ..genres import GENRE_NAMES
from .examples import Example, make_example
from .writing import write_dataset

JOURNAL = ".journal.jsonl"
DURATIONS = (10.0, 15.0, 15.0, 20.0, 30.0)    # 15 s, the default, most often
FREE_TRIES = 3                                 # candidates per example before genres are asked for by name


@dataclass(frozen=True)
class Plan:
    """What a build is: the same plan resumes, another one is refused in the same folder."""

    count: int
    seed: int = 0
    teacher: EngineChoice = field(default_factory=EngineChoice)
    source: str = "scenes"               # "scenes", "captions:PATH" or "photos:PATH (reader)"
    validation: float = 0.1
    photo_uri: str | None = None          # gs://bucket/folder: the photos' place in Cloud Storage
    include: tuple[str, ...] = ()         # plain JSONL files of examples taken as they are (ratings)

    def key(self) -> dict:
        data = asdict(self)
        data["teacher"] = self.teacher.to_json()
        data["include"] = list(self.include)
        return data


@dataclass
class Attempt:
    k: int
    asked: str | None
    example: Example | None
    why: str = ""

    def to_json(self) -> str:
        return json.dumps({"k": self.k, "asked": self.asked, "why": self.why,
                           "example": self.example.model_dump(mode="json") if self.example else None},
                          ensure_ascii=False)


@dataclass
class State:
    examples: dict[str, Example] = field(default_factory=dict)
    genres: Counter = field(default_factory=Counter)
    next_k: int = 0
    rejected: Counter = field(default_factory=Counter)

    def add(self, example: Example) -> None:
        self.examples[example.id] = example
        self.genres[example.genre] += 1


def quotas(count: int, seed: int) -> dict[str, int]:
    """count / 20 each; the remainder goes to genres picked by the seed."""
    extra = list(GENRE_NAMES)
    random.Random(f"{seed}:quotas").shuffle(extra)
    return {g: count // len(GENRE_NAMES) + (1 if g in extra[:count % len(GENRE_NAMES)] else 0) for g in GENRE_NAMES}


def build(plan: Plan, out: Path, source, *, progress: Callable[[int, int], None] = lambda done, total: None) -> dict:
    """Build (or finish building) the data set of `plan` in `out`; returns the manifest written there."""
    if plan.count < 1:
        raise InvalidOption(f"--count {plan.count} should be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    state = State()
    for path in plan.include:
        for example in read_examples(Path(path)):
            if example.id not in state.examples:
                state.add(example)
    journal = _open_journal(out / JOURNAL, plan, state)
    quota = quotas(plan.count, plan.seed)
    teacher = load_engine("briefer", plan.teacher)
    free = plan.count * FREE_TRIES if source.size is None else min(plan.count * FREE_TRIES, source.size)
    give_up = free + plan.count * FREE_TRIES
    try:
        while len(state.examples) < plan.count and state.next_k < give_up:
            missing = [g for g in GENRE_NAMES if state.genres[g] < quota[g]]
            asked = None if state.next_k < free else missing[(state.next_k - free) % len(missing)]
            attempt = _attempt(teacher, source, plan, state, quota, state.next_k, asked)
            journal.write(attempt.to_json() + "\n")
            journal.flush()
            _apply(state, attempt)
            progress(len(state.examples), plan.count)
    finally:
        journal.close()
    return write_dataset(list(state.examples.values()), out, seed=plan.seed, validation=plan.validation,
                         photo_uri=plan.photo_uri, about={"plan": plan.key(), "attempts": state.next_k,
                                                          "rejected": dict(state.rejected)})


def _attempt(teacher, source, plan: Plan, state: State, quota: dict[str, int], k: int, asked: str | None) -> Attempt:
    rng = random.Random(f"{plan.seed}:try:{k}")
    seed, duration = rng.randrange(2**32), rng.choice(DURATIONS)
    try:
        candidate = source.candidate(k)
    except InvalidImage as exc:
        return Attempt(k, asked, None, f"unreadable photo: {exc.message}")
    brief = teacher.write(candidate.reading, seed=seed, duration=duration, genre=asked)
    if brief.fallback:
        return Attempt(k, asked, None, "teacher fell back to the rules")
    if asked is None and state.genres[brief.genre] >= quota[brief.genre]:
        return Attempt(k, asked, None, "genre already full")
    try:
        example = make_example(candidate.reading, brief, genre_chosen=asked, photo=candidate.photo,
                               source=f"build:{plan.teacher.name}")
    except ValueError as exc:
        return Attempt(k, asked, None, f"answer does not fit the schema ({exc})"[:200])
    if example.id in state.examples:
        return Attempt(k, asked, None, "duplicate question")
    return Attempt(k, asked, example)


def _apply(state: State, attempt: Attempt) -> None:
    state.next_k = attempt.k + 1
    if attempt.example is not None and attempt.example.id not in state.examples:
        state.add(attempt.example)
    elif attempt.example is None:
        state.rejected[attempt.why.split(":")[0].split(" (")[0]] += 1


def _open_journal(path: Path, plan: Plan, state: State):
    """The journal, replayed into `state` and open for appending; a new one starts with the plan."""
    if not path.exists():
        journal = path.open("w", encoding="utf-8")
        journal.write(json.dumps({"plan": plan.key()}, ensure_ascii=False) + "\n")
        return journal
    raw = path.read_bytes()
    whole = raw[:raw.rfind(b"\n") + 1]          # a line cut off by the interruption is tried again
    lines = whole.decode("utf-8").splitlines()
    header = json.loads(lines[0]) if lines else {}
    if header.get("plan") != plan.key():
        raise InvalidOption(f"{str(path.parent)!r} holds a build made with other settings "
                            f"({json.dumps(header.get('plan'), ensure_ascii=False)[:300]}); build with the same "
                            "settings to finish it, or choose another --out")
    for number, text in enumerate(lines[1:], 2):
        try:
            data = json.loads(text)
            example = Example.model_validate(data["example"]) if data["example"] else None
        except (ValueError, KeyError) as exc:
            raise InvalidOption(f"the build journal {str(path)!r} is damaged at line {number} ({exc}); "
                                "delete it to start the build again") from None
        _apply(state, Attempt(data["k"], data["asked"], example, data.get("why", "")))
    path.write_bytes(whole)
    return path.open("a", encoding="utf-8")


def read_examples(path: Path) -> list[Example]:
    """The examples of a plain JSONL file (a build's or a ratings export's)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidOption(f"cannot read {str(path)!r}: {exc}") from None
    examples = []
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            examples.append(Example.model_validate_json(text))
        except ValueError as exc:
            raise InvalidOption(f"{str(path)!r} line {number} is not a Melodify example "
                                f"({str(exc).splitlines()[0][:160]}); give a plain-*.jsonl file") from None
    return examples
