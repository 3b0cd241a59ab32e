"""Titles, takes, edit-and-make-again, the player's extras and My tracks in a real browser (Chromium via
Playwright) against the real server with its embedded worker, on a desktop (1280x900) and a phone
(390x844), in English and Korean. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import io
import re
import secrets

import mutagen
import pytest

from melodify.samples import photo_bytes

from .axe import serious_problems
from .live import post_photo, request, serving, wait_for_tracks
from .test_browser import HANGUL, PLAYER_READY, browser, new_page, shot  # noqa: F401 - browser is a fixture

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOOKS = [pytest.param("en-US", DESKTOP, id="en-desktop"), pytest.param("ko-KR", PHONE, id="ko-phone"),
         pytest.param("en-US", PHONE, id="en-phone"), pytest.param("ko-KR", DESKTOP, id="ko-desktop")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("melodify-browser-tracks")) as base:
        yield base


def owned_tracks(server: str, count: int = 2) -> tuple[str, list[dict]]:
    """A new owner with `count` finished tracks (a beach in latin, a night sea in jazz), made through the API."""
    owner = secrets.token_urlsafe(16)
    photos = [("sunny-beach", "latin"), ("night-sea", "jazz"), ("forest", "folk")][:count]
    ids = []
    for scene, genre in photos:
        status, _, body = post_photo(f"{server}/api/v1/tracks", owner, photo_bytes(scene, "JPEG", size=(640, 480)),
                                     genre=genre, duration="6")
        assert status == 202, body
        ids.append(body["id"])
    done = wait_for_tracks(server, owner, ids, timeout=90)
    return owner, [done[i] for i in ids]


def browser_page(browser, server: str, locale: str, viewport: dict, owner: str):  # noqa: F811
    page = new_page(browser, locale, viewport)
    page.context.add_cookies([{"name": "melodify_owner", "value": owner, "url": server}])
    return page


def open_ready_track(browser, server: str, locale: str, viewport: dict, count: int = 1):  # noqa: F811
    """A new owner's finished track(s), and a page showing the first one ready to play."""
    owner, tracks = owned_tracks(server, count)
    page = browser_page(browser, server, locale, viewport, owner)
    page.goto(f"{server}/tracks/{tracks[0]['id']}/")
    page.wait_for_function(PLAYER_READY, timeout=30_000)
    return page, tracks


def korean(locale: str) -> bool:
    return locale.startswith("ko")


def name(locale: str, viewport: dict) -> str:
    return f"{locale[:2]}-{'phone' if viewport is PHONE else 'desktop'}"


@pytest.mark.parametrize("locale, viewport", LOOKS)
def test_the_result_shows_the_title_and_the_owner_renames_it(browser, server, locale, viewport):  # noqa: F811
    page, (track, *_) = open_ready_track(browser, server, locale, viewport)
    title = track["title_ko"] if korean(locale) else track["title"]
    assert page.locator("h1#track-title").inner_text() == title
    assert page.title().startswith(title)
    if korean(locale):
        assert HANGUL.search(title)
    shot(page, f"20-result-title-{name(locale, viewport)}")

    page.locator("#rename summary").click()
    page.fill("#rename-title", "x" * 81)   # maxlength stops typing; the server's limit is the same
    assert len(page.input_value("#rename-title")) == 80
    page.fill("#rename-title", "Sunday at the sea")
    page.locator("#rename-form button[type=submit]").click()
    page.wait_for_function("() => document.getElementById('track-title').textContent === 'Sunday at the sea'")
    assert page.title().startswith("Sunday at the sea")
    mp3 = request(track["urls"]["mp3"])[2]
    assert str(mutagen.File(io.BytesIO(mp3)).tags["TIT2"]) == "Sunday at the sea"
    page.reload()
    assert page.locator("h1#track-title").inner_text() == "Sunday at the sea"
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("locale, viewport", LOOKS[:2])
def test_a_download_is_named_by_the_title(browser, server, locale, viewport):  # noqa: F811
    page, (track, *_) = open_ready_track(browser, server, locale, viewport)
    with page.expect_download() as download:
        page.click("#download-mp3")
    title = track["title_ko"] if korean(locale) else track["title"]
    assert download.value.suggested_filename == f"{title}.mp3"
    tags = mutagen.File(download.value.path()).tags
    assert str(tags["TIT2"]) == title and tags.getall("APIC")
    page.context.close()


