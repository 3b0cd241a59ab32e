"""Accessibility in a real browser, desktop and phone, English and Korean: axe-core finds no serious or
critical problem on any page (upload with its brief card, making, result, share, my tracks, an error,
the video and album pages, the API docs), and what axe cannot judge is checked by hand: names that say
what a control is and match what it shows, contrast of the waveform and the buttons, tap targets, the
live region."""

from __future__ import annotations

import re

import pytest

from .axe import EVERY, SERIOUS, serious_problems
from .test_browser import PLAYER_READY, beach, browser, choose_photo_and_see_the_brief, new_page, server, shot  # noqa: F401
from .test_browser_brief import EVERY_PAGE_KIND, LOCALES, VIEWS

TRACK_PAGE = re.compile(r"/tracks/[\w-]{16,}/$")


@pytest.fixture(scope="module")
def made(browser, server, beach) -> dict:
    """A 5 s track made in the browser: its page, and the browser's state (its owner cookie)."""
    page = new_page(browser, "en-US")
    choose_photo_and_see_the_brief(page, server, beach)
    page.click("#options summary")
    page.eval_on_selector("#option-duration", "(el) => { el.value = 5; }")
    page.click("#make-button")
    page.wait_for_url(TRACK_PAGE, wait_until="domcontentloaded", timeout=30_000)
    page.wait_for_function(PLAYER_READY, timeout=60_000)
    made = {"url": page.url, "state": page.context.storage_state()}
    page.context.close()
    return made


def page_for(browser, made: dict, lang: str, view: str, **options):
    context = browser.new_context(locale=LOCALES[lang], viewport=VIEWS[view], storage_state=made["state"],
                                  has_touch=view == "phone", is_mobile=view == "phone", **options)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.mark.parametrize("lang,view", EVERY_PAGE_KIND)
