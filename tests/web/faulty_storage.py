"""Storages that fail, for the tests: one that never answers, one that fails its first saves."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class BrokenStorage(FileSystemStorage):
    def exists(self, name):
        raise OSError("bucket unreachable (a test storage that always fails)")


class FlakyStorage(FileSystemStorage):
    """Fails the first `failures` saves of a track's audio, then works: a storage service having a bad minute."""

    failures = 1
    failed: list[str] = []

    def _save(self, name, content):
        if name.endswith("track.mp3") and len(FlakyStorage.failed) < FlakyStorage.failures:
            FlakyStorage.failed.append(name)
            raise OSError("503 Service Unavailable from the bucket (a test storage)")
        return super()._save(name, content)
