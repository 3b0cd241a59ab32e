"""The first seconds of a track while the rest is made: a streaming composer's raw chunks, saved as small
WAV files (tracks/<id>/preview-<n>.wav) that the making page plays one after another, and deleted once
the mastered track is in."""

from __future__ import annotations

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from melodify.contracts import Audio
from melodify.master.encode import encode


def chunk_name(track_id: str, n: int) -> str:
    return f"tracks/{track_id}/preview-{n}.wav"


class PreviewWriter:
    """The `on_audio` callback of a job: chunk n of the track, as it comes."""

    def __init__(self, track_id: str) -> None:
        self.track_id, self.count = track_id, 0
        delete_previews(track_id)   # a retry starts its stream again

    def __call__(self, samples: np.ndarray, sample_rate: int) -> None:
        data = encode(Audio(np.clip(samples, -1.0, 1.0), sample_rate), "wav")
        default_storage.save(chunk_name(self.track_id, self.count), ContentFile(data))
        self.count += 1


def delete_previews(track_id: str) -> None:
    n = 0
    while default_storage.exists(chunk_name(track_id, n)):
        default_storage.delete(chunk_name(track_id, n))
        n += 1
