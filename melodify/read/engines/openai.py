"""The OpenAI reader: a vision model says what is in the photo (caption in English and Korean, objects,
scene, time of day, mood), as JSON checked against a schema; the measures come from the embedded reader."""

from __future__ import annotations

from ...llm.openai_api import OpenAIChat
from ..sight import AskingReader


class OpenAIReader(AskingReader):
    name = "openai"

    def __init__(self, model: str | None = None, *, http_client=None) -> None:
        self.chat = OpenAIChat(self.name, model, http_client=http_client)
