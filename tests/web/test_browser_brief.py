"""The brief card on the upload page, in a real browser, desktop and phone, English and Korean: an edit
rewrites the description to the new values, later changes of genre or length keep the edits, and an
edit that cannot be used is marked at its field, in the page's language, with the focus on it."""

from __future__ import annotations

import re

import pytest

from .badfiles import bad_file
from .test_browser import HANGUL, beach, browser, choose_photo_and_see_the_brief, new_page, server, shot  # noqa: F401

VIEWS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"en": "en-US", "ko": "ko-KR"}
EVERY_PAGE_KIND = [(lang, view) for lang in LOCALES for view in VIEWS]

# What the description says about tempo and key, per language (melodify.brief.description*).
SAYS_70_EB_MINOR = {"en": "70 bpm in Eb minor", "ko": "70 BPM, 내림마단조(Eb minor)"}
# A mood word as a person types it, and the engine's word for it as the description says it.
MOOD = {"en": ("angry", "angry"), "ko": ("슬픈", "쓸쓸함")}
GENRE_WORDS = {"jazz": {"en": "Jazz:", "ko": "재즈:"}, "lo-fi": {"en": "Lo-fi:", "ko": "로파이:"}}


def edit_field(page, selector: str, value: str) -> None:
    """Type into a field and leave it, as a person does (the change event)."""
    page.fill(selector, value)
    page.locator(selector).dispatch_event("change")


def the_card_says(page, lang: str, *, starts: str | None = None) -> bool:
    """Waits until the card shows the edits and a description of them; False when it never does."""
    typed, said = MOOD[lang]
    try:
        page.wait_for_function(
            """([typed, says, said, starts]) => {
                const text = document.getElementById('brief-description').textContent;
                const value = (id) => document.getElementById(id).value;
                return value('brief-tempo') === '70' && value('brief-key') === 'Eb' && value('brief-mode') === 'minor'
                    && value('brief-mood') === typed && text.includes(says) && text.includes(said)
                    && (!starts || text.startsWith(starts));
            }""", arg=[typed, SAYS_70_EB_MINOR[lang], said, starts], timeout=10_000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: say what the card shows instead
        return False
    return True


def card_state(page) -> dict:
    return page.evaluate("""() => ({tempo: document.getElementById('brief-tempo').value,
        key: document.getElementById('brief-key').value, mode: document.getElementById('brief-mode').value,
        mood: document.getElementById('brief-mood').value,
        description: document.getElementById('brief-description').textContent})""")


@pytest.mark.parametrize("lang,view", EVERY_PAGE_KIND)
def test_edits_rewrite_the_description_and_survive_a_new_genre_or_length(browser, server, beach, lang, view):
    page = new_page(browser, LOCALES[lang], VIEWS[view])
    choose_photo_and_see_the_brief(page, server, beach)
    edit_field(page, "#brief-tempo", "70")
    page.select_option("#brief-key", "Eb")
    page.select_option("#brief-mode", "minor")
    edit_field(page, "#brief-mood", MOOD[lang][0])
    assert the_card_says(page, lang), card_state(page)
    shot(page, f"brief-edited-{lang}-{view}")

    page.select_option("#brief-genre", "jazz")           # the card's genre
    assert the_card_says(page, lang, starts=GENRE_WORDS["jazz"][lang]), card_state(page)
    page.click("#options summary")
    page.select_option("#option-genre", "lo-fi")         # the options' genre
    assert the_card_says(page, lang, starts=GENRE_WORDS["lo-fi"][lang]), card_state(page)
    with page.expect_response(re.compile(r"/api/v1/previews$")):
        page.eval_on_selector("#option-duration", "(el) => { el.value = 20; el.dispatchEvent(new Event('input'));"
                                                  " el.dispatchEvent(new Event('change')); }")
    assert the_card_says(page, lang, starts=GENRE_WORDS["lo-fi"][lang]), card_state(page)
    assert page.errors == [], page.errors


BAD_EDITS = [   # field, value, what the English message names
    ("#brief-tempo", "500", "40 to 220"),
    ("#brief-tempo", "90.5", "whole number"),
    ("#brief-mood", "a" * 31, "30 letters"),
    ("#brief-mood", "calm, dreamy, bright, warm, soft, airy", "1 to 5"),
]


def invalid_field_message(page, selector: str) -> dict:
    """The field's marks: aria-invalid, the message it points to, whether it has focus and is in view."""
    return page.eval_on_selector(selector, """(field) => {
        const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
        const message = ids.map((id) => document.getElementById(id))
            .find((el) => el && el.classList.contains('field-error') && !el.hidden);
        const box = message ? message.getBoundingClientRect() : null;
        return {invalid: field.getAttribute('aria-invalid'), focused: document.activeElement === field,
                text: message ? message.textContent : '',
                inView: Boolean(box && box.top >= 0 && box.bottom <= window.innerHeight)};
    }""")


@pytest.mark.parametrize("lang,view", EVERY_PAGE_KIND)
def test_an_edit_that_cannot_be_used_is_marked_at_its_field_in_the_page_language(browser, server, beach,
                                                                                lang, view):
    page = new_page(browser, LOCALES[lang], VIEWS[view])
    tracks: list[str] = []
    page.on("request", lambda request: tracks.append(request.url) if request.url.endswith("/api/v1/tracks") else None)
    choose_photo_and_see_the_brief(page, server, beach)
    for selector, value, names in BAD_EDITS:
        page.fill(selector, value)
        page.click("#make-button")
        marks = invalid_field_message(page, selector)
        assert marks["invalid"] == "true" and marks["focused"] and marks["inView"], (selector, value, marks)
        assert "Input should" not in marks["text"] and value[:20] not in ("", marks["text"])
        if lang == "ko":
            assert HANGUL.search(marks["text"]), marks["text"]
        else:
            assert names in marks["text"], marks["text"]
        shot(page, f"brief-invalid-{lang}-{view}")
        page.fill(selector, "70" if selector == "#brief-tempo" else "calm")
        page.locator(selector).dispatch_event("change")
        assert page.get_attribute(selector, "aria-invalid") in (None, "false"), "the mark goes once it is right"
    assert tracks == [], "nothing was sent while a field was wrong"
    assert page.errors == [], page.errors


@pytest.mark.parametrize("lang", LOCALES)
def test_the_servers_refusal_of_a_photo_is_in_the_page_language(browser, server, lang):
    page = new_page(browser, LOCALES[lang])
    page.goto(server + "/")
    fake, name, refusal = bad_file("text-renamed-jpg")
    page.set_input_files("#photo-input", files=[{"name": name, "mimeType": "image/jpeg", "buffer": fake}])
    alert = page.locator("#upload-error")
    alert.wait_for(state="visible", timeout=10_000)
    text = alert.inner_text()
    if lang == "ko":
        assert HANGUL.search(text) and refusal.message not in text, text
    else:
        assert text == refusal.message[:1].upper() + refusal.message[1:]
