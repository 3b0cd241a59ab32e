"""The upload page takes a photo pasted from the clipboard or given by its address (fetched by the
server), on a desktop and a phone, in English and Korean; and every page follows the system's dark
mode. Real Chromium, the real server, a real local web server for the photo's address."""

from __future__ import annotations

import base64
import http.server
import threading

import pytest

from melodify.samples import photo_bytes

from .axe import serious_problems
from .live import serving
from .test_browser import HANGUL, browser, new_page, shot  # noqa: F401 - browser is a fixture
from .test_browser_tracks import DESKTOP, LOOKS, PHONE, browser_page, name, owned_tracks  # noqa: F401
from .test_photo_by_url import Handler

PHOTO = photo_bytes("forest", "PNG", size=(480, 360))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("melodify-photo-sources"), MELODIFY_FETCH_PRIVATE="1",
                 MELODIFY_FETCH_TIMEOUT="2") as base:
        yield base


@pytest.fixture(scope="module")
def site():
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{web.server_address[1]}"
    web.shutdown()
    web.server_close()


def wait_for_brief(page) -> None:
    page.wait_for_selector("#brief-card:not([hidden])", timeout=30_000)
    assert page.locator("#caption").inner_text().strip()


@pytest.mark.parametrize("locale, viewport", LOOKS)
def test_a_pasted_photo_is_chosen_and_read(browser, server, locale, viewport):  # noqa: F811
    page = new_page(browser, locale, viewport)
    page.goto(server + "/")
    assert page.locator("#photo-sources").is_visible()
    page.evaluate("""(data) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const files = new DataTransfer();
        files.items.add(new File([bytes], "image.png", { type: "image/png" }));
        document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: files, bubbles: true }));
    }""", base64.b64encode(PHOTO).decode())
    wait_for_brief(page)
    assert page.evaluate("document.getElementById('photo-input').files[0].name") == "pasted-photo.png"
    assert serious_problems(page) == [], "axe-core on the upload page with its photo sources"
    shot(page, f"26-pasted-photo-{name(locale, viewport)}")
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("locale, viewport", LOOKS[:2])
def test_a_photo_by_its_address_is_fetched_and_a_bad_address_says_why(browser, server, site, locale, viewport):  # noqa: F811
    page = new_page(browser, locale, viewport)
    page.goto(server + "/")
    page.fill("#photo-url", "file:///etc/passwd")
    page.click("#photo-url-button")
    error = page.locator("#photo-url-error")
    error.wait_for(state="visible")
    if locale.startswith("ko"):
        assert HANGUL.search(error.inner_text()), "the reason in the page's language"
    else:
        assert "file:///etc/passwd" in error.inner_text()   # the server's words, quoting the address
    assert page.get_attribute("#photo-url", "aria-invalid") == "true"
    before = error.inner_text()   # read before the click: a quick answer must not become "before"
    page.fill("#photo-url", f"{site}/text")
    page.click("#photo-url-button")
    page.wait_for_function("(before) => { const e = document.getElementById('photo-url-error');"
                           " return !e.hidden && e.textContent !== before; }", arg=before)   # the image door's reason
    assert page.locator("#brief-card").is_hidden()
    page.fill("#photo-url", f"{site}/photo.png")
    page.press("#photo-url", "Enter")
    wait_for_brief(page)
    assert page.locator("#photo-url-error").is_hidden()
    assert page.evaluate("document.getElementById('photo-input').files[0].name") == "photo.jpg"
    page.click("#make-button")
    page.wait_for_url(lambda url: "/tracks/" in url, timeout=30_000)
    assert page.errors == []
    page.context.close()


def luminance(rgb: str) -> float:
    r, g, b = (int(x) for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


@pytest.mark.parametrize("locale, viewport", [LOOKS[0], LOOKS[1]])
def test_every_page_follows_the_systems_dark_mode(browser, server, locale, viewport):  # noqa: F811
    owner, (track,) = owned_tracks(server, 1)
    for scheme in ("dark", "light"):
        page = browser_page(browser, server, locale, viewport, owner)
        page.emulate_media(color_scheme=scheme)
        for path, shot_name in (("/", "upload"), (f"/tracks/{track['id']}/", "result"), ("/mine/", "mine")):
            page.goto(server + path)
            body = luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))
            ink = luminance(page.evaluate("getComputedStyle(document.body).color"))
            if scheme == "dark":
                assert body < 0.15 and ink > 0.7, (path, body, ink)
                assert serious_problems(page) == [], f"axe-core on {path} in dark mode"
                shot(page, f"27-dark-{shot_name}-{name(locale, viewport)}")
            else:
                assert body > 0.9 and ink < 0.3, (path, body, ink)
        assert page.errors == []
        page.context.close()
