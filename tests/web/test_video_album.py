"""Videos and albums through the API and the pages: created (202), rendered by the real job, served as
video with Range, shared as MP4; bad videos and bad albums refused with JSON, nothing stored."""

from __future__ import annotations

import av
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from melodify.samples import photo_bytes
from melodify_web.tracks.models import Track

from .conftest import stored_files
from .helpers import create_track, render
from tests.videos import make_clip, video_packets

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("web-video") / "clip.mp4", seconds=6.0, cuts=(3.0,), sound=True)


def post_video(api, data: bytes, name: str = "clip.mp4", **fields):
    return api.post("/api/v1/videos", {"video": SimpleUploadedFile(name, data, content_type="video/mp4"), **fields})


def post_album(api, photos: list[tuple[str, bytes]], **fields):
    files = [SimpleUploadedFile(name, data, content_type="image/jpeg") for name, data in photos]
    return api.post("/api/v1/albums", {"photos": files, **fields})


def test_a_video_is_scored_by_the_job_and_served_with_its_new_soundtrack(api, clip, media_dir, tmp_path):
    response = post_video(api, clip.read_bytes(), genre="pop", keep_original="0.2")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "video" and body["status"] == "queued"
    assert sorted(stored_files(media_dir)) == [f"tracks/{body['id']}/photo.jpg", f"tracks/{body['id']}/video.mp4"]
    track = render(body["id"])
    assert track.status == "done", track.error_message
    done = api.get(f"/api/v1/tracks/{body['id']}").json()
    assert done["brief"]["genre"] == "pop" and len(done["sections"]) == 2
    assert done["duration"] == pytest.approx(6.0, abs=1e-3)
    assert done["brief_ko"]["description"]           # the stored brief is a valid MusicBrief
    assert done["urls"]["mp3"] and done["urls"]["midi"] and done["credits"]
    video = api.get(done["urls"]["video"].replace("http://testserver", ""), HTTP_RANGE="bytes=0-99")
    assert video.status_code == 206 and video["Content-Type"] == "video/mp4"
    whole = b"".join(api.get(done["urls"]["video"].replace("http://testserver", "")).streaming_content)
    scored = tmp_path / "scored.mp4"
    scored.write_bytes(whole)
    assert video_packets(scored) == video_packets(clip)
    share = api.get(done["urls"]["share_story"].replace("http://testserver", ""))
    assert share.status_code == 200 and share["Content-Type"] == "video/mp4"


@pytest.mark.parametrize("name, data, code", [
    ("photo.mp4", photo_bytes("forest", size=(320, 240)), "not_a_video"),
    ("empty.mp4", b"", "empty_file"),
    ("noise.mov", bytes(range(256)) * 200, "not_a_video"),
])
def test_a_bad_video_gets_a_400_with_its_reason_and_nothing_is_stored(api, media_dir, name, data, code):
    response = post_video(api, data, name)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert stored_files(media_dir) == [] and not Track.objects.exists()


def test_an_album_becomes_one_piece_and_a_slideshow(api, media_dir):
    photos = [(f"{n}.jpg", photo_bytes(n, size=(480, 360))) for n in ("sunset", "snow", "neon")]
    response = post_album(api, photos, seconds="3")
    assert response.status_code == 202, response.content
    track = render(response.json()["id"])
    assert track.status == "done", track.error_message
    assert len(track.album) == 3 and len(track.sections) == 3
    with track.movie.open("rb") as f, av.open(f) as c:
        assert (c.streams.video[0].width, c.streams.video[0].height) == (1080, 1920)
        assert c.streams.audio[0].codec_context.name == "aac"


def test_an_album_of_one_or_500_photos_or_with_a_bad_photo_is_refused_naming_it(api, media_dir):
    good = ("a.jpg", photo_bytes("snow", size=(160, 120)))
    one = post_album(api, [good])
    assert one.status_code == 400 and one.json()["error"]["code"] == "album_size"
    many = post_album(api, [good] * 31)
    assert many.status_code == 400 and "31 were sent" in many.json()["error"]["message"]
    bad = post_album(api, [good, ("broken.jpg", b"\xff\xd8\xff\xe0 nope"), good])
    assert bad.status_code == 400
    assert bad.json()["error"]["message"].startswith("photo 2 of 3 (broken.jpg): ")
    assert stored_files(media_dir) == [] and not Track.objects.exists()


def test_every_photo_track_offers_its_photo_and_music_as_share_ready_mp4s(api, photo):
    track = create_track(api, photo, genre="lo-fi", duration="5")
    render(track["id"])
    done = api.get(f"/api/v1/tracks/{track['id']}").json()
    for size, shape in (("story", (1080, 1920)), ("square", (1080, 1080))):
        response = api.get(done["urls"][f"share_{size}"].replace("http://testserver", ""))
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{size}.mp4"')
    assert api.get(f"/tracks/{track['id']}/share/huge.mp4").status_code == 400


def test_another_version_of_a_video_scores_the_same_video_again(api, clip):
    first = render(post_video(api, clip.read_bytes(), genre="pop").json()["id"])
    response = api.post(f"/api/v1/tracks/{first.id}/variations", {"genre": "rock"}, content_type="application/json")
    assert response.status_code == 202, response.content
    varied = render(response.json()["id"])
    assert (varied.kind, varied.status, varied.parent_id) == ("video", "done", first.id)
    assert varied.brief["genre"] == "rock" and varied.request["seed"] != first.request["seed"]
    with varied.video.open("rb") as a, first.video.open("rb") as b:
        assert a.read() == b.read()


def test_an_album_of_500_photos_gets_a_json_400_not_a_crash(api, media_dir):
    tiny = ("a.jpg", photo_bytes("snow", size=(32, 24)))
    response = post_album(api, [tiny] * 500)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "album_size" and "2 to 30 photos" in error["message"]
    assert stored_files(media_dir) == [] and not Track.objects.exists()


def test_the_pages_take_a_video_and_photos_and_say_what_was_wrong(client, clip, media_dir):
    assert client.get("/video/").status_code == 200 and client.get("/album/").status_code == 200
    made = client.post("/video/", {"video": SimpleUploadedFile("clip.mp4", clip.read_bytes()), "keep_original": "20"})
    assert made.status_code == 302 and made["Location"].startswith("/tracks/")
    bad = client.post("/video/", {"video": SimpleUploadedFile("x.mp4", photo_bytes("snow", size=(64, 48)))})
    assert bad.status_code == 400 and b"not a video" in bad.content
    one = client.post("/album/", {"photos": [SimpleUploadedFile("a.jpg", photo_bytes("snow", size=(64, 48)))]})
    assert one.status_code == 400 and b"2 to 30 photos" in one.content


def test_on_korean_pages_a_refused_video_or_album_is_said_in_korean(media_dir):
    from django.test import Client

    korean = Client(headers={"Accept-Language": "ko"})
    bad = korean.post("/video/", {"video": SimpleUploadedFile("x.mp4", photo_bytes("snow", size=(64, 48)))})
    assert bad.status_code == 400 and "읽을 수 있는 동영상이 아니에요" in bad.content.decode()
    one = korean.post("/album/", {"photos": [SimpleUploadedFile("a.jpg", photo_bytes("snow", size=(64, 48)))]})
    assert one.status_code == 400 and "사진을 2~30장" in one.content.decode()
    assert Track.objects.count() == 0
