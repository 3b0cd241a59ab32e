"""Every bad upload and bad option is refused through the API with a clear 4xx JSON error, before
anything is stored: no Track row, no file in the media dir."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from melodify.errors import InvalidImage
from melodify.read.image_loading import load_image
from melodify_web.tracks.models import Track

from .badfiles import BAD_FILES
from .conftest import stored_files
from .helpers import post_track

pytestmark = pytest.mark.django_db


def assert_refused(response, status: int, code: str, media_dir) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert body["error"]["code"] == code, body
    assert len(body["error"]["message"]) > 20, body
    assert Track.objects.count() == 0
    assert stored_files(media_dir) == []
    return body["error"]


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_photo_is_refused_with_the_engines_words_and_nothing_is_stored(api, media_dir, kind):
    build, name, code = BAD_FILES[kind]
    data = build()
    with pytest.raises(InvalidImage) as engine:
        load_image(data)
    error = assert_refused(post_track(api, data, name), 400, code, media_dir)
    assert error == {"code": engine.value.code, "message": engine.value.message}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_photo_is_refused_by_the_preview_too(api, media_dir, kind):
    build, name, code = BAD_FILES[kind]
    upload = SimpleUploadedFile(name, build(), content_type="image/jpeg")
    assert_refused(api.post("/api/v1/previews", {"image": upload}), 400, code, media_dir)


def test_missing_image_field_says_how_to_send_it(api, media_dir):
    error = assert_refused(api.post("/api/v1/tracks", {"genre": "pop"}), 400, "missing_image", media_dir)
    assert "image" in error["message"]


def test_upload_over_the_limit_is_413_before_the_body_is_read(api, media_dir, settings, photo):
    settings.MELODIFY_MAX_UPLOAD_MB = 1
    settings.MELODIFY_MAX_UPLOAD_BYTES = 1024 * 1024
    big = photo + b"\0" * (2 * 1024 * 1024)   # Content-Length is far over: refused by the middleware
    error = assert_refused(post_track(api, big), 413, "upload_too_large", media_dir)
    assert "1 MB" in error["message"]


def test_upload_just_over_the_limit_is_413_from_the_file_size(api, media_dir, settings, photo):
    settings.MELODIFY_MAX_UPLOAD_MB = 1
    settings.MELODIFY_MAX_UPLOAD_BYTES = 1024 * 1024
    big = photo + b"\0" * (1024 * 1024 + 1000 - len(photo))   # within the middleware's slack for form fields
    assert_refused(post_track(api, big), 413, "upload_too_large", media_dir)


@pytest.mark.parametrize("fields, code, quoted", [
    ({"genre": "polka"}, "unknown_genre", "polka"),
    ({"duration": "4"}, "invalid_duration", "4"),
    ({"duration": "61"}, "invalid_duration", "61"),
    ({"duration": "long"}, "invalid_duration", "long"),
    ({"seed": "-1"}, "invalid_seed", "-1"),
    ({"seed": "lucky"}, "invalid_seed", "lucky"),
    ({"seed": str(2**32)}, "invalid_seed", str(2**32)),
    ({"tempo": "500"}, "invalid_edit", "500"),
    ({"tempo": "fast"}, "invalid_edit", "fast"),
    ({"key": "H"}, "invalid_edit", "H"),
    ({"mode": "dorian"}, "invalid_edit", "dorian"),
    ({"mood": "a,b,c,d,e,f"}, "invalid_edit", "mood"),
])
def test_bad_option_is_refused_quoting_the_value_and_nothing_is_stored(api, media_dir, photo, fields, code,
                                                                       quoted):
    error = assert_refused(post_track(api, photo, **fields), 400, code, media_dir)
    assert quoted in error["message"]
