"""The Gemini briefer (API key or Vertex AI), as the original Melodify's tuned Gemini wrote its "musical
expression": a tuned model or a Vertex AI endpoint is just the model setting."""

from __future__ import annotations

from ...llm.gemini_api import GeminiChat
from ..asking import AskingBriefer


class GeminiBriefer(AskingBriefer):
    name = "gemini"

    def __init__(self, model: str | None = None, *, http_client=None, credentials=None) -> None:
        self.chat = GeminiChat(self.name, model, http_client=http_client, credentials=credentials)
