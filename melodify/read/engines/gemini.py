"""The Gemini reader (API key or Vertex AI): what is in the photo, as JSON checked against a schema; the
measures come from the embedded reader."""

from __future__ import annotations

from ...llm.gemini_api import GeminiChat
from ..sight import AskingReader


class GeminiReader(AskingReader):
    name = "gemini"

    def __init__(self, model: str | None = None, *, http_client=None, credentials=None) -> None:
        self.chat = GeminiChat(self.name, model, http_client=http_client, credentials=credentials)
