"""/healthz says the process is alive; /readyz that the database, the broker and the storage answer,
and with a 503 which of them does not."""

from __future__ import annotations

import pytest

from .test_limits import DEAD_REDIS, broker  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_is_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_readyz_is_200_with_each_part_checked(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is True and body["down"] == []
    assert set(body["checks"]) == {"database", "broker", "storage"}
    assert all(value.startswith("ok") for value in body["checks"].values())


def test_readyz_is_503_naming_the_broker_when_redis_is_down(client, broker):  # noqa: F811
    broker(DEAD_REDIS)
    response = client.get("/readyz")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    body = response.json()
    assert body["down"] == ["broker"] and body["checks"]["broker"].startswith("down:")
    assert body["checks"]["database"] == "ok"


def test_readyz_is_503_naming_the_storage_when_it_fails(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.web.faulty_storage.BrokenStorage"}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["storage"] and "bucket unreachable" in response.json()["checks"]["storage"]
