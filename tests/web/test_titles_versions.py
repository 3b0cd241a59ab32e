"""Titles (written, then a person's own) and takes (versions linked to their first take), through the
API and the services the pages call; renaming and deleting are the owner's alone."""

from __future__ import annotations

import pytest

from melodify_web.tracks import selectors, services
from melodify_web.tracks.errors import NotYours
from melodify_web.tracks.models import Track

from .conftest import OWNER, stored_files
from .helpers import render

pytestmark = pytest.mark.django_db


def rename(client, track_id: str, body):
    return client.patch(f"/api/v1/tracks/{track_id}", body, content_type="application/json")


def vary(client, track_id: str, **fields):
    response = client.post(f"/api/v1/tracks/{track_id}/variations", fields, content_type="application/json")
    assert response.status_code == 202, response.content
    return response.json()


def test_a_done_track_has_a_title_in_english_and_korean(done_track):
    assert done_track["title"] and done_track["title_ko"] and not done_track["title_custom"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in done_track["title_ko"])


def test_the_owner_renames_a_track_and_an_empty_title_gives_the_written_one_back(api, done_track):
    renamed = rename(api, done_track["id"], {"title": "  Beach   at noon "}).json()
    assert renamed["title"] == renamed["title_ko"] == "Beach at noon" and renamed["title_custom"]
    assert api.get(f"/api/v1/tracks/{done_track['id']}").json()["title"] == "Beach at noon"
    back = rename(api, done_track["id"], {"title": ""}).json()
    assert back["title"] == done_track["title"] and not back["title_custom"]


def test_a_bad_title_is_a_400_that_says_why(api, done_track):
    long = rename(api, done_track["id"], {"title": "x" * 81})
    assert long.status_code == 400 and "81 characters" in long.json()["error"]["message"]
    assert rename(api, done_track["id"], {"title": ["a"]}).status_code == 400
    missing = rename(api, done_track["id"], {})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "invalid_title"


