"""The result and share pages say who made a track, whose sounds it uses and what a person may do with it
in words for people, not engine names and file names; desktop and phone, English and Korean, both when
the result swaps in on the making page and when the page is opened afresh."""

from __future__ import annotations

import re

import pytest

from .test_browser import HANGUL, PLAYER_READY, beach, browser, choose_photo_and_see_the_brief, new_page, server, shot  # noqa: F401
from .test_browser_brief import EVERY_PAGE_KIND, LOCALES, VIEWS

TRACK_PAGE = re.compile(r"/tracks/[\w-]{16,}/$")
JARGON = re.compile(r"embedded|\.sf2|Engine|엔진|SoundFont of your choice")
SAYS = {"en": ("Made by Melodify on its own", "You may use this music as you like, including commercially."),
        "ko": ("Melodify가 혼자 만들었어요", "이 음악은 상업적 용도를 포함해 자유롭게 쓸 수 있어요.")}
SOUNDS = {"en": "the FluidR3_GM SoundFont by Frank Wen", "ko": "Frank Wen의 FluidR3_GM 사운드폰트"}


def credits_words(page) -> str:
    return page.locator(".brief-details .engine").inner_text()


@pytest.mark.parametrize("lang,view", EVERY_PAGE_KIND)
def test_the_credits_are_in_words_for_people(browser, server, beach, lang, view):
    page = new_page(browser, LOCALES[lang], VIEWS[view])
    choose_photo_and_see_the_brief(page, server, beach)
    page.click("#make-button")
    page.wait_for_url(TRACK_PAGE, wait_until="domcontentloaded", timeout=30_000)
    page.wait_for_function(PLAYER_READY, timeout=60_000)
    for where in ("swapped in", "result", "share"):
        if where == "result":
            page.reload()
        elif where == "share":
            page.goto(page.url.replace("/tracks/", "/s/"))
        page.wait_for_function(PLAYER_READY, timeout=30_000)
        words = credits_words(page)
        made, use = SAYS[lang]
        assert made in words and use in words, (where, words)
        assert SOUNDS[lang] in words, (where, words)   # whose sounds, in the page's words
        assert not JARGON.search(words), (where, words)
        shot(page, f"credits-{where.replace(' ', '-')}-{lang}-{view}")
    assert page.errors == [], page.errors


@pytest.mark.parametrize("view", VIEWS)
def test_the_api_docs_try_it_out_makes_a_track_as_filled_in_and_link_back(browser, server, beach, view):
    page = new_page(browser, "en-US", VIEWS[view])
    page.goto(server + "/")
    page.click("a[href='/api/docs/']")                      # the app links its docs...
    operation = page.locator("#operations-v1-tracks_create")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("input[type=file]").set_input_files(str(beach))
    with page.expect_response(lambda response: response.url.endswith("/api/v1/tracks")
                              and response.request.method == "POST") as answer:
        operation.locator("button.execute").click()
    assert answer.value.status == 202, answer.value.text()
    shot(page, f"api-docs-try-it-out-{view}")
    page.click("a[href='/']")                                # ...and the docs link back
    assert page.locator("#upload-form").is_visible()
