"""The input catalogue (badfiles.py), through the API and the upload page's form: every bad upload and
bad option is refused with a clear 4xx (JSON in the API, the page in the form) before anything is
stored: no Track row, no file in the media dir. Odd but valid photos are accepted, stored only
re-encoded (upright, no EXIF, no GPS), and a file's name is never used."""

from __future__ import annotations

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import capfirst
from PIL import Image

from melodify_web.tracks.models import Track

from .badfiles import BAD_FILES, FILE_NAMES, ODD_FILES, bad_file
from .conftest import OWNER, stored_files
from .helpers import form_client, post_form, post_track, render

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


def assert_refused_on_the_page(response, status: int, message: str, media_dir) -> str:
    text = html.unescape(response.content.decode())
    assert response.status_code == status, text[:500]
    assert response["Content-Type"].startswith("text/html")
    assert capfirst(message) in text, message   # the page starts its sentence with a capital
    assert "Traceback" not in text
    assert Track.objects.count() == 0
    assert stored_files(media_dir) == []
    return text


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_photo_is_refused_by_the_upload_form_with_the_engines_words(media_dir, kind):
    data, name, refusal = bad_file(kind)
    response = post_form(form_client(OWNER), data, name)
    assert_refused_on_the_page(response, 400, refusal.message, media_dir)


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


# ---- odd but valid photos, and file names -------------------------------------------------------

def stored_photo(track_id: str, media_dir) -> bytes:
    assert stored_files(media_dir) == [f"tracks/{track_id}/photo.jpg"], stored_files(media_dir)
    return (media_dir / "tracks" / track_id / "photo.jpg").read_bytes()


def assert_clean_upright_copy(data: bytes, size: tuple[int, int]) -> None:
    """The stored or served photo: a JPEG without EXIF (so no GPS, no camera), upright."""
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert b"Exif" not in data and b"PhoneMaker" not in data
    width, height = image.size
    assert width * size[1] == height * size[0], (image.size, size)   # same shape, maybe downscaled


def made_track(response, via: str) -> Track:
    if via == "api":
        assert response.status_code == 202, response.content[:500]
        return Track.objects.get(id=response.json()["id"])
    assert response.status_code == 302, html.unescape(response.content.decode())[:800]
    return Track.objects.get(id=response["Location"].split("/")[2])


def upload(via: str, api, data: bytes, name: str, **fields):
    return post_track(api, data, name, **fields) if via == "api" else post_form(form_client(OWNER), data, name,
                                                                                **fields)


@pytest.mark.parametrize("via", ["api", "form"])
@pytest.mark.parametrize("kind", list(ODD_FILES))
def test_odd_but_valid_photo_is_accepted_and_only_a_clean_upright_copy_is_kept(api, media_dir, kind, via):
    build, name, size = ODD_FILES[kind]
    track = made_track(upload(via, api, build(), name, duration="5"), via)
    assert (track.request["photo"]["width"], track.request["photo"]["height"]) == size
    assert_clean_upright_copy(stored_photo(track.id, media_dir), size)
    served = api.get(f"/tracks/{track.id}/photo.jpg")
    assert_clean_upright_copy(b"".join(served.streaming_content), size)
    if via == "api":   # and the worker makes its track from the stored copy
        assert render(track.id).status == "done"


