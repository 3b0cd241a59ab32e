"""The data set's three line formats, written from an example and read back as turns for the checks.

- vertex: Vertex AI's Gemini supervised tuning JSONL, `systemInstruction` and `contents` with `user` and
  `model` turns; the photo, where there is one in Cloud Storage, as a `fileData` part before the text
  (https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning-prepare).
- openai: OpenAI's chat fine-tuning JSONL, `messages` with system, user and assistant roles
  (https://platform.openai.com/docs/guides/supervised-fine-tuning). Kept as an export: OpenAI stops
  accepting new fine-tuning jobs on 2027-01-06, so Melodify runs no job there.
- plain: Melodify's own, the `Example` (caption, reading, brief) that the other two are made from.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field

from .examples import Example

FORMATS = ("vertex", "openai", "plain")
ROLES = {"vertex": ("user", "model"), "openai": ("user", "assistant"), "plain": ("user", "model")}  # asker, answerer


def vertex_line(example: Example, photo_uri: str | None = None) -> dict:
    prompt = example.prompt()
    user: list[dict] = [{"text": prompt.text}]
    if photo_uri:
        mime = mimetypes.guess_type(photo_uri)[0] or "image/jpeg"
        user.insert(0, {"fileData": {"mimeType": mime, "fileUri": photo_uri}})
    return {"systemInstruction": {"role": "system", "parts": [{"text": prompt.system}]},
            "contents": [{"role": "user", "parts": user},
                         {"role": "model", "parts": [{"text": example.answer()}]}]}


def openai_line(example: Example) -> dict:
    prompt = example.prompt()
    return {"messages": [{"role": "system", "content": prompt.system},
                         {"role": "user", "content": prompt.text},
                         {"role": "assistant", "content": example.answer()}]}


def plain_line(example: Example) -> dict:
    return example.model_dump(mode="json")


def line(example: Example, fmt: str, photo_uri: str | None = None) -> str:
    data = {"vertex": lambda: vertex_line(example, photo_uri), "openai": lambda: openai_line(example),
            "plain": lambda: plain_line(example)}[fmt]()
    return json.dumps(data, ensure_ascii=False)


def detect(data: object) -> str | None:
    """Which format a parsed line is in, from its top-level keys."""
    if not isinstance(data, dict):
        return None
    if "contents" in data:
        return "vertex"
    if "messages" in data:
        return "openai"
    if "brief" in data and "reading" in data:
        return "plain"
    return None


@dataclass
class Turn:
    role: str
    texts: list[str] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)     # Vertex fileData parts

    @property
    def text(self) -> str:
        return "".join(self.texts)


@dataclass
class Conversation:
    """A line read back: its system text, turns in order, and what was wrong with its shape."""

    system: str = ""
    turns: list[Turn] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def conversation(data: dict, fmt: str) -> Conversation:
    return {"vertex": _vertex, "openai": _openai, "plain": _plain}[fmt](data)


def _started(data: dict, known: set[str], says: str) -> Conversation:
    """A conversation, with a problem noted for each top-level field the format does not have."""
    conv = Conversation()
    unknown = sorted(set(data) - known)
    if unknown:
        conv.problems.append(f"unknown field(s) {unknown}; {says}")
    return conv


def _vertex(data: dict) -> Conversation:
    conv = _started(data, {"systemInstruction", "contents", "tools"},
                    "a Vertex AI line has systemInstruction and contents")
    system = data.get("systemInstruction")
    if system is not None:
        turn = _vertex_content(system, "systemInstruction", conv.problems)
        conv.system = turn.text if turn else ""
    contents = data.get("contents")
    if not isinstance(contents, list) or not contents:
        conv.problems.append("contents must be a non-empty list of turns")
        return conv
    for index, content in enumerate(contents):
        turn = _vertex_content(content, f"contents[{index}]", conv.problems)
        if turn:
            conv.turns.append(turn)
    return conv


def _vertex_content(content: object, where: str, problems: list[str]) -> Turn | None:
    if not isinstance(content, dict):
        problems.append(f"{where} must be an object with role and parts")
        return None
    parts = content.get("parts")
    turn = Turn(str(content.get("role", "")))
    if not isinstance(parts, list) or not parts:
        problems.append(f"{where}.parts must be a non-empty list")
        return turn
    for number, part in enumerate(parts):
        here = f"{where}.parts[{number}]"
        kinds = sorted(set(part) & {"text", "fileData", "inlineData"}) if isinstance(part, dict) else []
        if len(kinds) != 1:
            problems.append(f"{here} must hold exactly one of text or fileData")
        elif kinds == ["text"]:
            if not isinstance(part["text"], str) or not part["text"].strip():
                problems.append(f"{here}.text is empty")
            else:
                turn.texts.append(part["text"])
        elif kinds == ["fileData"]:
            turn.files.append(part["fileData"] if isinstance(part["fileData"], dict) else {})
        else:
            problems.append(f"{here}: inlineData is not taken in tuning data; put the file in Cloud Storage "
                            "and give it as fileData")
    return turn


def _openai(data: dict) -> Conversation:
    conv = _started(data, {"messages", "tools", "parallel_tool_calls"}, "an OpenAI chat line has messages")
    messages = data.get("messages")
    if not isinstance(messages, list) or not messages:
        conv.problems.append("messages must be a non-empty list")
        return conv
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            conv.problems.append(f"messages[{index}] must be an object with role and content")
            continue
        content = message.get("content")
        if isinstance(content, list):     # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if not isinstance(content, str) or not content.strip():
            conv.problems.append(f"messages[{index}].content is empty")
            content = ""
        role = str(message.get("role", ""))
        if role == "system" and index == 0:
            conv.system = content
        else:
            conv.turns.append(Turn(role, [content] if content else []))
    return conv


def _plain(data: dict) -> Conversation:
    conv = Conversation()
    try:
        example = Example.model_validate(data)
    except ValueError as exc:
        conv.problems.append(f"not a Melodify example: {str(exc).splitlines()[0]}")
        return conv
    prompt = example.prompt()
    conv.system = prompt.system
    conv.turns = [Turn("user", [prompt.text]), Turn("model", [example.answer()])]
    return conv
