"""Waiting, in a real browser, desktop and phone, English and Korean: a queued track shows its place in
the queue and the expected wait, and the share page of an unfinished track shows its progress live and
plays it once it is done.

The site runs in scale-out mode (Redis, no worker at first), so the tracks wait in the queue for as long
as the test looks at them; then a real `melodify worker` starts and makes them."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from melodify.samples import photo_bytes

from .axe import serious_problems
from .live import base_env, post_photo, serving, start, stop
from .test_browser import PLAYER_READY, browser, new_page, shot  # noqa: F401
from .test_browser_brief import EVERY_PAGE_KIND, LOCALES, VIEWS
from .scale import redis_client

OWNER = "waiting-test-owner-0001"
IN_THE_QUEUE = {"en": r"Number {} in the queue · about \d+ s to wait", "ko": r"대기 순번 {}번 · 약 \d+초 기다려요"}


@contextmanager
def redis_database():
    """A Redis database of its own (11 to 14: other tests use 9, 10 and 15), so that test runs side by
    side never share a queue: each run holds a lock key in database 0 while it uses one."""
    import os

    import redis

    redis_client("redis://127.0.0.1:6379/0")   # fails saying what is missing when Redis is not there
    admin = redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=5)
    for number in range(11, 15):
        lock = f"melodify-tests:redis-db:{number}"
        if admin.set(lock, os.getpid(), nx=True, ex=1800):
            break
    else:
        pytest.fail("Redis databases 11 to 14 are all held by other test runs; wait for one to end")
    url = f"redis://127.0.0.1:6379/{number}"
    queue_db = redis.Redis.from_url(url, socket_timeout=5)
    queue_db.flushdb()
    try:
        yield url
    finally:
        queue_db.flushdb()
        admin.delete(lock)


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    """The site with an empty queue and no worker: (base URL, the environment a worker needs, its data)."""
    data = tmp_path_factory.mktemp("melodify-queue")
    with redis_database() as url, serving(data, REDIS_URL=url) as base:
        yield base, base_env(data, REDIS_URL=url), data


MADE: list[str] = []   # every track this module queued: with no worker, the queue in order


def queued_tracks(base: str, count: int) -> list[str]:
    ids = []
    for index in range(count):
        status, _, body = post_photo(base + "/api/v1/tracks", OWNER, photo_bytes("sunny-beach", size=(400, 300)),
                                     duration="5", seed=str(index))
        assert status == 202, body
        ids.append(body["id"])
    MADE.extend(ids)
    return ids


def test_the_share_page_of_an_unfinished_track_shows_progress_live_and_then_plays(browser, queue):
    base, env, data = queue
    ids = queued_tracks(base, 2)
    page = new_page(browser, "en-US")
    page.goto(f"{base}/s/{ids[-1]}/")
    first = page.locator("#eta-text").inner_text()
    assert re.search(IN_THE_QUEUE["en"].format(r"\d+"), first), first
    log = data / "worker.log"
    worker = start(["worker", "--concurrency", "1"], env, log)
    try:   # the page moves by itself: progress, then the player, with no reload by the test
        page.wait_for_function("(first) => document.getElementById('result')"
                               " || document.getElementById('eta-text').textContent !== first", arg=first,
                               timeout=90_000)
        page.wait_for_function(PLAYER_READY, timeout=120_000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: say what the worker did
        pytest.fail(f"the share page did not move on; the worker's log:\n{log.read_text()[-3000:]}")
    finally:
        stop(worker)
    MADE.clear()   # all made now: the queue is empty again for the tests below
    assert page.errors == [], page.errors


@pytest.mark.parametrize("lang,view", EVERY_PAGE_KIND)
def test_a_queued_track_shows_its_place_and_the_wait(browser, queue, lang, view):
    base, _, _ = queue
    ids = queued_tracks(base, 3)
    page = new_page(browser, LOCALES[lang], VIEWS[view])
    for kind in ("tracks", "s"):   # the making page, and the share page of the unfinished track
        page.goto(f"{base}/{kind}/{ids[2]}/")
        text = page.locator("#eta-text").inner_text()
        assert re.search(IN_THE_QUEUE[lang].format(MADE.index(ids[2]) + 1), text), (kind, text)
        assert page.locator("#progress[role=progressbar]").is_visible(), kind
        assert serious_problems(page) == [], kind
        shot(page, f"queued-{kind}-{lang}-{view}")
    assert page.errors == [], page.errors
