"""A photo by its URL, fetched by the server with strict limits, so it can go through the same image
door as an upload: http or https only; every address the host resolves to must be public (no
loopback, private, link-local or reserved networks, where a server's own services live) unless
MELODIFY_FETCH_PRIVATE allows it; we connect to the address we checked (no second DNS lookup to
rebind); at most 3 redirects, each checked again; the body capped at the upload limit and the whole
fetch at MELODIFY_FETCH_TIMEOUT seconds."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from melodify.errors import InvalidOption

MAX_REDIRECTS = 3
MAX_URL = 2000
CHUNK = 64 * 1024
USER_AGENT = "Melodify/1 (+photo by URL)"


def refused(message: str) -> InvalidOption:
    return InvalidOption(message, code="invalid_photo_url")


def check_url(url: object) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an http(s) URL, or a clear refusal quoting it."""
    if not isinstance(url, str) or not url.strip():
        raise refused("no photo URL was sent; send one that starts with https://")
    url = url.strip()
    shown = url if len(url) <= 80 else url[:80] + "…"
    if len(url) > MAX_URL:
        raise refused(f"the photo URL is {len(url)} characters long; the limit is {MAX_URL}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise refused(f"{shown!r} is not an http or https address of a photo; copy the photo's own address")
    if parts.username or parts.password:
        raise refused(f"{shown!r} carries a user name or password; use the photo's public address")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise refused(f"{shown!r} has an invalid port") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def public_address(host: str, port: int) -> str:
    """An address of `host` to connect to; refused if any of its addresses is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise refused(f"the photo's host {host!r} was not found; check the address") from None
    addresses = [info[4][0] for info in infos]
    if not settings.MELODIFY_FETCH_PRIVATE:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise refused(f"the photo's host {host!r} is on a private or local network "
                              f"({address}); Melodify only fetches photos from the public internet")
    return addresses[0]


class _Pinned(http.client.HTTPSConnection):
    """HTTPS to an address we checked, with the host name for SNI and the certificate."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(scheme: str, host: str, address: str, port: int, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return _Pinned(host, address, port, timeout)
    connection = http.client.HTTPConnection(address, port, timeout=timeout)
    return connection


def fetch_photo(url: object) -> bytes:
    """The bytes at `url` (what they are is for the image door to say), within the limits above."""
    limit = settings.MELODIFY_MAX_UPLOAD_BYTES
    deadline = time.monotonic() + settings.MELODIFY_FETCH_TIMEOUT
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = check_url(current)
        address = public_address(host, port)
        left = deadline - time.monotonic()
        connection = _connection(scheme, host, address, port, max(0.5, left))
        try:
            connection.request("GET", path, headers={"Host": host if port in (80, 443) else f"{host}:{port}",
                                                     "User-Agent": USER_AGENT, "Accept": "image/*"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                current = urljoin(str(current), response.getheader("Location"))
                continue
            if response.status != 200:
                raise refused(f"the photo's address answered HTTP {response.status}; check that it opens "
                              "in a browser without signing in")
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise refused(f"the photo is {int(declared) / 1048576:.1f} MB; photos can be at most "
                              f"{settings.MELODIFY_MAX_UPLOAD_MB} MB")
            return _read(response, limit, deadline)
        except (OSError, http.client.HTTPException) as exc:
            if isinstance(exc, TimeoutError) or "timed out" in str(exc):
                raise refused(f"the photo took more than {settings.MELODIFY_FETCH_TIMEOUT} s to arrive; "
                              "try again, or download it and choose the file") from None
            raise refused(f"the photo could not be fetched ({type(exc).__name__}); check the address") from None
        finally:
            connection.close()
    raise refused(f"the photo's address redirected more than {MAX_REDIRECTS} times; use the photo's own address")


def _read(response: http.client.HTTPResponse, limit: int, deadline: float) -> bytes:
    body = bytearray()
    while chunk := response.read1(CHUNK):   # what has arrived, so a trickle meets the deadline
        body += chunk
        if len(body) > limit:
            raise refused(f"the photo is over {settings.MELODIFY_MAX_UPLOAD_MB} MB, the limit; choose a smaller one")
        if time.monotonic() > deadline:
            raise refused(f"the photo took more than {settings.MELODIFY_FETCH_TIMEOUT} s to arrive; "
                          "try again, or download it and choose the file")
    return bytes(body)
