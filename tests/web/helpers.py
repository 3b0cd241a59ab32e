"""Small helpers shared by the web tests."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from melodify_web.tracks import services
from melodify_web.tracks.models import Track


def post_track(api, image: bytes, name: str = "photo.jpg", **fields):
    upload = SimpleUploadedFile(name, image, content_type="image/jpeg")
    return api.post("/api/v1/tracks", {"image": upload, **fields})


def create_track(api, image: bytes, **fields) -> dict:
    response = post_track(api, image, **fields)
    assert response.status_code == 202, response.content
    return response.json()


def render(track_id: str) -> Track:
    """Run the job synchronously, as a worker would."""
    services.track_render(track_id=track_id, worker="test")
    return Track.objects.get(id=track_id)


def make_done_track(api, image: bytes, **fields) -> dict:
    track = create_track(api, image, **fields)
    render(track["id"])
    return api.get(f"/api/v1/tracks/{track['id']}").json()


def form_client(owner: str, lang: str = "en"):
    """A browser with its owner cookie, posting the upload page's no-JS form."""
    from django.test import Client

    client = Client(headers={"Accept-Language": lang})
    client.cookies["melodify_owner"] = owner
    return client


def post_form(client, image: bytes, name: str = "photo.jpg", **fields):
    upload = SimpleUploadedFile(name, image, content_type="image/jpeg")
    return client.post("/", {"image": upload, **fields})
