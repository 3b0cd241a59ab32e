"""Scale-out settings that make a lost job come back instead of vanishing, and the worker entry point."""

from __future__ import annotations

import pytest

from melodify.errors import MelodifyError
from melodify_web.celery import app
from melodify_web.server import worker


def test_celery_delivers_each_job_at_least_once_and_one_at_a_time():
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    # Redis hands an unacknowledged job to another worker after visibility_timeout: never while it runs.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    app.loader.import_default_modules()   # what a worker does on start: autodiscovery finds the task
    assert "melodify.render_track" in app.tasks


def test_worker_without_redis_says_what_to_set(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(MelodifyError) as error:
        worker(concurrency=1)
    assert "REDIS_URL" in error.value.message and error.value.code == "no_redis"
