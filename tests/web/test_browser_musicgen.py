"""A server whose composer is MusicGen (a tiny random model folder, tests/musicgen_models.py) in a real
browser: the making page plays the first seconds while the rest is made, then switches to the mastered
track; the result page, the API and the download say the track is for non-commercial use."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import soundfile

from tests import musicgen_models

from .live import get_json, request, serving
from .test_browser import PLAYER_READY, beach, browser, choose_photo_and_see_the_brief, new_page, shot  # noqa: F401

OWNER_COOKIE = "melodify_owner"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def musicgen_server(tmp_path_factory):
    folder = musicgen_models.musicgen(tmp_path_factory.mktemp("tiny-musicgen") / "musicgen")
    # One torch thread: a tiny model on a busy 2-core machine runs several times faster so.
    with serving(tmp_path_factory.mktemp("melodify-musicgen"), log=ARTIFACTS / "musicgen-server.log",
                 MELODIFY_COMPOSER="musicgen", MELODIFY_COMPOSER_MODEL=str(folder), MELODIFY_COMPOSER_DEVICE="cpu",
                 OMP_NUM_THREADS="1") as base:
        yield base


def test_the_making_page_streams_a_musicgen_track_then_plays_the_mastered_one(browser, musicgen_server, beach):
    page = new_page(browser, "en-US")
    choose_photo_and_see_the_brief(page, musicgen_server, beach)
    page.click("#options summary")
    page.locator("#option-duration").fill("20")      # 250 decoding steps: time to hear it stream
    page.click("#make-button")
    page.wait_for_url(re.compile(r"/tracks/[\w-]{16,}/$"), wait_until="domcontentloaded", timeout=30_000)
    page.locator("#stream-button").wait_for(state="visible", timeout=60_000)
    shot(page, "12-musicgen-streaming")
    page.click("#stream-button")
    page.wait_for_function(PLAYER_READY, timeout=300_000)
    page.wait_for_function("() => window.__melodifyStream.switchedAt !== null", timeout=10_000)
    streamed = page.evaluate("window.__melodifyStream.played")
    assert streamed >= 1, "chunks were played before the track was done"
    page.wait_for_function("() => !document.getElementById('audio').paused", timeout=10_000)
    assert page.locator("#stream").is_hidden()

    credits = page.locator(".brief-details .engine").inner_text()
    assert "MusicGen (Meta AI)" in credits and "CC-BY-NC-4.0" in credits and "non-commercial purposes only" in credits
    shot(page, "13-musicgen-result")
    assert not page.errors, page.errors

    track_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    owner = next(c["value"] for c in page.context.cookies() if c["name"] == OWNER_COOKIE)
    data = get_json(f"{musicgen_server}/api/v1/tracks/{track_id}", owner)
    composer = next(c for c in data["credits"] if c["stage"] == "composer")
    assert composer["engine"] == "musicgen" and composer["commercial_use"] is False
    assert data["engine"]["licence"] == "for non-commercial use only"
    status, headers, mp3 = request(f"{musicgen_server}/tracks/{track_id}/download/mp3")
    assert status == 200 and b"for non-commercial use only" in mp3[:4096]   # the file's own tag says so
    samples, rate = soundfile.read(io.BytesIO(mp3))
    assert rate == 44100 and abs(len(samples) / rate - 20.0) < 0.1
    assert request(f"{musicgen_server}/tracks/{track_id}/preview/0")[0] == 404   # the chunks are gone
    page.context.close()