@pytest.mark.parametrize("locale, viewport", LOOKS)
def test_edit_and_make_again_then_compare_the_takes_side_by_side(browser, server, locale, viewport):  # noqa: F811
    page, (track, *_) = open_ready_track(browser, server, locale, viewport)
    assert page.locator("#takes").count() == 0, "one take: nothing to compare yet"
    page.locator("#remake summary").click()
    form = page.locator("#remake-form")
    assert form.locator("[name=seed]").input_value() == str(track["brief"]["seed"])
    form.locator("[name=tempo]").fill("500")
    form.locator("button[type=submit]").click()
    error = page.locator("#remake-error")
    error.wait_for(state="visible")
    if korean(locale):
        assert HANGUL.search(error.inner_text()), "the reason in the page's language"
    else:
        assert "500" in error.inner_text()   # refused, with the bad value quoted; no take made
    tempo = form.locator("[name=tempo]")
    assert tempo.get_attribute("aria-invalid") == "true" and tempo.evaluate("(e) => e === document.activeElement")
    form.locator("[name=tempo]").fill("72")
    form.locator("[name=key]").select_option("Eb")
    form.locator("[name=mode]").select_option("minor")
    shot(page, f"21-remake-form-{name(locale, viewport)}")
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: re.search(r"/tracks/[\w-]{16,}/$", url) and track["id"] not in url)
    page.wait_for_function(PLAYER_READY, timeout=60_000)
    facts = page.locator(".brief-details").inner_text()
    assert "72 BPM" in facts and "Eb" in facts

    takes = page.locator("#takes .take")
    assert takes.count() == 2
    assert page.locator("#takes .take.current").count() == 1
    shot(page, f"22-takes-{name(locale, viewport)}")
    page.locator("#remake summary").click()
    page.locator("#rename summary").click()
    assert serious_problems(page) == [], "axe-core on the takes, the remake form and the rename form"
    # Compare: the first take plays in the mini-player from where this take's player was.
    page.click("#play-button")
    page.wait_for_function("() => document.getElementById('audio').currentTime > 0.5", timeout=10_000)
    first = takes.nth(0)
    first.locator(".take-play").click()
    page.wait_for_selector("#mini-player:not([hidden])")
    assert page.evaluate("document.getElementById('audio').paused"), "the page's take gave way"
    page.wait_for_function("() => { const a = document.querySelector('#mini-player audio');"
                           " return a && !a.paused && a.currentTime > 0.5; }", timeout=10_000)
    assert first.locator(".take-play").get_attribute("aria-pressed") == "true"
    # Pick: open the first take.
    first.locator("a").click()
    page.wait_for_url(f"{server}/tracks/{track['id']}/")
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("locale, viewport", LOOKS[:2])
def test_volume_mute_loop_and_the_time_under_the_pointer(browser, server, locale, viewport):  # noqa: F811
    page, (track, *_) = open_ready_track(browser, server, locale, viewport)
    page.fill("#volume", "40")
    page.dispatch_event("#volume", "input")
    assert page.evaluate("document.getElementById('audio').volume") == pytest.approx(0.4)
    mute = page.locator("#mute-button")
    mute.click()
    assert page.evaluate("document.getElementById('audio').muted") and mute.get_attribute("aria-pressed") == "true"
    assert mute.get_attribute("aria-label") == ("음소거 해제" if korean(locale) else "Unmute")
    mute.click()
    assert not page.evaluate("document.getElementById('audio').muted")
    page.reload()   # the volume is remembered
    page.wait_for_function(PLAYER_READY, timeout=30_000)
    assert page.evaluate("document.getElementById('audio').volume") == pytest.approx(0.4)

    loop = page.locator("#loop-button")
    loop.click()
    assert loop.get_attribute("aria-pressed") == "true" and page.evaluate("document.getElementById('audio').loop")

    box = page.locator("#seek").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    tip = page.locator("#seek-tip")
    assert tip.is_visible() and tip.inner_text() == "0:03"   # half of 6 s
    shot(page, f"23-player-extras-{name(locale, viewport)}")
    assert serious_problems(page) == [], "axe-core on the player's extras"
    page.mouse.move(0, 0)
    assert tip.is_hidden()

    has_session = page.evaluate("'mediaSession' in navigator")
    page.click("#play-button")
    page.wait_for_function("() => document.getElementById('audio').currentTime > 0.2", timeout=10_000)
    if has_session:
        meta = page.evaluate("({title: navigator.mediaSession.metadata?.title, artist: navigator.mediaSession.metadata?.artist})")
        assert meta == {"title": track["title_ko"] if korean(locale) else track["title"], "artist": "Melodify"}
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("locale, viewport", LOOKS)
def test_my_tracks_play_inline_search_rename_delete_and_keep_playing_when_a_track_opens(
        browser, server, locale, viewport):  # noqa: F811
    owner, (beach, night) = owned_tracks(server)
    page = browser_page(browser, server, locale, viewport, owner)
    page.goto(f"{server}/mine/")
    rows = page.locator(".track-item")
    assert rows.count() == 2
    titles = [t.inner_text() for t in page.locator(".track-title").all()]
    key = "title_ko" if korean(locale) else "title"
    assert titles == [night[key], beach[key]]
    assert all(length.inner_text() == "0:06" for length in page.locator(".track-length").all())
    shot(page, f"24-mine-{name(locale, viewport)}")

    # Search by genre, in the page's language.
    page.fill("#search", "재즈" if korean(locale) else "jazz")
    page.press("#search", "Enter")
    page.wait_for_function("() => document.querySelectorAll('.track-item').length === 1")
    assert page.locator(".track-title").inner_text() == night[key]
    page.fill("#search", "")
    page.press("#search", "Enter")
    page.wait_for_function("() => document.querySelectorAll('.track-item').length === 2")

    # Play inline, then open that track: the music goes on, and the page's player takes it over.
    page.locator(f"[data-track='{night['id']}'] .row-play").click()
    page.wait_for_function("() => { const a = document.querySelector('#mini-player audio'); return a && a.currentTime > 0.5; }",
                           timeout=10_000)
    shot(page, f"25-mine-playing-{name(locale, viewport)}")
    page.evaluate("window.__sameDocument = true")
    page.locator(f"[data-track='{night['id']}'] a.track-link").click()
    page.wait_for_url(f"{server}/tracks/{night['id']}/")
    page.wait_for_selector("#track-title")
    assert page.evaluate("window.__sameDocument === true"), "opened without a reload"
    playing = page.evaluate("() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime; }")
    assert playing and playing > 0.5, "the same audio plays on in the track's own player"
    assert page.locator("#mini-player").is_hidden()
    # Back to My tracks while it plays: the mini-player holds it.
    page.locator("nav a[href='/mine/']").click()
    page.wait_for_url(f"{server}/mine/")
    page.wait_for_selector("#mini-player:not([hidden])")
    assert page.evaluate("() => !document.querySelector('#mini-player audio').paused")
    page.locator(".row-actions summary").first.click()
    assert serious_problems(page) == [], "axe-core on My tracks with the mini-player and a row's actions"
    page.locator(".row-actions summary").first.click()
    assert page.locator("#mini-title").inner_text() == night[key]
    page.click("#mini-play")   # pause and play again: the held audio is the bar's own now
    assert page.evaluate("() => document.querySelector('#mini-player audio').paused")
    page.click("#mini-play")
    page.wait_for_timeout(300)
    assert page.evaluate("() => !document.querySelector('#mini-player audio').paused")
    assert page.evaluate("document.body.classList.contains('has-mini-player')")
    page.click("#mini-close")
    assert page.locator("#mini-player").is_hidden()

    # Rename and delete in place.
    row = page.locator(f"[data-track='{beach['id']}']")
    row.locator(".row-actions summary").click()
    row.locator("input[name=title]").fill("바닷가 오후" if korean(locale) else "Beach afternoon")
    row.locator(".row-rename button").click()
    page.wait_for_function(f"() => document.querySelector(\"[data-track='{beach['id']}'] .track-title\").textContent"
                           f" === {('바닷가 오후' if korean(locale) else 'Beach afternoon')!r}")
    row.locator(".row-actions summary").click() if not row.locator(".row-delete").is_visible() else None
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator(".row-delete button").click()
    page.wait_for_function("() => document.querySelectorAll('.track-item').length === 1")
    assert request(f"{server}/api/v1/tracks/{beach['id']}")[0] == 404
    assert page.errors == []
    page.context.close()


