"""Sharing in a real browser: the share page carries a playable card's tags, the embedded player plays
inside an iframe, and KakaoTalk's button (with an app key) hands Kakao's SDK the track's card. Kakao's
SDK cannot be reached from here: the browser is given a stand-in at its address that records the call."""

from __future__ import annotations

import pytest

from .axe import serious_problems
from .live import serving
from .test_browser import browser, shot  # noqa: F401 - browser is a fixture
from .test_browser_tracks import LOOKS, browser_page, korean, name, owned_tracks

SDK = "https://sdk.kakao.test/kakao.min.js"
STAND_IN = """window.Kakao = { initialized: null, sent: null,
  isInitialized() { return this.initialized !== null; }, init(key) { this.initialized = key; },
  Share: { sendDefault(card) { window.Kakao.sent = card; } } };"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("melodify-share"), MELODIFY_KAKAO_APP_KEY="test-kakao-key",
                 MELODIFY_KAKAO_SDK_URL=SDK) as base:
        yield base


@pytest.mark.parametrize("locale, viewport", LOOKS)
def test_a_share_link_unfurls_as_a_playable_card_and_kakaotalk_gets_the_track(browser, server, locale, viewport):  # noqa: F811
    owner, (track,) = owned_tracks(server, 1)
    page = browser_page(browser, server, locale, viewport, owner)
    page.route(SDK, lambda route: route.fulfill(body=STAND_IN, content_type="text/javascript"))

    page.goto(f"{server}/s/{track['id']}/")
    tags = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('meta[property], meta[name]')]
                              .map((m) => [m.getAttribute('property') || m.getAttribute('name'), m.content]))""")
    assert tags["og:image:width"] == "640" and tags["og:image:height"] == "480"
    assert tags["twitter:card"] == "player" and tags["twitter:player"].endswith(f"/embed/{track['id']}/")
    title = track["title_ko"] if korean(locale) else track["title"]
    assert title in tags["og:title"]
    oembed = page.evaluate("document.querySelector('link[type=\"application/json+oembed\"]').href")
    assert page.request.get(oembed).json()["html"].startswith("<iframe")
    shot(page, f"28-share-{name(locale, viewport)}")
    page.goto(f"{server}/embed/{track['id']}/")
    assert serious_problems(page) == [], "axe-core on the embedded player"
    page.goto(f"{server}/s/{track['id']}/")

    # The embedded player, inside another page's iframe, plays.
    html = page.request.get(oembed).json()["html"]
    page.set_content(f"<!doctype html><html lang='en'><body><h1>A blog</h1>{html}</body></html>")
    frame = page.frame_locator("iframe")
    assert frame.locator(".embed-title").inner_text() == title
    frame.locator("#embed-audio").evaluate("(a) => a.play()")
    page.wait_for_function("() => document.querySelector('iframe').contentDocument.getElementById('embed-audio').currentTime > 0.3",
                           timeout=10_000)
    shot(page, f"29-embedded-{name(locale, viewport)}")

    # KakaoTalk, from the track page.
    page.goto(f"{server}/tracks/{track['id']}/")
    button = page.locator("#kakao-share")
    button.wait_for(state="visible")
    assert page.evaluate("window.Kakao.initialized") == "test-kakao-key"
    button.click()
    card = page.evaluate("window.Kakao.sent")
    assert card["objectType"] == "feed" and card["content"]["title"] == title
    assert card["content"]["link"]["webUrl"].endswith(f"/s/{track['id']}/")
    assert card["content"]["imageUrl"].endswith("/photo.jpg")
    assert page.errors == []
    page.context.close()


def test_without_the_sdk_the_kakao_button_stays_hidden_and_the_link_is_still_shared(browser, server):  # noqa: F811
    owner, (track,) = owned_tracks(server, 1)
    page = browser_page(browser, server, "ko-KR", LOOKS[1].values[1], owner)
    page.route(SDK, lambda route: route.abort())
    page.goto(f"{server}/tracks/{track['id']}/")
    page.wait_for_selector("#copy-button")
    assert page.locator("#kakao-share").is_hidden()
    assert page.input_value("#share-url").endswith(f"/s/{track['id']}/")
    page.context.close()
