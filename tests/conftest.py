"""Fixtures shared by every test: small synthetic photos (see melodify.samples) and test engines."""

from __future__ import annotations

import pytest

from melodify import engines
from melodify.samples import photo_bytes


@pytest.fixture(scope="session")
def night_sea_jpeg() -> bytes:
    """A dark, cold, sparse photo."""
    return photo_bytes("night-sea", size=(640, 480))


@pytest.fixture(scope="session")
def flower_field_jpeg() -> bytes:
    """A bright, colourful, very busy photo."""
    return photo_bytes("flower-field", size=(640, 480))


@pytest.fixture
def test_engines():
    """The engines of tests/engines.py in the registry for one test; the registry is put back after."""
    from tests import engines as test_engines

    saved = dict(engines.ENGINES)
    for spec in test_engines.SPECS:
        engines.register(spec)
    test_engines.CRASHES.clear()
    test_engines.BUILT.clear()
    test_engines.PREPARED.clear()
    test_engines.PeekingComposer.seen.clear()
    yield test_engines
    engines.ENGINES.clear()
    engines.ENGINES.update(saved)
    engines.release()
