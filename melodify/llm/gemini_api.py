"""Asking Gemini (google-genai) for a JSON answer that fits a schema, with an API key or on Vertex AI.

The SDK reads its own settings: GEMINI_API_KEY (or GOOGLE_API_KEY) for the Gemini API; or
GOOGLE_GENAI_USE_VERTEXAI=true with GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION (and Application
Default Credentials) for Vertex AI, as the original Melodify ran. A tuned model or an endpoint
("projects/P/locations/L/endpoints/ID") is just the model setting. Tests pass their own `http_client`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..contracts import Usage
from ..errors import NotConfigured
from .answers import repair_text
from .calls import Prompt, Repair, Reply, Service, ServiceRefused, retries, service_error, stopwatch, timeout

MODEL_VAR = "MELODIFY_GEMINI_MODEL"
# Google names gemini-3.5-flash-lite as the replacement of the retired gemini-2.5-flash.
DEFAULT_MODEL = "gemini-3.5-flash-lite"
MAX_OUTPUT_TOKENS = 4096
RETRIED_STATUSES = [408, 429, 500, 502, 503, 504]
REFUSED = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT",
           "RECITATION", "JAILBREAK", "MODEL_ARMOR"}
SERVICE = Service("Gemini", credentials="GEMINI_API_KEY (or, on Vertex AI, your Google Cloud credentials)",
                  model_setting=MODEL_VAR)
KEY_VARS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
VERTEX_VARS = ("GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION")


def model_name(model: str | None) -> str:
    return model or os.environ.get(MODEL_VAR) or DEFAULT_MODEL


def on_vertex() -> bool:
    return os.environ.get("GOOGLE_GENAI_USE_VERTEXAI", "").strip().lower() in ("true", "1")


def problem() -> str | None:
    """Why the Gemini engines cannot run here (the registry's check), or None."""
    if on_vertex():
        unset = [name for name in VERTEX_VARS if not os.environ.get(name)]
        return f"needs {' and '.join(unset)} set for Vertex AI" if unset else None
    if not any(os.environ.get(name) for name in KEY_VARS):
        return ("needs GEMINI_API_KEY set in the environment (or GOOGLE_GENAI_USE_VERTEXAI=true with "
                "GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION for Vertex AI)")
    return None


class GeminiChat:
    def __init__(self, engine: str, model: str | None = None, *, http_client=None, credentials=None) -> None:
        from google import genai

        self.engine, self.model = engine, model_name(model)
        try:
            self.client = genai.Client(http_options=http_options(http_client), credentials=credentials)
        except ValueError as exc:   # e.g. project and location without Vertex AI
            raise service_error(SERVICE, self.model, 401, str(exc)) from None

    def ask(self, prompt: Prompt, repair: Repair | None = None, *, seed: int | None = None) -> Reply:
        from google.genai import types

        config = types.GenerateContentConfig(
            system_instruction=prompt.system, response_mime_type="application/json",
            response_json_schema=prompt.schema, max_output_tokens=MAX_OUTPUT_TOKENS, seed=seed)
        with stopwatch() as took, google_errors(SERVICE, self.model):
            response = self.client.models.generate_content(model=self.model, contents=_contents(prompt, repair),
                                                           config=config)
        meta = response.usage_metadata
        usage = Usage(engine=self.engine, model=response.model_version or self.model, seconds=took[0],
                      input_tokens=(meta.prompt_token_count or 0) if meta else 0,
                      output_tokens=((meta.candidates_token_count or 0) + (meta.thoughts_token_count or 0))
                      if meta else 0)
        blocked = response.prompt_feedback.block_reason if response.prompt_feedback else None
        finish = response.candidates[0].finish_reason if response.candidates else None
        for reason in (blocked, finish):
            name = getattr(reason, "value", reason)
            if name in REFUSED:
                raise ServiceRefused(f"{SERVICE.name} declined to answer ({name}); try another photo")
        return Reply(_text(response), usage)


def http_options(http_client=None):
    """The SDK's HTTP settings: Melodify's timeout and retries (tests pass their own `http_client`)."""
    from google.genai import types

    return types.HttpOptions(
        timeout=int(timeout() * 1000), httpx_client=http_client,
        retry_options=types.HttpRetryOptions(attempts=retries() + 1, initial_delay=1.0, max_delay=30.0,
                                             http_status_codes=RETRIED_STATUSES))


@contextmanager
def google_errors(service: Service, model: str) -> Iterator[None]:
    """google-genai's errors as Melodify's: an HTTP status, no answer, or no usable credentials."""
    import httpx2
    from google.auth.exceptions import GoogleAuthError
    from google.genai import errors

    try:
        yield
    except errors.APIError as exc:
        raise service_error(service, model, exc.code, exc.message or exc.status or str(exc)) from None
    except (httpx2.TimeoutException, httpx2.TransportError) as exc:
        raise service_error(service, model, None, str(exc) or type(exc).__name__) from None
    except GoogleAuthError as exc:   # Vertex AI without usable Google Cloud credentials
        raise NotConfigured(f"Vertex AI needs Google Cloud credentials ({str(exc)[:160]}); run `gcloud auth "
                            "application-default login` or set GOOGLE_APPLICATION_CREDENTIALS",
                            code="service_auth") from None


def _contents(prompt: Prompt, repair: Repair | None) -> list:
    from google.genai import types

    parts = [types.Part.from_text(text=prompt.text)]
    if prompt.image_jpeg is not None:
        parts.insert(0, types.Part.from_bytes(data=prompt.image_jpeg, mime_type="image/jpeg"))
    contents = [types.Content(role="user", parts=parts)]
    if repair:
        contents += [types.Content(role="model", parts=[types.Part.from_text(text=repair.answer)]),
                     types.Content(role="user", parts=[types.Part.from_text(text=repair_text(repair))])]
    return contents


def _text(response) -> str:
    """The answer's text parts (not its thoughts), joined."""
    if not response.candidates or not response.candidates[0].content:
        return ""
    return "".join(part.text for part in response.candidates[0].content.parts or ()
                   if part.text and not part.thought)