def test_axe_finds_no_serious_problem_on_any_page(browser, server, beach, made, lang, view):
    page = page_for(browser, made, lang, view)
    problems: dict[str, list[str]] = {}

    def check(name: str, impacts=SERIOUS) -> None:
        problems[name] = serious_problems(page, impacts)
        shot(page, f"a11y-{name}-{lang}-{view}")

    page.goto(server + "/")
    check("upload")
    choose_photo_and_see_the_brief(page, server, beach)
    page.click("#options summary")
    check("brief-card")
    page.eval_on_selector("#option-duration", "(el) => { el.value = 60; }")   # long enough to look at
    page.click("#make-button")
    page.wait_for_url(TRACK_PAGE, wait_until="domcontentloaded", timeout=30_000)
    check("making")
    page.goto(made["url"])
    page.wait_for_function(PLAYER_READY, timeout=30_000)
    check("result")
    page.goto(made["url"].replace("/tracks/", "/s/"))
    page.wait_for_function(PLAYER_READY, timeout=30_000)
    check("share")
    page.goto(server + "/mine/")
    check("mine")
    page.goto(server + "/tracks/no-such-track/")
    check("error")
    for other in ("video", "album"):   # the upload pages for a video's soundtrack and a photo album
        page.goto(f"{server}/{other}/")
        check(other)
    page.goto(server + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    check("api-docs", EVERY)   # headings in order and landmarks too: our own template over Swagger UI
    found = {name: found for name, found in problems.items() if found}
    assert not found, "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)
    assert page.errors == [], page.errors


CONTRAST = """
  const luminance = (rgb) => { const [r, g, b] = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
                               return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const rgbs = (text) => [...text.matchAll(/rgba?\\((\\d+), (\\d+), (\\d+)/g)].map((m) => [+m[1], +m[2], +m[3]]);
"""


def lowest_button_contrast(page, selector: str) -> float:
    """The text colour against each colour of the button's background gradient: the lowest ratio."""
    return page.eval_on_selector(selector, "(el) => {" + CONTRAST + """
        const style = getComputedStyle(el);
        const text = rgbs(style.color)[0];
        return Math.min(...rgbs(style.backgroundImage + ' ' + style.backgroundColor).filter((c) => c.join() !== '0,0,0' || style.backgroundImage === 'none').map((c) => contrast(text, c)));
    }""")


def unplayed_waveform_contrast(page) -> float:
    """The waveform's unplayed bars (the whole waveform at 0:00) against the page behind the player."""
    return page.evaluate("() => {" + CONTRAST + """
        const canvas = document.getElementById('waveform');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const counts = new Map();
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255) { const key = `${data[i]},${data[i + 1]},${data[i + 2]}`; counts.set(key, (counts.get(key) || 0) + 1); }
        const bar = [...counts].sort((a, b) => b[1] - a[1])[0][0].split(',').map(Number);
        let element = canvas, behind = null;
        while (element && !behind) { const c = rgbs(getComputedStyle(element).backgroundColor)[0]; const a = getComputedStyle(element).backgroundColor;
                                     if (c && !a.startsWith('rgba')) behind = c; element = element.parentElement; }
        return contrast(bar, behind || [255, 255, 255]);
    }""")


SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, select, input, summary, [role=button], [role=slider]')]
    .filter((el) => { const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'
                      && !el.closest('p, .skip-link') && el.type !== 'range'; })
    .map((el) => { const box = el.getBoundingClientRect(); return [el.id || el.className || el.tagName, Math.round(box.width), Math.round(box.height)]; })
    .filter(([, width, height]) => width < 44 || height < 44)"""


@pytest.mark.parametrize("lang,view", EVERY_PAGE_KIND)
def test_names_contrast_and_targets_that_axe_cannot_judge(browser, server, beach, made, lang, view):
    page = page_for(browser, made, lang, view)
    phone = view == "phone"
    choose_photo_and_see_the_brief(page, server, beach)
    page.click("#options summary")
    length = page.get_by_role("slider", name={"en": "Length", "ko": "길이"}[lang], exact=True)
    assert re.fullmatch({"en": r"15 seconds", "ko": r"15초"}[lang], length.get_attribute("aria-valuetext") or "")
    genre = {"en": "Genre", "ko": "장르"}[lang]
    assert page.get_by_role("combobox", name=genre, exact=True).count() == 1, "the two genre choices have two names"
    assert page.eval_on_selector("#photo-input", "(el) => getComputedStyle(el).display === 'none'"), \
        "the file input takes no tab stop and is not nested in the drop zone's button"
    swatches = page.eval_on_selector_all("#palette li", "(items) => items.map((li) => li.getAttribute('aria-label'))")
    assert swatches and not any(name.startswith("#") for name in swatches), swatches
    assert lowest_button_contrast(page, "#make-button") >= 4.5
    if phone:
        assert page.evaluate(SMALL_TARGETS) == [], "tap targets under 44 px on the upload page"

    page.goto(made["url"])
    page.wait_for_function(PLAYER_READY, timeout=30_000)
    for button in ("#back-button", "#forward-button"):   # the name a voice user says is the one they see
        name = page.eval_on_selector(button, "(el) => el.getAttribute('aria-label') || el.textContent")
        assert page.inner_text(button) in name, (button, name)
    assert unplayed_waveform_contrast(page) >= 3
    assert page.locator(".keys-hint").is_visible() != phone, "the keyboard hint is for keyboards"
    if phone:
        assert page.evaluate(SMALL_TARGETS) == [], "tap targets under 44 px on the result page"
        height = page.locator("#another-genre-form button").bounding_box()["height"]
        assert height < 50, f"“Another genre” wraps onto two lines ({height} px)"
    assert page.errors == [], page.errors


@pytest.mark.parametrize("lang", LOCALES)
def test_making_is_announced_stage_by_stage_and_ready_once(browser, server, beach, made, lang):
    page = page_for(browser, made, lang, "desktop")
    page.add_init_script("""
      window.__said = [];
      document.addEventListener('DOMContentLoaded', () => {
        const regions = [...document.querySelectorAll('[aria-live], [role=status], [role=alert]')];
        new MutationObserver(() => regions.forEach((region, i) => {
          const text = region.closest('[hidden]') ? '' : region.textContent.trim();   // hidden: not heard
          if (text && text !== region.__last) { region.__last = text; window.__said.push(text); }
        })).observe(document.body, {subtree: true, childList: true, characterData: true});
      });""")
    choose_photo_and_see_the_brief(page, server, beach)
    page.click("#make-button")
    page.wait_for_url(TRACK_PAGE, wait_until="domcontentloaded", timeout=30_000)
    page.wait_for_function(PLAYER_READY, timeout=60_000)
    page.wait_for_timeout(300)
    said = page.evaluate("window.__said")
    ready = {"en": "Your track is ready", "ko": "음악이 완성됐어요"}[lang]
    assert said.count(ready) == 1 and said[-1] == ready, said
    assert len(said) <= 6, f"the live region chatters: {said}"
