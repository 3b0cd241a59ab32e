"""Every bad upload and bad option is refused through the API with a clear 4xx JSON error, before
anything is stored: no Track row, no file in the media dir."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from melodify_web.tracks.models import Track

from .badfiles import BAD_FILES, bad_file
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
    data, name, refusal = bad_file(kind)
    error = assert_refused(post_track(api, data, name), 400, refusal.code, media_dir)
    assert error == {"code": refusal.code, "message": refusal.message}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_photo_is_refused_by_the_preview_too(api, media_dir, kind):
    data, name, refusal = bad_file(kind)
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    assert_refused(api.post("/api/v1/previews", {"image": upload}), 400, refusal.code, media_dir)


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


@pytest.mark.parametrize("fields, code, says", [
    ({"duration": "9" * 5000}, "invalid_field", "`duration` is 5000 characters long"),
    ({"genre": "z" * 3000}, "invalid_field", "`genre` is 3000 characters long"),
    ({"seed": str(2**40)}, "invalid_seed", "give 0 to 4294967295"),
    ({"mood": ", ".join(["calm"] * 50)}, "invalid_edit", "mood has 50 words; give 1 to 5 words"),
    ({"mood": "x" * 200}, "invalid_edit", "is 200 characters long; use words of up to 30 characters"),
    ({"key": "H"}, "invalid_edit", "choose one of: C, C#"),
])
def test_far_off_options_are_refused_in_a_short_message(api, media_dir, photo, fields, code, says):
    """The message quotes at most a little of the value, never all of it back."""
    error = assert_refused(post_track(api, photo, **fields), 400, code, media_dir)
    assert says in error["message"] and len(error["message"]) < 200, error["message"]
    assert "Value error" not in error["message"]


def test_genre_auto_lets_the_briefer_choose(api, photo):
    response = post_track(api, photo, genre="auto", duration="5")
    assert response.status_code == 202 and response.json()["genre"] == "auto"


def test_image_sent_as_text_says_to_attach_the_file(api, media_dir):
    error = assert_refused(api.post("/api/v1/tracks", {"image": "https://example.com/photo.jpg"}),
                           400, "missing_image", media_dir)
    assert "sent as text, not as a file" in error["message"]


def test_two_photos_or_a_field_sent_twice_are_refused(api, media_dir, photo):
    two = [SimpleUploadedFile(f"p{i}.jpg", photo, content_type="image/jpeg") for i in range(2)]
    error = assert_refused(api.post("/api/v1/tracks", {"image": two}), 400, "duplicate_field", media_dir)
    assert "2 files were sent as `image`; send one photo" == error["message"]
    upload = SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")
    error = assert_refused(api.post("/api/v1/previews", {"image": upload, "duration": ["5", "abc"]}),
                           400, "duplicate_field", media_dir)
    assert error["message"] == "`duration` was sent 2 times; send it once"


@pytest.mark.parametrize("content_type, body", [
    ("application/json", '{"genre": "jazz"}'),
    ("image/jpeg", b"\xff\xd8\xff"),
])
def test_a_photo_not_sent_as_multipart_is_415_saying_how_to_send_it(api, media_dir, content_type, body):
    response = api.post("/api/v1/tracks", body, content_type=content_type)
    error = assert_refused(response, 415, "unsupported_media_type", media_dir)
    assert "send multipart/form-data with the photo as the `image` file" in error["message"]


@pytest.mark.parametrize("url", ["/api/v1/previews", "/api/v1/tracks/{id}/variations", "/api/v1/tracks/{id}/feedback"])
def test_get_on_a_post_only_url_is_405_naming_the_method_to_use(api, photo, url):
    track = post_track(api, photo, duration="5").json()
    response = api.get(url.format(id=track["id"]))
    assert response.status_code == 405
    assert response.json()["error"] == {"code": "method_not_allowed",
                                        "message": 'Method "GET" not allowed here; use POST (see /api/docs/)'}


@pytest.mark.parametrize("endpoint", ["variations", "feedback"])
@pytest.mark.parametrize("body, says", [
    ("[]", "the request body must be a JSON object of fields, not []"),
    ("[null, null]", "the request body must be a JSON object of fields, not [null, null]"),
    ('"jazz"', 'the request body must be a JSON object of fields, not \'jazz\''),
    ("null", "the request body must be a JSON object of fields, not null"),
])
def test_a_json_body_that_is_not_an_object_is_a_400_not_a_500(api, photo, endpoint, body, says):
    track = post_track(api, photo, duration="5").json()
    response = api.post(f"/api/v1/tracks/{track['id']}/{endpoint}", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_body"
    assert response.json()["error"]["message"].startswith(says)


@pytest.mark.parametrize("endpoint, body", [
    ("variations", {"genre": {}}), ("variations", {"genre": True}), ("variations", {"genre": ["jazz"]}),
    ("feedback", {"vote": {}}),
])
def test_a_json_field_that_is_not_text_is_refused(api, photo, endpoint, body):
    track = post_track(api, photo, duration="5").json()
    response = api.post(f"/api/v1/tracks/{track['id']}/{endpoint}", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_field"
    assert "must be a single text or number value" in response.json()["error"]["message"]


def test_feedback_without_a_vote_says_what_to_send(api, photo):
    track = post_track(api, photo, duration="5").json()
    response = api.post(f"/api/v1/tracks/{track['id']}/feedback", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == 'no vote was sent; send {"vote": "up"}, "down" or "none"'


def test_a_failed_track_can_be_tried_again_as_a_variation(api, photo):
    track = post_track(api, photo, duration="5").json()
    Track.objects.filter(id=track["id"]).update(status="failed", error_code="engine_failed",
                                                error_message="the composer stopped")
    response = api.post(f"/api/v1/tracks/{track['id']}/variations", {}, content_type="application/json")
    assert response.status_code == 202, response.content
    again = response.json()
    assert again["parent"] == track["id"] and again["status"] == "queued" and again["urls"]["photo"]
