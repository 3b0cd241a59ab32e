"""`melodify tune vertex`: a Gemini supervised tuning job on Vertex AI, as the original Melodify tuned its
briefer in Vertex AI Studio, through google-genai's `tunings.tune`, followed until it ends.

Vertex AI reads the data set from Cloud Storage (`gcloud storage cp DIR/vertex-*.jsonl gs://BUCKET/`),
and the job runs in GOOGLE_CLOUD_PROJECT at GOOGLE_CLOUD_LOCATION with Application Default Credentials.
The tuned model is served at an endpoint: that endpoint is the Gemini briefer's model setting.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import InvalidOption, MelodifyError, NotConfigured
from ..llm.calls import Service
from ..llm.gemini_api import VERTEX_VARS, google_errors, http_options

MODEL_VAR = "MELODIFY_VERTEX_TUNING_MODEL"
# Tunable on Vertex AI, and the base of the Gemini briefer's default model.
DEFAULT_BASE_MODEL = "gemini-3.5-flash-lite"
SERVICE = Service("Vertex AI", credentials="your Google Cloud credentials and GOOGLE_CLOUD_PROJECT",
                  model_setting=f"--base-model or {MODEL_VAR}")
SUCCEEDED = "JOB_STATE_SUCCEEDED"
_SIZES = {1: "ONE", 2: "TWO", 4: "FOUR", 8: "EIGHT", 16: "SIXTEEN"}   # the SDK's AdapterSize names
ENDED = {SUCCEEDED, "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED", "JOB_STATE_PARTIALLY_SUCCEEDED"}


@dataclass(frozen=True)
class JobSettings:
    train: str                              # gs://bucket/vertex-train.jsonl
    validation: str | None = None
    base_model: str | None = None
    name: str = "melodify-briefer"
    epochs: int | None = None
    adapter_size: int | None = None         # 1, 2, 4, 8 or 16
    learning_rate_multiplier: float | None = None


def client(http_client=None, credentials=None):
    """A google-genai client on Vertex AI (project and location from the environment)."""
    from google import genai

    unset = [name for name in VERTEX_VARS if not os.environ.get(name)]
    if unset:
        raise NotConfigured(f"tuning on Vertex AI needs {' and '.join(unset)} set (your Google Cloud project and a "
                            "region such as us-central1)", code="not_configured")
    return genai.Client(vertexai=True, project=os.environ["GOOGLE_CLOUD_PROJECT"],
                        location=os.environ["GOOGLE_CLOUD_LOCATION"], http_options=http_options(http_client),
                        credentials=credentials)


def submit(settings: JobSettings, *, http_client=None, credentials=None) -> str:
    """Send the tuning job; returns its resource name (projects/P/locations/L/tuningJobs/ID)."""
    from google.genai import types

    for flag, uri in (("--train", settings.train), ("--validation", settings.validation)):
        if uri is not None and not uri.startswith("gs://"):
            raise InvalidOption(f"{flag} {uri!r} should be a Cloud Storage URI: upload the file with "
                                f"`gcloud storage cp {uri} gs://BUCKET/` and give gs://BUCKET/{os.path.basename(uri)}")
    base = settings.base_model or os.environ.get(MODEL_VAR) or DEFAULT_BASE_MODEL
    config = types.CreateTuningJobConfig(
        tuned_model_display_name=settings.name, epoch_count=settings.epochs,
        adapter_size=f"ADAPTER_SIZE_{_SIZES[settings.adapter_size]}" if settings.adapter_size else None,
        learning_rate_multiplier=settings.learning_rate_multiplier,
        validation_dataset=types.TuningValidationDataset(gcs_uri=settings.validation) if settings.validation else None)
    genai = client(http_client, credentials)
    with google_errors(SERVICE, base), warnings.catch_warnings():
        warnings.simplefilter("ignore")      # the SDK calls its tuning API experimental
        job = genai.tunings.tune(base_model=base, training_dataset=types.TuningDataset(gcs_uri=settings.train),
                                 config=config)
    return job.name


def follow(name: str, *, poll: float = 60.0, report: Callable[[str], None] = lambda state: None,
           http_client=None, credentials=None, sleep: Callable[[float], None] = time.sleep) -> dict:
    """Ask after the job every `poll` seconds until it ends; returns its tuned model and endpoint."""
    genai = client(http_client, credentials)
    last = None
    while True:
        with google_errors(SERVICE, name):
            job = genai.tunings.get(name=name)
        state = getattr(job.state, "value", str(job.state))
        if state != last:
            report(state)
            last = state
        if state in ENDED:
            break
        sleep(poll)
    if state != SUCCEEDED or not job.tuned_model:
        why = (job.error.message if job.error and job.error.message else "no reason given")
        raise MelodifyError(f"the tuning job {name} ended {state.removeprefix('JOB_STATE_').lower()}: {why}",
                            code="tuning_failed")
    return {"name": name, "state": state, "model": job.tuned_model.model, "endpoint": job.tuned_model.endpoint}
