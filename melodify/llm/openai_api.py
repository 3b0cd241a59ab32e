"""Asking OpenAI's Chat Completions API for a JSON answer that fits a schema (structured outputs).

The key comes from OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_ORG_ID... as the SDK reads them); the
model from the engine's model setting, else MELODIFY_OPENAI_MODEL, else DEFAULT_MODEL. Tests pass their
own `http_client` (an httpx2 client over a mock transport), so every byte goes through the SDK.
"""

from __future__ import annotations

import base64
import os

from ..contracts import Usage
from .answers import repair_text
from .calls import Prompt, Repair, Reply, Service, ServiceRefused, retries, retry_after, service_error, stopwatch, timeout

MODEL_VAR = "MELODIFY_OPENAI_MODEL"
# OpenAI names gpt-6-luna as the replacement of gpt-4o-mini and gpt-4.1-mini (shut down 2027-01-14):
# its efficient model, with image input and structured outputs.
DEFAULT_MODEL = "gpt-6-luna"
MAX_OUTPUT_TOKENS = 4000     # reasoning models spend some of it thinking
SERVICE = Service("OpenAI", credentials="OPENAI_API_KEY", model_setting=MODEL_VAR)


def model_name(model: str | None) -> str:
    return model or os.environ.get(MODEL_VAR) or DEFAULT_MODEL


class OpenAIChat:
    """One client per engine, kept warm with it; `ask` is safe to call from several threads."""

    def __init__(self, engine: str, model: str | None = None, *, http_client=None) -> None:
        import openai

        self.engine, self.model = engine, model_name(model)
        self.client = openai.OpenAI(timeout=timeout(), max_retries=retries(), http_client=http_client)

    def ask(self, prompt: Prompt, repair: Repair | None = None, *, seed: int | None = None) -> Reply:
        import openai

        with stopwatch() as took:
            try:
                response = self.client.chat.completions.create(
                    model=self.model, messages=_messages(prompt, repair), seed=seed,
                    max_completion_tokens=MAX_OUTPUT_TOKENS,
                    response_format={"type": "json_schema", "json_schema": {
                        "name": prompt.schema_name, "schema": prompt.schema, "strict": True}})
            except openai.APIStatusError as exc:
                raise service_error(SERVICE, self.model, exc.status_code, _detail(exc),
                                    retry_after(exc.response.headers)) from None
            except openai.APIConnectionError as exc:   # timeouts too
                raise service_error(SERVICE, self.model, None, str(exc) or type(exc).__name__) from None
        choice = response.choices[0] if response.choices else None
        usage = Usage(engine=self.engine, model=response.model or self.model, seconds=took[0],
                      input_tokens=getattr(response.usage, "prompt_tokens", 0) or 0,
                      output_tokens=getattr(response.usage, "completion_tokens", 0) or 0)
        if choice is None:
            raise service_error(SERVICE, self.model, 502, "the answer had no choices")
        if choice.message.refusal or choice.finish_reason == "content_filter":
            why = choice.message.refusal or "its content filter stopped the answer"
            raise ServiceRefused(f"{SERVICE.name} declined to answer: {' '.join(why.split())[:200]}; "
                                 "try another photo")
        return Reply(choice.message.content or "", usage)


def _messages(prompt: Prompt, repair: Repair | None) -> list[dict]:
    content: list[dict] = [{"type": "text", "text": prompt.text}]
    if prompt.image_jpeg is not None:
        url = "data:image/jpeg;base64," + base64.b64encode(prompt.image_jpeg).decode()
        content.insert(0, {"type": "image_url", "image_url": {"url": url}})
    messages = [{"role": "system", "content": prompt.system}, {"role": "user", "content": content}]
    if repair:
        messages += [{"role": "assistant", "content": repair.answer}, {"role": "user", "content": repair_text(repair)}]
    return messages


def _detail(exc) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    return (error.get("message") if isinstance(error, dict) else None) or exc.message
