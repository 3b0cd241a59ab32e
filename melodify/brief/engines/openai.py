"""The OpenAI briefer: a brief written by an OpenAI model with structured output (the brief's JSON schema),
checked against MusicBrief; a tuned model is just the model setting."""

from __future__ import annotations

from ...llm.openai_api import OpenAIChat
from ..asking import AskingBriefer


class OpenAIBriefer(AskingBriefer):
    name = "openai"

    def __init__(self, model: str | None = None, *, http_client=None) -> None:
        self.chat = OpenAIChat(self.name, model, http_client=http_client)
