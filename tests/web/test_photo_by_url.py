"""A photo by URL: fetched by the server from a real local HTTP server, within strict limits, and
refused with a reason when it is not http(s), not public, too big, too slow or not a photo."""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from PIL import Image

from melodify.samples import photo_bytes

pytestmark = pytest.mark.django_db
PHOTO = photo_bytes("sunny-beach", "PNG", size=(320, 240))


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        routes = {
            "/photo.png": lambda: self.send(200, PHOTO, "image/png"),
            "/text": lambda: self.send(200, b"<html>not a photo</html>", "text/html"),
            "/missing": lambda: self.send(404, b"no", "text/plain"),
            "/redirect": lambda: self.send(302, b"", "text/plain", Location="/photo.png"),
            "/loop": lambda: self.send(302, b"", "text/plain", Location="/loop"),
            "/big": lambda: self.send(200, b"\0" * 2_000_000, "image/jpeg"),
            "/slow": self.slow,
        }
        routes.get(self.path, routes["/missing"])()

    def send(self, status: int, body: bytes, kind: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def slow(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        try:
            for _ in range(300):   # a 30 s trickle: without the time cap the fetch would end as "not a photo"
                self.wfile.write(b"\0" * 10)
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def private_ok(settings):
    settings.MELODIFY_FETCH_PRIVATE = True
    settings.MELODIFY_FETCH_TIMEOUT = 1
    return settings


def by_url(api, url):
    return api.post("/api/v1/photos/by-url", {"url": url}, content_type="application/json")


def refusal(response) -> str:
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] in ("invalid_photo_url", "not_an_image")
    return response.json()["error"]["message"]


def test_a_photo_by_url_comes_back_as_the_jpeg_a_track_would_store(api, site, private_ok):
    response = by_url(api, f"{site}/photo.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    import io

    assert Image.open(io.BytesIO(response.content)).size == (320, 240)
    assert by_url(api, f"{site}/redirect").status_code == 200   # a redirect is followed, and checked


def test_loopback_and_private_addresses_are_refused_unless_the_setting_allows_them(api, site, settings):
    settings.MELODIFY_FETCH_PRIVATE = False
    assert "private or local network" in refusal(by_url(api, f"{site}/photo.png"))
    for url in ("http://10.0.0.1/a.jpg", "http://169.254.169.254/latest/meta-data", "http://[::1]/a.jpg",
                "http://localhost/a.jpg"):
        assert "private or local network" in refusal(by_url(api, url)), url


@pytest.mark.parametrize("url, words", [
    ("file:///etc/passwd", "not an http or https address"),
    ("ftp://example.com/a.jpg", "not an http or https address"),
    ("javascript:alert(1)", "not an http or https address"),
    ("https://user:secret@example.com/a.jpg", "user name or password"),
    ("", "no photo URL"),
    ("https://" + "a" * 2100 + ".com/", "characters long"),
])
def test_what_is_not_a_public_web_address_is_refused_saying_why(api, url, words):
    assert words in refusal(by_url(api, url))


def test_not_a_photo_too_big_too_slow_missing_or_looping_is_refused(api, site, private_ok):
    private_ok.MELODIFY_MAX_UPLOAD_BYTES = 1_000_000
    private_ok.MELODIFY_MAX_UPLOAD_MB = 1
    assert refusal(by_url(api, f"{site}/text"))            # the image door says what it is
    assert "at most 1 MB" in refusal(by_url(api, f"{site}/big"))
    assert "more than 1 s" in refusal(by_url(api, f"{site}/slow"))
    assert "HTTP 404" in refusal(by_url(api, f"{site}/missing"))
    assert "redirected more than 3 times" in refusal(by_url(api, f"{site}/loop"))
