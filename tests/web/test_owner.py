"""A track's link is for playing it: only the browser (or API owner) that made it may see its owner
controls, rate it, make versions of it or delete it. Every owner action is tried as a stranger, through
the pages and the API, and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from melodify_web.tracks.models import Track

from .conftest import OTHER_OWNER, OWNER, stored_files
from .helpers import create_track

pytestmark = pytest.mark.django_db


def browser(owner: str | None, lang: str = "en") -> Client:
    client = Client(headers={"Accept-Language": lang})
    if owner:
        client.cookies["melodify_owner"] = owner
    return client


def snapshot(track_id: str) -> tuple:
    track = Track.objects.get(id=track_id)
    return track.vote, track.status, Track.objects.count()


@pytest.mark.parametrize("stranger", [OTHER_OWNER, None], ids=["another-browser", "no-cookie"])
def test_a_stranger_opening_the_track_page_gets_the_share_view(done_track, stranger):
    response = browser(stranger).get(f"/tracks/{done_track['id']}/")
    assert response.status_code == 302 and response["Location"] == f"/s/{done_track['id']}/"
    page = browser(stranger).get(response["Location"]).content.decode()
    assert "Make your own" in page
    for control in ('id="vote-form"', 'id="another-version-form"', 'id="delete-form"', "/vote/", "/vary/"):
        assert control not in page, control


def test_the_owner_gets_the_track_page_with_its_controls(done_track):
    page = browser(OWNER).get(f"/tracks/{done_track['id']}/").content.decode()
    for control in ('id="vote-form"', 'id="another-version-form"', 'id="delete-form"'):
        assert control in page, control


PAGE_ACTIONS = [("vote", {"vote": "down"}), ("vary", {}), ("vary", {"genre": "jazz"}), ("delete", {})]


@pytest.mark.parametrize("lang, says", [("en", "Only the browser that made this track can change it"),
                                         ("ko", "만든 브라우저에서만 바꿀 수 있어요")])
@pytest.mark.parametrize("action, fields", PAGE_ACTIONS)
def test_a_stranger_posting_an_owner_form_is_refused_and_nothing_changes(done_track, media_dir, action, fields,
                                                                         lang, says):
    before, files = snapshot(done_track["id"]), stored_files(media_dir)
    response = browser(OTHER_OWNER, lang).post(f"/tracks/{done_track['id']}/{action}/", fields)
    assert response.status_code == 403
    assert says in response.content.decode()
    assert snapshot(done_track["id"]) == before and stored_files(media_dir) == files


API_ACTIONS = [("post", "feedback", {"vote": "down"}, "rate it"), ("post", "variations", {}, "make versions of it"),
               ("post", "variations", {"genre": "jazz"}, "make versions of it"), ("delete", "", None, "delete it")]


@pytest.mark.parametrize("method, endpoint, body, to", API_ACTIONS)
@pytest.mark.parametrize("stranger", [{"X-Melodify-Owner": OTHER_OWNER}, {}], ids=["another-owner", "no-owner"])
def test_a_stranger_calling_an_owner_endpoint_gets_403_and_nothing_changes(api, done_track, media_dir, method,
                                                                           endpoint, body, to, stranger):
    api.post(f"/api/v1/tracks/{done_track['id']}/feedback", {"vote": "up"}, content_type="application/json")
    before, files = snapshot(done_track["id"]), stored_files(media_dir)
    url = f"/api/v1/tracks/{done_track['id']}" + (f"/{endpoint}" if endpoint else "")
    response = getattr(Client(headers=stranger), method)(url, body, content_type="application/json")
    assert response.status_code == 403, response.content
    assert response.json()["error"] == {
        "code": "forbidden", "message": f"only the browser that made this track can {to}; a share link only plays it"}
    assert snapshot(done_track["id"]) == before and stored_files(media_dir) == files
    assert before[0] == 1, "the owner's thumbs-up stays"


def test_the_owner_deletes_a_track_through_the_api_and_every_file_goes(api, done_track, media_dir):
    names = {f.rsplit("/", 1)[-1] for f in stored_files(media_dir)}
    assert {"photo.jpg", "track.mp3", "track.wav", "track.mid"} <= names
    response = api.delete(f"/api/v1/tracks/{done_track['id']}")
    assert response.status_code == 204 and response.content == b""
    assert Track.objects.count() == 0 and stored_files(media_dir) == []
    assert not (media_dir / "tracks" / done_track["id"]).exists(), "its folder goes too"
    assert api.get(f"/api/v1/tracks/{done_track['id']}").status_code == 404
    assert api.get(done_track["urls"]["audio"]).status_code == 404
    assert api.delete(f"/api/v1/tracks/{done_track['id']}").status_code == 404


def test_the_owner_deletes_a_track_with_the_page_button_and_lands_on_my_tracks(done_track, media_dir):
    client = browser(OWNER)
    response = client.post(f"/tracks/{done_track['id']}/delete/")
    assert response.status_code == 302 and response["Location"] == "/mine/"
    assert Track.objects.count() == 0 and stored_files(media_dir) == []
    assert done_track["id"] not in client.get("/mine/").content.decode()
    assert client.get(f"/tracks/{done_track['id']}/").status_code == 404


def test_deleting_a_parent_keeps_its_versions_and_their_files(api, done_track, media_dir):
    child = api.post(f"/api/v1/tracks/{done_track['id']}/variations", {}, content_type="application/json").json()
    assert api.delete(f"/api/v1/tracks/{done_track['id']}").status_code == 204
    kept = Track.objects.get(id=child["id"])
    assert kept.parent is None and stored_files(media_dir) == [kept.photo.name]


def test_a_track_deleted_while_its_job_runs_leaves_no_file_behind(api, photo, media_dir, monkeypatch):
    from melodify_web.tracks import services

    track = create_track(api, photo, duration="5")
    finish = services._finish

    def delete_then_finish(row, *args):   # the owner deletes it just before the worker saves the audio
        services.track_delete(track=Track.objects.get(id=row.id), owner=row.owner)
        finish(row, *args)

    monkeypatch.setattr(services, "_finish", delete_then_finish)
    render_outcome = services.track_render(track_id=track["id"], worker="test")
    assert render_outcome == services.Outcome.DONE
    assert Track.objects.count() == 0 and stored_files(media_dir) == []


def test_probing_ids_finds_nothing_and_there_is_no_public_listing(done_track):
    stranger = Client()
    for guess in ("1", "0", "admin", "a" * 22, done_track["id"][:-1] + "x", "../etc/passwd", "%2e%2e"):
        for url in (f"/api/v1/tracks/{guess}", f"/tracks/{guess}/", f"/s/{guess}/", f"/tracks/{guess}/audio"):
            assert stranger.get(url).status_code == 404, url
    assert stranger.get("/api/v1/tracks").json() == {"results": []}
    assert done_track["id"] not in stranger.get("/mine/").content.decode()
    assert len(done_track["id"]) >= 22, "128 random bits"
