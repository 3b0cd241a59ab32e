"""The web's engine options read the engine registry: a choice appears only where this server offers
more than one engine, a request may name an offered one, the track records what made it, and a
variation keeps the engines of its parent."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from .conftest import OWNER
from .helpers import create_track, post_track, render

pytestmark = pytest.mark.django_db


def upload_page() -> str:
    return Client().get("/").content.decode()


def test_with_only_the_embedded_engines_the_upload_page_offers_no_engine_choice():
    assert 'class="option-engine"' not in upload_page()


def test_with_a_second_composer_the_upload_page_offers_it_with_its_summary(test_engines):
    page = upload_page()
    assert '<select class="option-engine" name="composer">' in page
    assert '<option value="embedded" title="writes a score per genre' in page
    assert '<option value="non-commercial"' in page
    assert 'name="reader">' in page and 'name="briefer">' in page     # test readers and briefers too


def test_a_request_may_name_an_offered_engine_and_its_credits_follow(api, photo, test_engines):
    track = create_track(api, photo, duration="5", composer="non-commercial")
    assert track["engine"]["composer"] == "non-commercial"    # asked for, before it has run
    done = api.get(f"/api/v1/tracks/{render(track['id']).id}").json()
    assert done["status"] == "done"
    assert done["credits"][2]["licence"] == "CC-BY-NC-4.0" and done["engine"]["licence"] == "for non-commercial use only"


def test_an_engine_this_server_does_not_offer_is_a_400_naming_the_offered_ones(api, photo):
    response = post_track(api, photo, composer="musicgen")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "engine_unavailable"
    assert "'musicgen'" in error["message"] and "choose one of: embedded" in error["message"]


def test_the_no_js_form_takes_the_engine_choice_too(photo, test_engines):
    client = Client()
    client.cookies["melodify_owner"] = OWNER
    upload = SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")
    response = client.post("/", {"image": upload, "duration": "5", "composer": "non-commercial"})
    assert response.status_code == 302
    track_id = response["Location"].strip("/").split("/")[-1]
    assert render(track_id).engine["composer"] == "non-commercial"


def test_a_variation_keeps_the_engines_of_its_parent(api, photo, test_engines):
    parent = render(create_track(api, photo, duration="5", composer="non-commercial")["id"])
    response = api.post(f"/api/v1/tracks/{parent.id}/variations", {"genre": "jazz"}, content_type="application/json")
    assert response.status_code == 202, response.content
    child = render(response.json()["id"])
    assert (child.engine["composer"], child.brief["genre"], child.parent_id) == ("non-commercial", "jazz", parent.id)


def test_the_engines_endpoint_lists_every_engine_with_its_licence_and_whether_it_is_offered(api, test_engines):
    listed = {(e["stage"], e["name"]): e for e in api.get("/api/v1/engines").json()}
    assert listed["composer", "embedded"]["offered"] and listed["composer", "non-commercial"]["offered"]
    assert listed["composer", "non-commercial"]["credit"]["commercial_use"] is False
    assert listed["reader", "embedded"]["credit"]["licence"] == "MIT"
