"""`melodify serve` as `make run` starts it: a fresh data dir, SQLite, the worker inside, waitress,
whitenoise. A track made over HTTP is finished by the embedded worker and can be played with Range."""

from __future__ import annotations

import re

import pytest

from melodify.samples import photo_bytes

from .live import post_photo, request, serving, wait_for_tracks

OWNER = "server-test-owner-0001"


@pytest.fixture
def server(tmp_path):
    log = tmp_path / "server.log"
    # waitress's one limit is 4x the largest upload any path takes (an album's 4 photos: 8 MB here)
    with serving(tmp_path / "data", log, MELODIFY_MAX_UPLOAD_MB="2", MELODIFY_VIDEO_MAX_MB="2") as base_url:
        yield base_url, tmp_path / "data", log


def test_serve_on_a_fresh_data_dir_makes_a_track_end_to_end(server):
    base_url, data_dir, log = server
    assert (data_dir / "db.sqlite3").exists() and (data_dir / "secret_key").exists()
    status, headers, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo_bytes("sunset", size=(640, 480)),
                                        genre="synthwave", duration="5")
    assert status == 202 and headers["Location"] == track["urls"]["self"]
    done = wait_for_tracks(base_url, OWNER, [track["id"]], timeout=120)[track["id"]]
    assert done["status"] == "done", done["error"]
    assert done["brief"]["genre"] == "synthwave"
    status, headers, body = request(done["urls"]["audio"], headers={"Range": "bytes=0-1023"})
    assert status == 206 and len(body) == 1024 and headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Type"] == "audio/mpeg"
    assert re.search(r"rendered by embedded@", log.read_text())


def test_serve_serves_pages_api_docs_and_static_files(server):
    base_url, _, _ = server
    status, headers, _ = request(base_url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "melodify_owner=" in headers.get("Set-Cookie", "")
    status, _, html = request(base_url + "/api/docs/")
    assert status == 200
    asset = re.search(rb'(/static/drf_spectacular_sidecar/[^"]+\.js)', html).group(1).decode()
    status, headers, _ = request(base_url + asset)
    assert status == 200 and "javascript" in headers["Content-Type"]
    status, headers, body = request(base_url + "/api/v1/nothing")
    assert status == 404 and body.startswith(b'{"error"')


def test_serve_refuses_an_upload_over_the_limit_with_a_json_413(server):
    base_url, data_dir, _ = server
    big = photo_bytes("forest", size=(640, 480)) + b"\0" * (3 * 1024 * 1024)   # limit is 2 MB here
    status, _, body = post_photo(f"{base_url}/api/v1/tracks", OWNER, big)
    assert status == 413 and body["error"]["code"] == "upload_too_large"
    assert "2 MB" in body["error"]["message"]
    assert not (data_dir / "media" / "tracks").exists() or not any((data_dir / "media" / "tracks").iterdir())


def test_serve_keeps_sqlite_in_wal_mode(server):
    import sqlite3

    _, data_dir, _ = server
    with sqlite3.connect(data_dir / "db.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("command, env, words", [
    (["serve"], {"MELODIFY_COMPOSER": "nope"}, "MELODIFY_COMPOSER='nope': unknown composer engine 'nope'; "
                                               "choose one of: embedded"),
    (["serve"], {"MELODIFY_READER_MODEL": "/no/such/model"}, "'/no/such/model'"),
    (["worker"], {"MELODIFY_BRIEFER": "gpt", "REDIS_URL": "redis://127.0.0.1:6379/15"},
     "MELODIFY_BRIEFER='gpt': unknown briefer engine 'gpt'"),
])
def test_serve_and_worker_stop_at_once_on_an_engine_they_cannot_run(tmp_path, command, env, words):
    import subprocess
    import sys

    from .live import REPO, base_env

    proc = subprocess.run([sys.executable, "-m", "melodify", *command], cwd=REPO, capture_output=True, text=True,
                          env=base_env(tmp_path / "data", **env), timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "data" / "db.sqlite3").exists()   # stopped before migrating anything


def raw_exchange(base_url: str, head: str, body: bytes = b"", *, close_writing: bool = False) -> bytes:
    """Send request headers and (some of) a body over a plain socket; what the server answered."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(head.encode() + b"\r\n\r\n" + body)
        if close_writing:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def assert_nothing_stored(base_url: str, data_dir) -> None:
    status, _, body = request(f"{base_url}/api/v1/tracks", headers={"X-Melodify-Owner": OWNER})
    assert status == 200 and b'"results":[]' in body.replace(b" ", b""), body[:300]
    media = data_dir / "media" / "tracks"
    assert not media.exists() or not any(media.iterdir())


@pytest.mark.parametrize("path, expect", [
    ("/api/v1/tracks", b'{"error": {"code": "upload_too_large", "message": "the upload is 40.0 MB; the limit is 2 MB'),
    ("/", b"photos can be at most 2 MB"),
])
def test_a_body_over_four_times_the_limit_gets_the_apps_413_not_waitresss(server, path, expect):
    """waitress refuses it before reading it; the answer is still the app's JSON or page."""
    base_url, data_dir, _ = server
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Melodify-Owner: {OWNER}\r\n"
            f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {40 * 1024 * 1024}")
    answer = raw_exchange(base_url, head, b"--x\r\n" + b"\0" * 1000)
    status_line, _, rest = answer.partition(b"\r\n")
    assert b" 413 " in status_line, answer[:300]
    assert expect in rest, rest[:600]
    assert b"Request Entity Too Large" not in rest   # waitress's own plain-text body
    assert_nothing_stored(base_url, data_dir)


@pytest.mark.parametrize("path", ["/api/v1/tracks", "/"])
def test_a_body_cut_off_mid_upload_leaves_nothing_and_the_server_serves_on(server, path):
    """The client promises 200 kB, sends part of a photo and hangs up."""
    base_url, data_dir, _ = server
    photo = photo_bytes("forest", size=(640, 480))
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Melodify-Owner: {OWNER}\r\n"
            f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {200_000}")
    part = b'--x\r\nContent-Disposition: form-data; name="image"; filename="p.jpg"\r\n\r\n' + photo[:5000]
    raw_exchange(base_url, head, part, close_writing=True)
    assert_nothing_stored(base_url, data_dir)
    status, _, track = post_photo(f"{base_url}/api/v1/tracks", OWNER, photo, duration="5")
    assert status == 202, track