@pytest.mark.parametrize("orientation", range(2, 9))
def test_exif_orientation_is_applied_to_the_stored_photo(api, media_dir, orientation):
    """Stored red left, blue right; the copy kept is turned as the EXIF orientation says."""
    from .badfiles import oriented

    track = made_track(post_track(api, oriented(orientation), duration="5"), "api")
    image = Image.open(io.BytesIO(stored_photo(track.id, media_dir))).convert("RGB")
    w, h = image.size
    red_at = {2: (3 * w // 4, h // 2), 3: (3 * w // 4, h // 2), 4: (w // 4, h // 2), 5: (w // 2, h // 4),
              6: (w // 2, h // 4), 7: (w // 2, 3 * h // 4), 8: (w // 2, 3 * h // 4)}[orientation]
    r, g, b = image.getpixel(red_at)
    assert r > 150 and b < 100, (orientation, (r, g, b))


@pytest.mark.parametrize("via", ["api", "form"])
@pytest.mark.parametrize("kind", list(FILE_NAMES))
def test_a_hostile_file_name_is_never_used(api, media_dir, photo, kind, via):
    track = made_track(upload(via, api, photo, FILE_NAMES[kind], duration="5"), via)
    assert stored_files(media_dir) == [f"tracks/{track.id}/photo.jpg"]
    assert track.photo.name == f"tracks/{track.id}/photo.jpg"
    assert FILE_NAMES[kind] not in str(track.request)


# ---- broken bodies, unknown and out-of-range options through the form -----------------------------

def multipart(photo: bytes, *, cut_at: int | None = None, closing: bool = True) -> bytes:
    body = (b'--B\r\nContent-Disposition: form-data; name="duration"\r\n\r\n5\r\n'
            b'--B\r\nContent-Disposition: form-data; name="image"; filename="p.jpg"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n" + photo + b"\r\n" + (b"--B--\r\n" if closing else b""))
    return body if cut_at is None else body[:cut_at]


@pytest.mark.parametrize("url", ["/api/v1/tracks", "/"])
@pytest.mark.parametrize("cut", ["in-the-headers", "in-the-photo", "no-closing-boundary", "no-boundary-at-all"])
def test_a_cut_off_multipart_body_is_a_4xx_and_nothing_is_stored(media_dir, photo, url, cut):
    client = form_client(OWNER)
    body = {"in-the-headers": multipart(photo, cut_at=60), "in-the-photo": multipart(photo, cut_at=2000),
            "no-closing-boundary": multipart(photo, closing=False), "no-boundary-at-all": photo}[cut]
    response = client.post(url, body, content_type="multipart/form-data; boundary=B")
    assert 400 <= response.status_code < 500, response.content[:500]
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] in ("missing_image", "parse_error", "truncated_image", "bad_request")
        assert len(response.json()["error"]["message"]) > 20
    assert Track.objects.count() == 0 and stored_files(media_dir) == []


def test_a_multipart_body_without_a_boundary_is_a_4xx(media_dir, photo):
    for url in ("/api/v1/tracks", "/"):
        response = form_client(OWNER).post(url, photo, content_type="multipart/form-data")
        assert 400 <= response.status_code < 500, (url, response.content[:300])
    assert Track.objects.count() == 0 and stored_files(media_dir) == []


@pytest.mark.parametrize("via", ["api", "form"])
@pytest.mark.parametrize("fields, name", [({"tempoo": "100"}, "'tempoo'"), ({"colour": "red"}, "'colour'"),
                                          ({"lyrics": "la la", "title": "x"}, "(and 1 more)")])
def test_an_unknown_field_is_refused_naming_it_and_the_known_ones(api, media_dir, photo, fields, name, via):
    response = upload(via, api, photo, "photo.jpg", **fields)
    message = f"unknown field {name}" if "more" not in name else name
    if via == "api":
        error = assert_refused(response, 400, "unknown_field", media_dir)
        assert message in error["message"] and "tempo" in error["message"] and "genre" in error["message"]
    else:
        assert_refused_on_the_page(response, 400, message, media_dir)


@pytest.mark.parametrize("endpoint, body", [("variations", {"genre": "jazz", "colour": "red"}),
                                            ("feedback", {"vote": "up", "stars": 5})])
def test_an_unknown_field_in_a_json_call_is_refused(api, photo, endpoint, body):
    track = post_track(api, photo, duration="5").json()
    response = api.post(f"/api/v1/tracks/{track['id']}/{endpoint}", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_field"
    assert Track.objects.count() == 1


@pytest.mark.parametrize("fields, quoted", [
    ({"genre": "polka"}, "'polka'"), ({"duration": "4"}, "'4'"), ({"duration": "61"}, "'61'"),
    ({"duration": "nan"}, "'nan'"), ({"duration": "inf"}, "'inf'"), ({"duration": "long"}, "'long'"),
    ({"seed": "-1"}, "'-1'"), ({"seed": str(2**32)}, str(2**32)), ({"tempo": "500"}, "'500'"),
    ({"tempo": "90.5"}, "'90.5'"), ({"key": "H"}, "'H'"), ({"mode": "dorian"}, "'dorian'"),
    ({"time_signature": "7/8"}, "'7/8'"), ({"mood": "a,b,c,d,e,f"}, "mood has 6 words"),
    ({"composer": "nope"}, "'nope'"), ({"duration": "9" * 5000}, "5000 characters long"),
])
def test_an_out_of_range_or_unknown_option_is_refused_by_the_form_quoting_it(media_dir, photo, fields, quoted):
    response = post_form(form_client(OWNER), photo, **fields)
    assert_refused_on_the_page(response, 400, quoted, media_dir)
