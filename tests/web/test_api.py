"""The REST API end to end: create (202), the job run by the real service, status, lists per owner,
preview, variations, feedback, genres, schema and docs."""

from __future__ import annotations

import re

import pytest
import yaml

from melodify.contracts import ImageReading, MusicBrief
from melodify.genres import GENRE_NAMES, GENRES
from melodify_web.tracks.models import Track

from .conftest import OWNER, stored_files
from .helpers import create_track, make_done_track, post_track, render

pytestmark = pytest.mark.django_db


def test_create_answers_202_with_location_and_a_queued_track(api, photo, media_dir):
    response = post_track(api, photo, genre="lo-fi", duration="5", seed="7")
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["urls"]["self"]
    assert body["urls"]["self"].endswith(f"/api/v1/tracks/{body['id']}")
    assert len(body["id"]) == 22
    assert body["status"] == "queued" and body["percent"] == 0 and body["error"] is None
    assert body["urls"]["mp3"] is None and body["urls"]["audio"] is None
    assert body["urls"]["photo"].endswith(f"/tracks/{body['id']}/photo.jpg")
    track = Track.objects.get(id=body["id"])
    assert track.owner == OWNER
    assert track.request["genre"] == "lo-fi" and track.request["duration"] == 5.0 and track.request["seed"] == 7
    assert stored_files(media_dir) == [f"tracks/{track.id}/photo.jpg"]   # our name, never the upload's


def test_track_goes_from_queued_to_done_with_reading_brief_files_and_timings(api, photo):
    track = create_track(api, photo, genre="jazz", duration="5")
    assert track["status"] == "queued"
    render(track["id"])
    done = api.get(f"/api/v1/tracks/{track['id']}").json()
    assert done["status"] == "done" and done["percent"] == 100 and done["eta_seconds"] is None
    ImageReading.model_validate(done["reading"])
    brief = MusicBrief.model_validate(done["brief"])
    assert brief.genre == "jazz" and brief.duration == 5.0
    assert done["reading"]["width"] == 800 and done["reading"]["format"] == "JPEG"
    assert set(done["timings"]) >= {"read", "brief", "compose", "master", "total"}
    assert 100 <= len(done["peaks"]) <= 2000 and all(0 <= p <= 1 for p in done["peaks"])
    assert done["engine"]["composer"] == "embedded" and done["credits"][2]["model"].endswith(".sf2")
    assert done["engine"]["licence"]
    assert done["finished_at"] and done["duration"] == 5.0
    for key in ("audio", "mp3", "wav", "midi"):
        assert done["urls"][key].startswith("http://testserver/tracks/")


def test_track_json_carries_the_brief_in_korean_once_there_is_a_brief(api, photo):
    track = create_track(api, photo, genre="jazz", duration="5")
    assert track["brief_ko"] is None, "no brief yet"
    done = make_done_track(api, photo, genre="jazz", duration="5", mood="dreamy, calm, sparkly")
    korean = done["brief_ko"]
    assert korean["description"].startswith("재즈: ") and "BPM" in korean["description"]
    assert korean["mood"] == ["몽환", "차분함", "sparkly"], "a word with no Korean stays as typed"
    assert done["brief"]["mood"] == ["dreamy", "calm", "sparkly"], "the English fields are unchanged"


def test_edits_from_the_brief_card_reach_the_brief(api, photo):
    track = make_done_track(api, photo, genre="pop", duration="5", mood="dreamy, calm", tempo="90", key="Eb",
                            mode="minor")
    brief = track["brief"]
    assert (brief["mood"], brief["tempo"], brief["key"], brief["mode"]) == (["dreamy", "calm"], 90, "Eb", "minor")


def test_same_photo_and_options_give_the_same_seed_and_brief(api, photo):
    first = make_done_track(api, photo, genre="rock", duration="5")
    second = make_done_track(api, photo, genre="rock", duration="5")
    assert first["id"] != second["id"]
    assert first["brief"] == second["brief"]


