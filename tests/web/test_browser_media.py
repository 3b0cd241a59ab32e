"""Videos and albums in a real browser against the real server: a video uploaded and played with its new
soundtrack through the same player; photos chosen, reordered by keyboard and by drag, previewed per photo,
made into one piece and a slideshow that plays on the result page."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from melodify.samples import photo_bytes
from tests.videos import make_clip

from .test_browser import browser, new_page, server, shot  # noqa: F401 - the shared fixtures

MEDIA_READY = ("() => { const v = document.getElementById('video');"
               " return v && v.readyState >= 3 && !document.getElementById('result').hidden; }")


def play_on_the_result_page(page) -> None:
    page.wait_for_url(re.compile(r"/tracks/[\w-]{16,}/$"), wait_until="domcontentloaded", timeout=30_000)
    page.wait_for_function(MEDIA_READY, timeout=120_000)
    assert page.locator("#audio").is_hidden()
    page.click("#play-button")
    page.wait_for_function("() => document.getElementById('video').currentTime > 0.5", timeout=20_000)
    assert page.evaluate("() => !document.getElementById('video').paused")
    assert page.get_attribute("#play-button", "data-state") == "pause"
    page.click("#play-button")
    page.click("#forward-button")
    assert page.evaluate("() => document.getElementById('video').currentTime") >= 5.0
    assert not page.errors, page.errors


def test_a_video_gets_its_soundtrack_and_plays_on_the_result_page(browser, server, tmp_path):  # noqa: F811
    clip = make_clip(tmp_path / "clip.mp4", seconds=8.0, cuts=(4.0,), sound=True)
    page = new_page(browser, "en-US")
    page.goto(server + "/")
    page.click("#video-link")
    page.set_input_files("#video-input", str(clip))
    page.click("#make-button")
    play_on_the_result_page(page)
    assert page.get_attribute("#download-video", "href").endswith("/video")
    shot(page, "video-result")
    track_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{server}/s/{track_id}/")
    assert page.get_attribute('meta[property="og:video"]', "content").endswith(f"/tracks/{track_id}/video")
    page.context.close()


def test_photos_are_reordered_by_keyboard_and_drag_and_become_a_slideshow(browser, server, tmp_path):  # noqa: F811
    names = ("night-sea", "sunny-beach", "forest")
    paths = []
    for name in names:
        paths.append(tmp_path / f"{name}.jpg")
        paths[-1].write_bytes(photo_bytes(name, size=(640, 480)))
    page = new_page(browser, "en-US")
    page.goto(server + "/album/")
    page.set_input_files("#album-input", [str(p) for p in paths])
    page.wait_for_function("() => [...document.querySelectorAll('.album-brief')].every(b => /BPM/.test(b.textContent))",
                           timeout=60_000)
    order = lambda: page.eval_on_selector_all(".album-name", "els => els.map(e => e.textContent)")  # noqa: E731
    assert order() == [f"{n}.jpg" for n in names]
    page.focus(".album-item >> nth=0")
    page.keyboard.press("Alt+ArrowDown")                         # night-sea goes second
    assert order() == ["sunny-beach.jpg", "night-sea.jpg", "forest.jpg"]
    page.drag_and_drop(".album-item >> nth=2", ".album-item >> nth=0", target_position={"x": 10, "y": 5})
    assert order() == ["forest.jpg", "sunny-beach.jpg", "night-sea.jpg"]
    page.fill('input[name="seconds"]', "3")
    page.click("#make-button")
    play_on_the_result_page(page)
    shot(page, "album-result")
    track_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    data = page.request.get(f"{server}/api/v1/tracks/{track_id}").json()
    assert data["kind"] == "album" and len(data["sections"]) == 3
    first = page.request.get(data["urls"]["photo"]).body()
    shown = np.asarray(Image.open(io.BytesIO(first)).convert("RGB")).mean(axis=(0, 1))
    colours = [np.asarray(Image.open(p).convert("RGB")).mean(axis=(0, 1)) for p in paths]
    assert int(np.argmin([np.abs(c - shown).sum() for c in colours])) == 2      # forest came first
    page.context.close()