def test_only_the_browser_that_made_a_track_renames_it(other_api, done_track):
    response = rename(other_api, done_track["id"], {"title": "Mine now"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert Track.objects.get(id=done_track["id"]).title == ""


def test_versions_and_genres_are_takes_of_one_family_however_deep(api, done_track):
    version = vary(api, done_track["id"])
    other_genre = vary(api, version["id"], genre="jazz")
    assert version["parent"] == done_track["id"] and other_genre["parent"] == version["id"]
    assert {version["family"], other_genre["family"]} == {done_track["id"]}
    takes = selectors.track_takes(Track.objects.get(id=other_genre["id"]))
    assert [t.id for t in takes] == [done_track["id"], version["id"], other_genre["id"]]


def test_edit_and_make_again_keeps_the_seed_and_changes_only_what_was_changed(api, done_track):
    brief = done_track["brief"]
    made = vary(api, done_track["id"], seed=brief["seed"], tempo=71, key="Eb", mode="minor",
                mood=", ".join(brief["mood"]), instruments=", ".join(brief["instruments"]))
    render(made["id"])
    again = api.get(f"/api/v1/tracks/{made['id']}").json()
    assert again["parent"] == done_track["id"] and again["brief"]["seed"] == brief["seed"]
    assert (again["brief"]["tempo"], again["brief"]["key"], again["brief"]["mode"]) == (71, "Eb", "minor")
    assert Track.objects.get(id=made["id"]).request["edits"] == {"tempo": 71, "key": "Eb", "mode": "minor"}


def test_a_bad_edit_makes_no_take(api, done_track):
    before = Track.objects.count()
    response = api.post(f"/api/v1/tracks/{done_track['id']}/variations", {"tempo": 500},
                        content_type="application/json")
    assert response.status_code == 400 and "tempo" in response.json()["error"]["message"]
    assert Track.objects.count() == before


def test_the_owner_deletes_a_track_and_its_files_and_its_versions_stay(api, done_track, media_dir):
    version = vary(api, done_track["id"])
    track = Track.objects.get(id=done_track["id"])
    with pytest.raises(NotYours):
        services.track_delete(track=track, owner="someone-else-entirely")
    services.track_delete(track=track, owner=OWNER)
    assert not Track.objects.filter(id=done_track["id"]).exists()
    assert all(not name.startswith(f"tracks/{done_track['id']}/") for name in stored_files(media_dir))
    kept = Track.objects.get(id=version["id"])
    assert kept.parent_id is None and kept.family_id == done_track["id"]


def test_my_tracks_are_searched_by_genre_mood_or_title_in_either_language(api, photo, night_photo):
    from .helpers import make_done_track

    beach = make_done_track(api, photo, genre="latin", duration="5")
    night = make_done_track(api, night_photo, genre="jazz", duration="5")
    found = lambda query: [t.id for t in selectors.track_search(owner=OWNER, query=query)]  # noqa: E731
    assert found("jazz") == [night["id"]] and found("재즈") == [night["id"]]
    assert found("LATIN") == [beach["id"]]
    assert found(night["brief"]["mood"][0]) and night["id"] in found(night["brief"]["mood"][0])
    assert found("") == [night["id"], beach["id"]]
    assert found("nothing-like-this") == []


def page_client(owner: str = OWNER):
    from django.test import Client

    client = Client()
    client.cookies["melodify_owner"] = owner
    return client


def test_without_javascript_the_remake_form_makes_a_linked_take_with_its_instruments(done_track):
    brief = done_track["brief"]
    instruments = list(brief["instruments"])
    instruments[0] = "flute" if instruments[0] != "flute" else "piano"
    response = page_client().post(f"/tracks/{done_track['id']}/vary/", {
        "genre": brief["genre"], "mood": ", ".join(brief["mood"]), "tempo": "88", "key": brief["key"],
        "mode": brief["mode"], "time_signature": "3/4", "instrument": instruments, "duration": "5",
        "seed": str(brief["seed"])})
    assert response.status_code == 302
    take = Track.objects.get(id=response["Location"].strip("/").split("/")[-1])
    assert take.parent_id == done_track["id"] and take.request["seed"] == brief["seed"]
    assert take.request["edits"] == {"tempo": 88, "time_signature": "3/4", "instruments": instruments}


def test_without_javascript_the_owner_renames_and_deletes_from_the_pages(done_track):
    client = page_client()
    response = client.post(f"/tracks/{done_track['id']}/rename/", {"title": "Noon", "next": "/mine/"})
    assert response.status_code == 302 and response["Location"] == "/mine/"
    assert "Noon" in client.get("/mine/").content.decode()
    outside = client.post(f"/tracks/{done_track['id']}/rename/", {"title": "x", "next": "https://evil.example/"})
    assert outside["Location"] == f"/tracks/{done_track['id']}/"   # never sent off the site
    stranger = page_client("someone-else-entirely-000").post(f"/tracks/{done_track['id']}/delete/")
    assert stranger.status_code == 403 and Track.objects.filter(id=done_track["id"]).exists()
    assert client.post(f"/tracks/{done_track['id']}/delete/")["Location"] == "/mine/"
    assert not Track.objects.filter(id=done_track["id"]).exists()


def test_my_tracks_page_searches_and_says_when_nothing_matches(done_track):
    client = page_client()
    assert done_track["title"] in client.get("/mine/", {"q": "lo-fi"}).content.decode()
    html = client.get("/mine/", {"q": "polka"}).content.decode()
    assert 'id="no-results"' in html and "polka" in html


def test_a_prompt_written_for_the_new_take_reaches_its_brief_as_written(api, done_track):
    """The text a model composer (MusicGen) reads: kept as the person wrote it, beside a tempo change
    whose words the engine rewrites."""
    made = vary(api, done_track["id"], prompt="  warm lo-fi piano   with soft rain ", tempo=72)
    render(made["id"])
    again = api.get(f"/api/v1/tracks/{made['id']}").json()
    assert again["brief"]["prompt"] == "warm lo-fi piano with soft rain" and again["brief"]["tempo"] == 72
    assert "72" in again["brief"]["description"]
    too_long = api.post(f"/api/v1/tracks/{done_track['id']}/variations", {"prompt": "rain " * 70},
                        content_type="application/json")
    assert too_long.status_code == 400 and too_long.json()["error"]["field"] == "prompt"
