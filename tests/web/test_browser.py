"""The pages in a real browser (Chromium driven by Playwright) against the real server with its embedded
worker: choose a photo, see the brief, make the track, watch it being made, play, seek, download, share,
in English and in Korean. Screenshots of every page go to test-artifacts/screenshots/."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile

from melodify.samples import photo_bytes

from .badfiles import bad_file
from .live import CHROMIUM, CHROMIUM_ARGS, serving

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
PLAYER_READY = ("() => { const a = document.getElementById('audio');"
                " return a && a.readyState >= 3 && !document.getElementById('result').hidden; }")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("melodify-browser")) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with `apt-get install chromium`")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def beach(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("photos") / "sunny-beach.jpg"
    path.write_bytes(photo_bytes("sunny-beach"))
    return path


def capfirst(message: str) -> str:
    """The pages start the engine's messages with a capital letter."""
    return message[:1].upper() + message[1:]


HANGUL = re.compile(r"[가-힣]")


def new_page(browser, locale: str, viewport: dict | None = None):
    context = browser.new_context(locale=locale, accept_downloads=True,
                                  viewport=viewport or {"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The Content-Security-Policy blocks what it does not allow with a console error: count those too.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    page.errors = errors
    # Keep every progress text and active stage the making page shows, from its first paint.
    page.add_init_script("""
      window.__seen = [];
      document.addEventListener('DOMContentLoaded', () => {
        const note = () => {
          const text = document.getElementById('percent-text');
          const stage = document.querySelector('.stage.active');
          if (text) window.__seen.push([text.textContent, stage ? stage.dataset.stage : '']);
        };
        note();
        new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
      });""")
    return page


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")   # else the sticky header lands mid-page in a full-page shot
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def audio(page, expression: str):
    return page.evaluate(f"() => {{ const a = document.getElementById('audio'); return {expression}; }}")


def choose_photo_and_see_the_brief(page, base: str, photo: Path) -> None:
    page.goto(base + "/")
    page.set_input_files("#photo-input", str(photo))
    page.wait_for_selector("#brief-card:not([hidden])", timeout=30_000)
    assert page.locator("#caption").inner_text().strip(), "the caption of what Melodify read"
    assert page.locator("#palette li").count() >= 1, "palette swatches"
    assert page.locator("#brief-genre").input_value(), "the brief's genre"


def make_and_reach_the_result(page) -> str:
    page.click("#make-button")
    page.wait_for_url(re.compile(r"/tracks/[\w-]{16,}/$"), wait_until="domcontentloaded", timeout=30_000)
    shot_name = getattr(page, "making_shot", None)
    if shot_name:
        shot(page, shot_name)
    page.wait_for_function(PLAYER_READY, timeout=60_000)
    assert page.locator("#making").is_hidden()
    return page.url


def test_make_play_seek_keyboard_download_share_in_english(browser, server, beach):
    page = new_page(browser, "en-US")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Turn a photo into music"
    shot(page, "01-upload")
    choose_photo_and_see_the_brief(page, server, beach)
    page.fill("#brief-tempo", "100")   # an edit the person makes on the brief card
    shot(page, "02-brief-card")

    page.making_shot = "03-making"
    url = make_and_reach_the_result(page)
    seen = page.evaluate("window.__seen")
    assert any(re.fullmatch(r"\d+% done", text) for text, _ in seen), seen
    assert page.locator("#result .result-ready").inner_text() == "Your track is ready"
    assert "100 BPM" in page.locator(".brief-details").inner_text(), "the tempo edit reached the brief"
    shot(page, "04-result")

    # Play: time moves.
    play = page.locator("#play-button")
    assert play.get_attribute("aria-label") == "Play"
    play.click()
    page.wait_for_function("() => document.getElementById('audio').currentTime > 0.3", timeout=10_000)
    assert play.get_attribute("aria-label") == "Pause"
    play.click()
    assert audio(page, "a.paused")

    # -5 s / +5 s move by exactly 5 s while paused.
    start = audio(page, "a.currentTime")
    page.click("#forward-button")
    assert audio(page, "a.currentTime") == pytest.approx(start + 5, abs=0.01)
    assert page.locator("#seek").get_attribute("aria-valuenow") == str(round(start + 5))
    shot(page, "04b-result-seeked")   # the played part of the waveform in colour
    page.click("#back-button")
    assert audio(page, "a.currentTime") == pytest.approx(start, abs=0.01)

    # Keyboard: space toggles play anywhere outside form controls; arrows seek; End then space replays.
    page.locator("h1.result-title").click()
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.getElementById('audio').paused")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.getElementById('audio').paused")
    before = audio(page, "a.currentTime")
    page.keyboard.press("ArrowRight")
    assert audio(page, "a.currentTime") == pytest.approx(before + 5, abs=0.01)
    box = page.locator("#seek").bounding_box()   # a click on the waveform seeks there
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    assert audio(page, "a.currentTime") == pytest.approx(audio(page, "a.duration") / 2, abs=0.3)
    page.keyboard.press("Home")
    assert audio(page, "a.currentTime") == 0
    page.keyboard.press("End")
    assert play.get_attribute("data-state") == "replay"
    assert play.get_attribute("aria-label") == "Play again from the start"
    page.keyboard.press("Space")
    page.wait_for_function("() => { const a = document.getElementById('audio'); return !a.paused && a.currentTime < 3; }")
    play.click()

    # Download the MP3 and decode it.
    with page.expect_download() as download:
        page.click("#download-mp3")
    assert download.value.suggested_filename.endswith(".mp3")
    samples, rate = soundfile.read(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert abs(len(samples) / rate - 15) < 1.0, len(samples) / rate
    assert np.sqrt(np.mean(np.square(samples))) > 0.01, "the MP3 is not silent"

    # Vote and copy the share link.
    up = page.locator("button.vote[value=up]")
    up.click()
    page.wait_for_function("() => document.querySelector('button.vote[value=up]').getAttribute('aria-pressed') === 'true'")
    page.click("#copy-button")
    page.wait_for_function("() => document.getElementById('copy-status').textContent === 'Link copied'")
    share_url = page.locator("#share-url").input_value()
    assert share_url == url.replace("/tracks/", "/s/")
    assert page.evaluate("navigator.clipboard.readText()") == share_url

    # The share page plays the same track; "my tracks" lists it.
    page.goto(share_url)
    page.wait_for_function(PLAYER_READY, timeout=20_000)
    assert page.locator("#make-your-own").is_visible()
    shot(page, "05-share")
    page.goto(server + "/mine/")
    assert page.locator(".track-item").count() == 1
    shot(page, "06-my-tracks")

    # Another genre: a new track of that genre, made from the same photo.
    page.goto(url)
    page.wait_for_function(PLAYER_READY, timeout=20_000)
    page.select_option("#another-genre", "lo-fi")
    page.click("#another-genre-form button")
    page.wait_for_url(lambda new: new != url and "/tracks/" in new, timeout=20_000)
    page.wait_for_function(PLAYER_READY, timeout=60_000)
    assert page.locator("#result .eyebrow [data-bind=genre_label]").inner_text() == "Lo-fi"
    assert page.errors == [], page.errors


def test_the_same_flow_in_korean(browser, server, beach):
    page = new_page(browser, "ko-KR")
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "사진을 음악으로"
    assert page.locator("#make-button").inner_text() == "내 음악 만들기"
    choose_photo_and_see_the_brief(page, server, beach)
    assert page.locator("#another-button").inner_text() == "다른 사진 고르기"
    description = page.locator("#brief-description")
    assert description.get_attribute("lang") == "ko" and HANGUL.search(description.inner_text())
    assert page.locator("#brief-mood").get_attribute("lang") == "en", "the editable mood words stay English"
    caption = page.locator("#caption")
    assert caption.get_attribute("lang") == "ko" and HANGUL.search(caption.inner_text()), "the Korean caption"
    assert not re.search("[A-Za-z]", caption.inner_text()), caption.inner_text()
    assert HANGUL.search(page.locator("#mood-translation").inner_text()), "with their Korean below"
    page.click("#options summary")
    page.eval_on_selector("#option-duration", "(el) => { el.value = 40; el.dispatchEvent(new Event('input')); }")
    assert page.locator("#duration-output").inner_text() == "40"
    shot(page, "07-ko-brief-card")
    page.click("#make-button")
    page.wait_for_url(re.compile(r"/tracks/[\w-]{16,}/$"), wait_until="domcontentloaded", timeout=30_000)
    # A 40 s track takes long enough to see the stages go by.
    page.wait_for_function("() => document.querySelector('.stage.done') || !document.getElementById('result').hidden",
                           timeout=30_000)
    shot(page, "08-ko-making")
    page.wait_for_function(PLAYER_READY, timeout=60_000)
    seen = page.evaluate("window.__seen")
    assert any(re.fullmatch(r"\d+% 완료", text) for text, _ in seen), seen
    assert page.locator("#result .result-ready").inner_text() == "음악이 완성됐어요"
    assert page.locator("#play-button").get_attribute("aria-label") == "재생"
    assert page.locator("#another-version-form button").inner_text() == "다른 버전"
    assert page.locator("#copy-button").inner_text() == "공유 링크 복사"
    assert re.search(r"[A-G][#b]? (장조|단조)", page.locator(".brief-details").inner_text())
    for selector in (".brief-details .brief-description", ".brief-details [data-bind=mood]",
                     "#result [data-bind=caption]"):
        element = page.locator(selector)   # filled in by the script when the result was swapped in
        assert element.get_attribute("lang") == "ko" and HANGUL.search(element.inner_text()), selector
    shot(page, "09-ko-result")

    # The header switch goes back to English and stays.
    page.click(".lang-switch button[value=en]")
    page.wait_for_selector("text=Your track is ready")
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Turn a photo into music"
    assert page.errors == [], page.errors


def test_the_upload_page_fits_a_phone(browser, server, beach):
    page = new_page(browser, "en-US", viewport={"width": 390, "height": 844})
    page.goto(server + "/")
    fits = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(fits), "nothing sticks out sideways on a 390 px wide phone"
    assert page.locator("#dropzone").bounding_box()["width"] > 300, "the drop zone uses the width"
    shot(page, "12-phone-upload")
    choose_photo_and_see_the_brief(page, server, beach)
    assert page.evaluate(fits), "the brief card fits too"
    make = page.locator("#make-button").bounding_box()
    assert make["x"] >= 0 and make["x"] + make["width"] <= 390
    shot(page, "13-phone-brief-card")
    assert page.errors == [], page.errors


def test_bad_files_are_refused_on_the_page_before_and_after_upload(browser, server, tmp_path):
    page = new_page(browser, "en-US")
    previews: list[str] = []
    page.on("request", lambda request: previews.append(request.url) if "/api/v1/previews" in request.url else None)
    page.goto(server + "/")

    # Before upload: the type and the size are checked in the page; nothing is sent.
    page.set_input_files("#photo-input", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    alert = page.locator("#upload-error[role=alert]")
    assert "“notes.txt” is not a photo Melodify can read" in alert.inner_text()
    huge = tmp_path / "huge.jpg"
    huge.write_bytes(b"\xff\xd8\xff" + bytes(65 * 1024 * 1024))
    page.set_input_files("#photo-input", str(huge))
    assert "“huge.jpg” is 65.0 MB; photos can be at most 64 MB" in alert.inner_text()
    assert previews == []

    # After upload: the server's reason, in the same alert; the drop zone is back for another try.
    fake, name, refusal = bad_file("text-renamed-jpg")
    page.set_input_files("#photo-input", files=[{"name": name, "mimeType": "image/jpeg", "buffer": fake}])
    page.wait_for_function("(message) => document.getElementById('upload-error').textContent === message",
                           arg=capfirst(refusal.message), timeout=10_000)
    assert len(previews) == 1
    assert page.locator("#dropzone").is_visible() and page.locator("#brief-card").is_hidden()
    shot(page, "10-refused")

    # Pressing make with no photo says so.
    page.click("#make-button")
    assert alert.inner_text() == "Choose a photo first."
    assert page.errors == [], page.errors


def test_the_photo_can_be_chosen_by_keyboard_and_by_drag_and_drop(browser, server, beach):
    page = new_page(browser, "en-US")
    page.goto(server + "/")
    # Opening the picker = a click on the file input (what the browser does with it is its own affair).
    page.evaluate("window.__pickerOpened = 0;"
                  " document.getElementById('photo-input').addEventListener('click', () => window.__pickerOpened++)")
    page.focus("#dropzone")
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert page.evaluate("window.__pickerOpened") == 2, "Enter and Space on the drop zone open the picker"
    page.set_input_files("#photo-input", str(beach))
    page.wait_for_selector("#brief-card:not([hidden])", timeout=30_000)
    assert page.locator("#file-name").inner_text() == "sunny-beach.jpg"

    page.click("#another-button")   # "choose another" opens the picker again; the old photo is gone
    assert page.evaluate("window.__pickerOpened") == 3
    assert page.locator("#dropzone").is_visible() and page.locator("#brief-card").is_hidden()

    page.evaluate("""async (bytes) => {
        const file = new File([new Uint8Array(bytes)], 'dropped.jpg', {type: 'image/jpeg'});
        const transfer = new DataTransfer();
        transfer.items.add(file);
        document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", list(beach.read_bytes()))
    page.wait_for_selector("#brief-card:not([hidden])", timeout=30_000)
    assert page.locator("#file-name").inner_text() == "dropped.jpg"
    assert page.locator("#photo-preview").evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert page.errors == [], page.errors


def test_without_javascript_the_form_and_the_pages_still_work(browser, server, beach):
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.set_input_files("#photo-input", str(beach))
    page.click("#options summary")
    page.select_option("#option-genre", "jazz")
    page.click("#make-button")
    page.wait_for_url(re.compile(r"/tracks/[\w-]{16,}/$"))
    # The making page refreshes itself every 2 s until the track is done; then the native player shows.
    page.wait_for_selector("#result audio[controls]", timeout=60_000)
    assert page.locator("#result .eyebrow [data-bind=genre_label]").inner_text() == "Jazz"
    assert page.locator("#download-mp3").get_attribute("href").endswith("/download/mp3")
    context.close()


@pytest.fixture(scope="module")
def failing_server(tmp_path_factory):
    """A server whose composer is not set up (tests/engines.py), so every job fails the way it would."""
    with serving(tmp_path_factory.mktemp("melodify-failing"), MELODIFY_ENGINE_MODULES="tests.engines",
                 MELODIFY_COMPOSER="unconfigured") as base:
        yield base


def test_a_failed_job_says_why_and_try_again_makes_a_new_track(browser, failing_server, beach):
    page = new_page(browser, "en-US")
    choose_photo_and_see_the_brief(page, failing_server, beach)
    page.click("#make-button")
    page.wait_for_url(re.compile(r"/tracks/[\w-]{16,}/$"))
    first = page.url
    failed = page.locator("#failed")
    failed.wait_for(state="visible", timeout=30_000)
    assert "The music service needs MUSIC_API_KEY set" in failed.inner_text()
    assert failed.locator("[role=alert]").is_visible()
    shot(page, "11-failed")
    page.click("#retry-form button")
    page.wait_for_url(lambda url: url != first and "/tracks/" in url, timeout=20_000)
    page.locator("#failed").wait_for(state="visible", timeout=30_000)
    assert page.locator("a", has_text="Choose another photo").get_attribute("href") == "/"
    assert page.errors == [], page.errors


def test_where_the_server_offers_a_second_composer_a_person_can_choose_it_and_sees_its_licence(
        browser, tmp_path, beach):
    with serving(tmp_path / "data", MELODIFY_ENGINE_MODULES="tests.engines") as base:
        page = new_page(browser, "en-US")
        choose_photo_and_see_the_brief(page, base, beach)
        page.click("#options summary")
        page.select_option("select.option-engine[name=composer]", "non-commercial")
        shot(page, "09-engine-choice")
        make_and_reach_the_result(page)
        credits = page.locator(".brief-details .engine").inner_text()
        assert "music composed by non-commercial" in credits and "CC-BY-NC-4.0" in credits
        assert "You may use this music for non-commercial purposes only." in credits
        assert not page.errors, page.errors


def test_while_the_composer_gets_ready_the_making_page_says_so_in_english_and_korean(browser, tmp_path, beach):
    """A composer that has not begun (a model loading, kernels building) reports no rate: the page says what
    is happening instead of a time left guessed from the stages before, which stood still the whole while."""
    with serving(tmp_path / "data", MELODIFY_ENGINE_MODULES="tests.engines", MELODIFY_COMPOSER="slow",
                 MELODIFY_TEST_SLOW_SECONDS="5") as base:
        for locale, words in (("en-US", "Getting the composer ready…"), ("ko-KR", "작곡 엔진을 준비하는 중…")):
            page = new_page(browser, locale)
            choose_photo_and_see_the_brief(page, base, beach)
            page.click("#make-button")
            page.wait_for_url(re.compile(r"/tracks/[\w-]{16,}/$"), wait_until="domcontentloaded", timeout=30_000)
            page.wait_for_function("words => document.getElementById('eta-text').textContent === words", arg=words,
                                   timeout=20_000)
            assert page.locator(".stage.active").get_attribute("data-stage") == "compose"
            shot(page, f"12-composer-starting-{locale}")
            page.wait_for_function(PLAYER_READY, timeout=60_000)
            assert not page.errors, page.errors


def test_a_brief_written_by_a_language_model_shows_in_english_and_in_korean(browser, tmp_path, beach):
    """The server reads and briefs with OpenAI, answered by a loopback mock of its API."""
    from tests import llm_mocks as mocks

    with mocks.MockOpenAIServer() as mock, serving(
            tmp_path / "data", MELODIFY_READER="openai", MELODIFY_BRIEFER="openai", OPENAI_API_KEY="sk-test",
            OPENAI_BASE_URL=mock.url, MELODIFY_LLM_RETRIES="0") as base:
        for locale, lang, caption, description in (
                ("en-US", "en", mocks.READING["caption"], mocks.BRIEF["description"]),
                ("ko-KR", "ko", mocks.READING["caption_ko"], mocks.BRIEF["description_ko"])):
            page = new_page(browser, locale)
            choose_photo_and_see_the_brief(page, base, beach)
            assert page.locator("#caption").inner_text() == caption
            assert page.locator("#caption").get_attribute("lang") == lang
            assert page.locator("#brief-description").inner_text() == description
            assert page.locator("#brief-genre").input_value() == "latin"
            make_and_reach_the_result(page)
            assert page.locator(".brief-details .brief-description").inner_text() == description
            assert page.locator(".result-photo figcaption").inner_text() == caption
            assert "OpenAI" in page.locator(".brief-details .engine").inner_text()
            shot(page, f"10-{lang}-llm-brief")
            assert not page.errors, page.errors


def test_a_stranger_with_the_link_gets_the_share_view_and_the_owner_deletes_the_track(browser, server):
    from .live import post_photo, wait_for_tracks

    owner = "browser-owner-delete-0001"
    _, _, track = post_photo(f"{server}/api/v1/tracks", owner, photo_bytes("forest", size=(640, 480)), duration="5")
    wait_for_tracks(server, owner, [track["id"]], timeout=120)
    stranger = new_page(browser, "en-US")
    stranger.goto(f"{server}/tracks/{track['id']}/")
    assert stranger.url == f"{server}/s/{track['id']}/"
    assert stranger.locator("#make-your-own").is_visible()
    assert stranger.locator("#vote-form, #delete-form, #another-version-form").count() == 0
    shot(stranger, "20-stranger-share-view")

    page = new_page(browser, "en-US")
    page.context.add_cookies([{"name": "melodify_owner", "value": owner, "url": server}])
    page.goto(f"{server}/tracks/{track['id']}/")
    page.wait_for_function(PLAYER_READY, timeout=20_000)
    page.click("summary:has-text('Delete this track')")
    page.locator("#delete-form").scroll_into_view_if_needed()
    shot(page, "21-track-delete-open")
    page.click("#delete-form button")
    page.wait_for_url(f"{server}/mine/")
    assert track["id"] not in page.content()
    assert stranger.goto(f"{server}/s/{track['id']}/").status == 404
    assert page.errors == [] and stranger.errors == [], (page.errors, stranger.errors)