BACKGROUND_TAB = """
  window.__titles = [];
  window.__notes = [];
  Object.defineProperty(document, "hidden", { get: () => true });          // the tab is in the background
  window.Notification = class { constructor(title, options) { window.__notes.push({ title, body: options?.body }); }
                                static get permission() { return "granted"; } };   // headless shows none: record it
  document.addEventListener("DOMContentLoaded", () => {
    const keep = () => window.__titles.push(document.title);
    keep();
    new MutationObserver(keep).observe(document.querySelector("title"), { childList: true, characterData: true, subtree: true });
  });"""


@pytest.mark.parametrize("locale, viewport", LOOKS[:2])
def test_the_tab_title_shows_progress_and_a_background_tab_is_notified_when_ready(
        browser, server, locale, viewport, tmp_path):  # noqa: F811
    photo = tmp_path / "forest.jpg"
    photo.write_bytes(photo_bytes("forest", "JPEG", size=(800, 600)))
    page = new_page(browser, locale, viewport)
    page.add_init_script(BACKGROUND_TAB)
    page.goto(server + "/")
    page.set_input_files("#photo-input", str(photo))
    page.wait_for_selector("#brief-card:not([hidden])", timeout=30_000)
    page.evaluate("() => { const d = document.getElementById('option-duration'); d.value = '60';"
                  " d.dispatchEvent(new Event('input', { bubbles: true })); d.dispatchEvent(new Event('change', { bubbles: true })); }")
    page.click("#make-button")
    page.wait_for_url(re.compile(r"/tracks/[\w-]{16,}/$"))
    page.wait_for_function(PLAYER_READY, timeout=60_000)
    making = "음악을 만드는 중" if korean(locale) else "Making your music"
    titles = page.evaluate("window.__titles")
    assert any(re.fullmatch(rf"\d+% · {making} — Melodify", title) for title in titles), titles
    title = page.locator("#track-title").inner_text()
    assert titles[-1] == f"{title} — Melodify"
    notes = page.evaluate("window.__notes")
    assert notes == [{"title": "음악이 완성됐어요" if korean(locale) else "Your track is ready", "body": title}]
    assert page.errors == []
    page.context.close()