def test_list_shows_only_the_callers_tracks_newest_first(api, other_api, photo, night_photo):
    first = create_track(api, photo, duration="5")
    second = create_track(api, night_photo, duration="5")
    mine = api.get("/api/v1/tracks").json()["results"]
    assert [t["id"] for t in mine] == [second["id"], first["id"]]
    assert other_api.get("/api/v1/tracks").json() == {"results": []}


def test_a_browser_gets_an_owner_cookie_and_its_own_list(photo):
    from django.test import Client

    browser = Client()
    response = browser.get("/api/v1/tracks")
    cookie = response.cookies["melodify_owner"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) == 365 * 24 * 3600
    track = create_track(browser, photo, duration="5")
    assert Track.objects.get(id=track["id"]).owner == cookie.value
    assert [t["id"] for t in browser.get("/api/v1/tracks").json()["results"]] == [track["id"]]
    assert Client().get("/api/v1/tracks").json() == {"results": []}


def test_unknown_track_is_a_404_json_error(api):
    response = api.get("/api/v1/tracks/does-not-exist")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "does-not-exist" in response.json()["error"]["message"]


def test_preview_reads_and_briefs_without_making_a_track(api, night_photo, media_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("night.png", night_photo, content_type="image/png")
    response = api.post("/api/v1/previews", {"image": upload, "genre": "ambient", "duration": "20"})
    assert response.status_code == 200, response.content
    body = response.json()
    reading, brief = ImageReading.model_validate(body["reading"]), MusicBrief.model_validate(body["brief"])
    assert reading.format == "PNG" and (reading.width, reading.height) == (640, 480)
    assert brief.genre == "ambient" and brief.duration == 20
    assert body["brief_ko"]["description"].startswith(GENRES["ambient"].label_ko + ": ")
    assert len(body["brief_ko"]["mood"]) == len(brief.mood)
    assert Track.objects.count() == 0 and stored_files(media_dir) == []


def test_preview_brief_matches_the_track_made_from_the_same_photo(api, photo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = api.post("/api/v1/previews", {"image": SimpleUploadedFile("p.jpg", photo), "genre": "folk",
                                            "duration": "5"}).json()
    track = make_done_track(api, photo, genre="folk", duration="5")
    assert track["brief"] == preview["brief"]


def test_another_version_keeps_photo_and_genre_with_a_new_seed(api, photo):
    parent = make_done_track(api, photo, genre="funk", duration="5")
    response = api.post(f"/api/v1/tracks/{parent['id']}/variations", {}, content_type="application/json")
    assert response.status_code == 202
    child = response.json()
    assert response["Location"] == child["urls"]["self"]
    assert child["parent"] == parent["id"] and child["status"] == "queued"
    render(child["id"])
    child = api.get(child["urls"]["self"]).json()
    assert child["brief"]["genre"] == "funk"
    assert child["brief"]["seed"] != parent["brief"]["seed"]


def test_another_genre_makes_a_track_in_that_genre(api, photo):
    parent = make_done_track(api, photo, genre="funk", duration="5")
    response = api.post(f"/api/v1/tracks/{parent['id']}/variations", {"genre": "classical"},
                        content_type="application/json")
    assert response.status_code == 202
    render(response.json()["id"])
    assert Track.objects.get(id=response.json()["id"]).brief["genre"] == "classical"


def test_variation_with_unknown_genre_is_refused(api, photo):
    parent = create_track(api, photo, duration="5")
    response = api.post(f"/api/v1/tracks/{parent['id']}/variations", {"genre": "polka"},
                        content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_genre"
    assert Track.objects.count() == 1


def test_feedback_records_the_vote(api, photo):
    track = create_track(api, photo, duration="5")
    url = f"/api/v1/tracks/{track['id']}/feedback"
    assert api.post(url, {"vote": "up"}, content_type="application/json").json()["vote"] == "up"
    assert Track.objects.get(id=track["id"]).vote == 1
    assert api.post(url, {"vote": "down"}, content_type="application/json").json()["vote"] == "down"
    assert api.post(url, {"vote": "none"}, content_type="application/json").json()["vote"] == "none"
    assert Track.objects.get(id=track["id"]).vote == 0


def test_feedback_refuses_an_unknown_vote_and_other_browsers(api, other_api, photo):
    track = create_track(api, photo, duration="5")
    url = f"/api/v1/tracks/{track['id']}/feedback"
    bad = api.post(url, {"vote": "meh"}, content_type="application/json")
    assert bad.status_code == 400 and "meh" in bad.json()["error"]["message"]
    stranger = other_api.post(url, {"vote": "down"}, content_type="application/json")
    assert stranger.status_code == 403 and stranger.json()["error"]["code"] == "forbidden"
    assert Track.objects.get(id=track["id"]).vote == 0


def test_genres_lists_the_twenty(api):
    genres = api.get("/api/v1/genres").json()
    assert [g["name"] for g in genres] == list(GENRE_NAMES)
    assert all(g["label"] and g["label_ko"] for g in genres)


def test_schema_is_valid_openapi_describing_every_endpoint(api):
    from drf_spectacular.validation import validate_schema

    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert set(schema["paths"]) >= {"/api/v1/tracks", "/api/v1/tracks/{track_id}", "/api/v1/previews",
                                     "/api/v1/tracks/{track_id}/variations",
                                     "/api/v1/tracks/{track_id}/feedback", "/api/v1/genres"}
    track = schema["components"]["schemas"]["Track"]["properties"]
    assert track["brief_ko"]["allOf"] == [{"$ref": "#/components/schemas/BriefKo"}] and track["brief_ko"]["nullable"]
    assert set(schema["components"]["schemas"]["BriefKo"]["required"]) == {"description", "mood"}
    photo = schema["components"]["schemas"]["TrackCreateRequest"]["properties"]["image"]
    assert photo["format"] == "binary", "the photo is a file part, so clients and fuzzers send a file"
    create = schema["paths"]["/api/v1/tracks"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert {"202", "400", "413"} <= set(create["responses"])


def test_docs_page_serves_swagger_ui_from_our_own_static_files(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    script = api.get("/api/docs/?script=").content.decode()   # its set-up script, by URL for the CSP
    assert "/api/schema/" in script and "SwaggerUIBundle" in script
    # Offline machines: every script and stylesheet comes from this site, none from a CDN's host.
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", html), html
    assert "/static/drf_spectacular_sidecar/" in html


def test_health_check(api):
    assert api.get("/healthz").json() == {"ok": True}


def test_a_previews_brief_with_edits_is_reworded_in_both_languages(api, photo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = api.post("/api/v1/previews", {"image": SimpleUploadedFile("p.jpg", photo), "genre": "folk"}).json()
    assert [c["hex"] for c in preview["colours"]] == preview["reading"]["palette"]
    assert all(c["name"] and c["ko"] for c in preview["colours"]), "each swatch has a name to be read out"
    response = api.post("/api/v1/previews/brief", {"reading": preview["reading"], "brief": preview["brief"],
                                                   "edits": {"tempo": 70, "key": "Eb", "mode": "minor", "mood": "슬픈"}},
                        content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["brief"]["tempo"] == 70 and body["brief"]["mood"] == ["melancholic"]
    assert "70 bpm in Eb minor" in body["brief"]["description"]
    assert "70 BPM, 내림마단조(Eb minor)" in body["brief_ko"]["description"] and body["brief_ko"]["mood"] == ["쓸쓸함"]


def test_a_previews_brief_with_a_bad_edit_names_the_field(api, photo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = api.post("/api/v1/previews", {"image": SimpleUploadedFile("p.jpg", photo)}).json()
    response = api.post("/api/v1/previews/brief", {"reading": preview["reading"], "brief": preview["brief"],
                                                   "edits": {"tempo": "500"}}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_edit" and response.json()["error"]["field"] == "tempo"
    bad = api.post("/api/v1/previews/brief", {"reading": {}, "brief": preview["brief"]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_brief"


def test_a_queued_track_says_its_place_in_the_queue_and_the_wait(api, photo):
    first, second = create_track(api, photo), create_track(api, photo, seed="7")
    assert first["queue"]["position"] == 1 and second["queue"]["position"] == 2
    assert second["queue"]["eta_seconds"] > first["queue"]["eta_seconds"] > 0
    assert make_done_track(api, photo, seed="8")["queue"] is None
