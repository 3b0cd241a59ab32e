"""Django for the web tests: real SQLite by default, real PostgreSQL when DATABASE_URL is set
(DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest tests/web), files in a fresh media dir."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before Django reads its settings: keep the tests' data (SECRET_KEY file, SQLite) out of ./var.
os.environ.setdefault("MELODIFY_DATA_DIR", tempfile.mkdtemp(prefix="melodify-web-tests-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "melodify_web.settings")
os.environ.setdefault("MELODIFY_UPLOADS_PER_MINUTE", "0")   # one owner posts all day; test_limits.py sets it
os.environ.pop("REDIS_URL", None)   # these tests run jobs in-process; test_scale_out.py starts its own

import django  # noqa: E402

django.setup()   # pytest-django only sees settings named before conftests load; these are named here

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

from melodify.samples import photo_bytes  # noqa: E402

OWNER = "test-owner-aaaaaaaaaaaa"
OTHER_OWNER = "test-owner-bbbbbbbbbbbb"


@pytest.fixture(autouse=True)
def media_dir(settings, tmp_path) -> Path:
    """Every test gets an empty media dir, so 'no file left behind' can be checked exactly."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(media), "base_url": "/media/"}}}
    return media


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


@pytest.fixture(scope="session")
def photo() -> bytes:
    return photo_bytes("sunny-beach", "JPEG", size=(800, 600))


@pytest.fixture(scope="session")
def night_photo() -> bytes:
    return photo_bytes("night-sea", "PNG", size=(640, 480))


@pytest.fixture
def api() -> Client:
    """An API client that identifies its owner with the X-Melodify-Owner header."""
    return Client(headers={"X-Melodify-Owner": OWNER})


@pytest.fixture
def other_api() -> Client:
    return Client(headers={"X-Melodify-Owner": OTHER_OWNER})


@pytest.fixture
def done_track(api, photo) -> dict:
    """A finished 5 s lo-fi track, as the API shows it."""
    from .helpers import make_done_track

    return make_done_track(api, photo, genre="lo-fi", duration="5")
