"""Running Melodify as a user does, in subprocesses (`python -m melodify serve|worker`), and talking
to it over HTTP. Every wait is bounded. bench/bench_web.py imports this too (`serving`)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"   # Debian's; Playwright drives it (no browser download)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """`python -m melodify <args>` in its own process group, output to `log`."""
    out = open(log, "wb")
    return subprocess.Popen([sys.executable, "-m", "melodify", *args], cwd=REPO, env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM (a warm shutdown for Celery), then SIGKILL if it lingers; the whole process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def base_env(data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MELODIFY_DATA_DIR")}
    return {**env, "MELODIFY_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **extra}


def request(url: str, *, data: bytes | None = None, headers: dict | None = None,
            method: str | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get_json(url: str, owner: str) -> dict:
    status, _, body = request(url, headers={"X-Melodify-Owner": owner})
    assert status == 200, (url, status, body[:500])
    return json.loads(body)


def post_photo(url: str, owner: str, image: bytes, **fields: str) -> tuple[int, dict, dict]:
    """A multipart/form-data POST, as a browser's form or `curl -F` sends it."""
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="photo.jpg"\r\n'
                 f"Content-Type: image/jpeg\r\n\r\n".encode() + image + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    status, headers, answer = request(url, data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Melodify-Owner": owner})
    return status, headers, json.loads(answer)


def wait_until_up(base_url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if request(base_url + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"the server did not answer {base_url}/healthz in {timeout} s:\n{log.read_text()[-3000:]}")


@contextmanager
def serving(data_dir: Path, log: Path | None = None, **extra_env: str) -> Iterator[str]:
    """`melodify serve` with its embedded worker on a free loopback port, SQLite in `data_dir`;
    yields the base URL once /healthz answers, stops the server on the way out."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = log or data_dir / "server.log"
    port = free_port()
    process = start(["serve", "--port", str(port)], base_env(data_dir, **extra_env), log)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, log)
        yield base_url
    finally:
        stop(process)


def wait_for_tracks(base_url: str, owner: str, ids: list[str], timeout: float) -> dict[str, dict]:
    """Poll until every track is done or failed; fail after `timeout` seconds saying which are not."""
    deadline = time.monotonic() + timeout
    tracks: dict[str, dict] = {}
    while time.monotonic() < deadline:
        for track_id in ids:
            if tracks.get(track_id, {}).get("status") not in ("done", "failed"):
                tracks[track_id] = get_json(f"{base_url}/api/v1/tracks/{track_id}", owner)
        if all(t["status"] in ("done", "failed") for t in tracks.values()):
            return tracks
        time.sleep(0.5)
    unfinished = {i: t["status"] for i, t in tracks.items() if t["status"] not in ("done", "failed")}
    raise AssertionError(f"{len(unfinished)} track(s) unfinished after {timeout} s: {unfinished}")
