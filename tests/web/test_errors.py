"""Django's own errors: JSON under /api/, friendly HTML elsewhere, never a traceback."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .helpers import create_track

pytestmark = pytest.mark.django_db


def test_unknown_api_url_is_json_404(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_page_is_html_404(api):
    response = api.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Traceback" not in response.content


def test_wrong_method_on_the_api_is_json_405(api):
    response = api.delete("/api/v1/genres")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_malformed_json_is_a_json_400(api, photo):
    track = create_track(api, photo, duration="5")
    response = api.post(f"/api/v1/tracks/{track['id']}/feedback", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_a_crash_in_an_api_view_is_a_plain_json_500_without_traceback(api, photo, settings, test_engines):
    settings.MELODIFY_READER = "crashing"
    upload = SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")
    response = api.post("/api/v1/previews", {"image": upload})
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "server_error",
                                         "message": "Something went wrong on our side. Please try again."}}


def test_unknown_track_variation_is_a_json_404_naming_it(api):
    response = api.post("/api/v1/tracks/no-such-track/variations", {}, content_type="application/json")
    assert response.status_code == 404
    assert "'no-such-track'" in response.json()["error"]["message"]


def test_unsupported_body_type_says_what_the_endpoint_takes(api, photo):
    track = create_track(api, photo, duration="5")
    response = api.post(f"/api/v1/tracks/{track['id']}/feedback", "vote=up", content_type="text/plain")
    assert response.status_code == 415
    assert "send a JSON object or a form (application/json" in response.json()["error"]["message"]
