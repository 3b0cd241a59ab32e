"""Scale-out for real, shared by the tests that need it: a PostgreSQL database and a Redis DB of their
own (made fresh, removed afterwards), and waiting for Celery workers to answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres(sql: str) -> None:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)
    except psycopg.OperationalError as exc:
        pytest.fail(f"this test needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth): {exc}")


def redis_client(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"this test needs Redis at {url}: {exc}")
    return client


@contextmanager
def fresh_database_and_redis(db_name: str, redis_url: str) -> Iterator[None]:
    redis_db = redis_client(redis_url)
    postgres(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
    postgres(f"CREATE DATABASE {db_name}")
    redis_db.flushdb()
    try:
        yield
    finally:
        redis_db.flushdb()
        postgres(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")


def database_url(db_name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{db_name}"


def rows(db_name: str, sql: str, *params) -> list[tuple]:
    """Rows straight from a scale-out database."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db_name}", connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


def wait_for_workers(redis_url: str, names: list[str], timeout: float = 60) -> None:
    """Until every worker answers a Celery ping (so all are there before the jobs arrive)."""
    from celery import Celery

    app = Celery(broker=redis_url)
    deadline, answered = time.monotonic() + timeout, set()
    while time.monotonic() < deadline:
        for reply in app.control.ping(timeout=1.0) or []:
            answered.update(name.split("@")[0] for name in reply)
        if answered >= set(names):
            return
    raise AssertionError(f"workers {sorted(set(names) - answered)} did not answer in {timeout} s")
