"""From a model's answer to a valid contract: parse the JSON, validate it, and on failure ask once more,
quoting what was wrong. A second bad answer raises `InvalidAnswer` with the reason, for the engine to
fall back on its stage's embedded engine (and record why)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..contracts import Usage
from .calls import Repair, Reply

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
MAX_PROBLEMS = 3
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)


class InvalidAnswer(Exception):
    """Two answers in a row did not fit: `reason` says why, `usage` holds both calls."""

    def __init__(self, reason: str, usage: list[Usage]) -> None:
        super().__init__(reason)
        self.reason, self.usage = reason, usage


def parse_json(text: str, schema: type[M]) -> M:
    """The answer as `schema`, or ValueError saying in a line what was wrong (quoted back to the model)."""
    fenced = _FENCE.match(text or "")
    body = fenced.group(1) if fenced else (text or "").strip()
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the answer is not valid JSON ({exc.msg} at character {exc.pos})") from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise ValueError(validation_problem(exc)) from None


def validation_problem(exc: ValidationError) -> str:
    """The first few errors of a validation, one line: "genre: unknown genre 'polka'; tempo: ..."."""
    problems = []
    for error in exc.errors()[:MAX_PROBLEMS]:
        where = ".".join(str(part) for part in error["loc"]) or "answer"
        got = error.get("input")
        quoted = f" (got {got!r})" if isinstance(got, (str, int, float)) and len(repr(got)) <= 40 else ""
        problems.append(f"{where}: {error['msg'].removeprefix('Value error, ')}{quoted}")
    more = len(exc.errors()) - MAX_PROBLEMS
    return "; ".join(problems) + (f"; and {more} more" if more > 0 else "")


def ask_valid(ask: Callable[[Repair | None], Reply], check: Callable[[str], T]) -> tuple[T, list[Usage]]:
    """`check(answer)` of the first answer that passes it, and the usage of every call made.
    `check` raises ValueError with a reason; the second try quotes it to the model."""
    reply = ask(None)
    usage = [reply.usage]
    try:
        return check(reply.text), usage
    except ValueError as first:
        repair = Repair(reply.text, str(first))
    reply = ask(repair)
    usage.append(reply.usage.model_copy(update={"purpose": "repair"}))
    try:
        return check(reply.text), usage
    except ValueError as second:
        raise InvalidAnswer(f"{second}, even after a repair", usage) from None


def repair_text(repair: Repair) -> str:
    """The follow-up question after an answer that did not fit."""
    return (f"That answer does not fit the schema: {repair.problem}. Answer again with one JSON object that "
            "fits the schema exactly, and nothing else.")
