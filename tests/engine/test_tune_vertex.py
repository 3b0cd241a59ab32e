"""`melodify tune vertex` through google-genai's own HTTP layer on a mocked transport: the job it sends,
following it to its endpoint, and the errors a person can act on."""

from __future__ import annotations

import json

import pytest
from google.oauth2.credentials import Credentials

from melodify.cli import main
from melodify.errors import InvalidOption, MelodifyError, NotConfigured
from melodify.tune import vertex
from tests import llm_mocks as mocks

PARENT = "projects/melodify-test/locations/us-central1"
JOB = f"{PARENT}/tuningJobs/4242"
TUNED = {"model": f"{PARENT}/models/77@1", "endpoint": f"{PARENT}/endpoints/99"}


def job(state: str, **extra) -> dict:
    """A tuning job as Vertex AI answers it."""
    return {"name": JOB, "tunedModelDisplayName": "melodify-briefer", "baseModel": "gemini-3.5-flash-lite",
            "state": state, "createTime": "2026-12-01T10:00:00.000000Z", **extra}


@pytest.fixture
def on_vertex(monkeypatch):
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "melodify-test")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "us-central1")


@pytest.fixture
def mocked(monkeypatch, on_vertex):
    """The client the command builds, on a script of answers (what the test sets in `script.answers`)."""
    script = mocks.Script(mocks.ok(job("JOB_STATE_PENDING")))
    real = vertex.client
    monkeypatch.setattr(vertex, "client", lambda http_client=None, credentials=None: real(
        script.client(), Credentials(token="ya29.test-token")))
    monkeypatch.setattr(vertex.time, "sleep", lambda seconds: None)
    return script


SETTINGS = vertex.JobSettings(train="gs://melodify-data/v1/vertex-train.jsonl",
                              validation="gs://melodify-data/v1/vertex-validation.jsonl", epochs=4, adapter_size=4,
                              learning_rate_multiplier=0.5)


def test_the_job_sent_names_the_data_the_base_model_and_the_settings(mocked):
    assert vertex.submit(SETTINGS) == JOB
    request = mocked.requests[0]
    assert request.method == "POST"
    assert str(request.url).startswith(f"https://us-central1-aiplatform.googleapis.com/v1beta1/{PARENT}/tuningJobs")
    assert request.headers["authorization"] == "Bearer ya29.test-token"
    body = json.loads(request.content)
    assert body["baseModel"] == "gemini-3.5-flash-lite" and body["tunedModelDisplayName"] == "melodify-briefer"
    spec = body["supervisedTuningSpec"]
    assert spec["trainingDatasetUri"] == SETTINGS.train and spec["validationDatasetUri"] == SETTINGS.validation
    assert spec["hyperParameters"] == {"epochCount": 4, "adapterSize": "ADAPTER_SIZE_FOUR",
                                       "learningRateMultiplier": 0.5}


def test_following_a_job_reports_each_state_and_ends_with_its_endpoint(mocked):
    mocked.answers[:] = [mocks.ok(job("JOB_STATE_PENDING")), mocks.ok(job("JOB_STATE_RUNNING")),
                         mocks.ok(job("JOB_STATE_RUNNING")), mocks.ok(job("JOB_STATE_SUCCEEDED", tunedModel=TUNED))]
    states = []
    done = vertex.follow(JOB, poll=0, report=states.append)
    assert states == ["JOB_STATE_PENDING", "JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED"]
    assert done == {"name": JOB, "state": "JOB_STATE_SUCCEEDED", **TUNED}
    assert all(r.method == "GET" and str(r.url).endswith(JOB) for r in mocked.requests)


def test_the_command_submits_follows_and_prints_the_briefer_setting(mocked, capsys):
    mocked.answers[:] = [mocks.ok(job("JOB_STATE_PENDING")), mocks.ok(job("JOB_STATE_RUNNING")),
                         mocks.ok(job("JOB_STATE_SUCCEEDED", tunedModel=TUNED))]
    assert main(["tune", "vertex", "--train", SETTINGS.train, "--poll", "0"]) == 0
    out = capsys.readouterr().out
    assert f"Job      {JOB}" in out and "State    JOB_STATE_SUCCEEDED" in out
    assert f"--briefer gemini --briefer-model {TUNED['endpoint']}" in out


def test_a_failed_job_says_why(mocked):
    mocked.answers[:] = [mocks.ok(job("JOB_STATE_FAILED", error={"code": 3, "message": "Dataset has 3 examples; at "
                                                                 "least 10 are required."}))]
    with pytest.raises(MelodifyError, match="ended failed: Dataset has 3 examples"):
        vertex.follow(JOB, poll=0)


def test_refused_credentials_and_an_unknown_base_model_are_set_up_problems(mocked):
    mocked.answers[:] = [mocks.status(403, {"error": {"code": 403, "message": "Permission 'aiplatform.tuningJobs."
                                                      "create' denied", "status": "PERMISSION_DENIED"}})]
    with pytest.raises(NotConfigured, match="refused our credentials"):
        vertex.submit(SETTINGS)
    mocked.answers[:] = [mocks.status(404, {"error": {"code": 404, "message": "Base model gemini-0 not found",
                                                      "status": "NOT_FOUND"}})]
    with pytest.raises(NotConfigured, match="--base-model or MELODIFY_VERTEX_TUNING_MODEL"):
        vertex.submit(SETTINGS)


def test_a_local_file_must_be_uploaded_first_and_the_project_set(on_vertex, monkeypatch, capsys):
    with pytest.raises(InvalidOption, match="gcloud storage cp data/vertex-train.jsonl"):
        vertex.submit(vertex.JobSettings(train="data/vertex-train.jsonl"))
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT")
    assert main(["tune", "vertex", "--train", "gs://b/vertex-train.jsonl"]) == 3
    assert "needs GOOGLE_CLOUD_PROJECT set" in capsys.readouterr().err


def test_a_local_copy_is_validated_before_the_job_is_sent(mocked, tmp_path, capsys):
    bad = tmp_path / "vertex-train.jsonl"
    bad.write_text('{"contents": []}\n')
    assert main(["tune", "vertex", "--train", SETTINGS.train, "--check", str(bad)]) == 2
    assert "not a valid tuning file" in capsys.readouterr().err and not mocked.requests
