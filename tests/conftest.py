"""Fixtures shared by every test: small synthetic photos (see melodify.samples)."""

from __future__ import annotations

import pytest

from melodify.samples import photo_bytes


@pytest.fixture(scope="session")
def night_sea_jpeg() -> bytes:
    """A dark, cold, sparse photo."""
    return photo_bytes("night-sea", size=(640, 480))


@pytest.fixture(scope="session")
def flower_field_jpeg() -> bytes:
    """A bright, colourful, very busy photo."""
    return photo_bytes("flower-field", size=(640, 480))
