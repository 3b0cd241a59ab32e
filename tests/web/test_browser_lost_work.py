"""Work on the upload page is not lost, in a real browser, desktop and phone, English and Korean: the
language switch keeps the photo, the options and the brief's edits; Back from the making page finds the
photo still chosen, and Make works again."""

from __future__ import annotations

import re

import pytest

from .test_browser import beach, browser, choose_photo_and_see_the_brief, new_page, server, shot  # noqa: F401
from .test_browser_brief import EVERY_PAGE_KIND, LOCALES, VIEWS, edit_field

OTHER = {"en": "ko", "ko": "en"}
TRACK_PAGE = re.compile(r"/tracks/[\w-]{16,}/$")


def photo_is_chosen(page, tempo: str) -> None:
    """The card shows the chosen photo with its edit, and the drop zone has made way for it."""
    page.wait_for_selector("#brief-card:not([hidden])", timeout=30_000)
    page.wait_for_function("(tempo) => document.getElementById('brief-tempo').value === tempo", arg=tempo,
                           timeout=10_000)
    assert page.locator("#file-name").inner_text() == "sunny-beach.jpg"
    assert page.locator("#dropzone").is_hidden() and page.locator("#chosen").is_visible()
    assert page.locator("#photo-preview").evaluate("(img) => img.complete && img.naturalWidth > 0")


@pytest.mark.parametrize("lang,view", EVERY_PAGE_KIND)
def test_the_language_switch_and_back_keep_the_photo_and_the_edits(browser, server, beach, lang, view):
    page = new_page(browser, LOCALES[lang], VIEWS[view])
    choose_photo_and_see_the_brief(page, server, beach)
    edit_field(page, "#brief-tempo", "70")
    page.click("#options summary")
    page.eval_on_selector("#option-duration", "(el) => { el.value = 20; el.dispatchEvent(new Event('input'));"
                                              " el.dispatchEvent(new Event('change')); }")

    page.click(f".lang-switch button[value={OTHER[lang]}]")
    page.wait_for_function("(lang) => document.documentElement?.lang === lang", arg=OTHER[lang])
    photo_is_chosen(page, "70")
    assert page.locator("#option-duration").input_value() == "20"
    shot(page, f"kept-after-language-switch-{lang}-{view}")

    page.click("#make-button")
    page.wait_for_url(TRACK_PAGE, wait_until="domcontentloaded", timeout=30_000)
    first = page.url
    page.go_back(wait_until="domcontentloaded")
    photo_is_chosen(page, "70")
    assert page.locator("#make-button").is_enabled()
    shot(page, f"kept-after-back-{lang}-{view}")
    page.click("#make-button")
    page.wait_for_url(lambda url: bool(TRACK_PAGE.search(url)) and url != first, wait_until="domcontentloaded",
                      timeout=30_000)
    assert page.errors == [], page.errors


def test_a_fresh_visit_starts_with_no_photo(browser, server, beach):
    page = new_page(browser, "en-US")
    choose_photo_and_see_the_brief(page, server, beach)
    page.click(".site-nav a[href='/']")    # "New track": a new start, not the last photo
    page.wait_for_load_state("domcontentloaded")
    page.wait_for_timeout(500)
    assert page.locator("#dropzone").is_visible() and page.locator("#brief-card").is_hidden()
