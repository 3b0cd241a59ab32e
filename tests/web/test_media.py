"""Serving a track's files: downloads with a friendly name that decode as MP3/WAV/MIDI, the photo, and
HTTP Range requests (206 with exactly the asked bytes) so the browser's <audio> can seek."""

from __future__ import annotations

import io
import re

import pretty_midi
import pytest
import soundfile

from melodify_web.tracks.models import Track

from .helpers import create_track

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_mp3_download_is_named_by_its_title_and_decodes_to_about_the_asked_length(api, done_track):
    response = api.get(done_track["urls"]["mp3"])
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    slug = re.sub(r"[^a-z0-9]+", "-", done_track["title"].lower()).strip("-")
    assert re.fullmatch(rf'attachment; filename="melodify-{slug}-[a-z0-9]{{8}}\.mp3"; filename\*=UTF-8\'\'.+\.mp3',
                        response["Content-Disposition"])
    audio, rate = soundfile.read(io.BytesIO(body(response)))
    assert rate in (44100, 48000) and audio.ndim == 2
    assert 4.5 <= len(audio) / rate <= 6.0


def test_wav_download_decodes_to_the_same_length(api, done_track):
    response = api.get(done_track["urls"]["wav"])
    assert response["Content-Type"] == "audio/wav"
    assert response["Content-Disposition"].endswith('.wav')
    info = soundfile.info(io.BytesIO(body(response)))
    assert info.format == "WAV" and 4.9 <= info.duration <= 5.1
    assert int(response["Content-Length"]) == len(body(api.get(done_track["urls"]["wav"])))


def test_midi_download_is_a_score_with_notes(api, done_track):
    response = api.get(done_track["urls"]["midi"])
    assert response["Content-Type"] == "audio/midi"
    assert response["Content-Disposition"].endswith('.mid')
    midi = pretty_midi.PrettyMIDI(io.BytesIO(body(response)))
    assert sum(len(i.notes) for i in midi.instruments) > 10


def test_photo_is_served_as_jpeg(api, done_track):
    response = api.get(done_track["urls"]["photo"])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert body(response)[:3] == b"\xff\xd8\xff"


def test_inline_audio_says_it_accepts_ranges(api, done_track):
    response = api.get(done_track["urls"]["audio"])
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes" and response["Content-Disposition"] == "inline"
    assert response["Content-Type"] == "audio/mpeg"


@pytest.mark.parametrize("header, first, last", [
    ("bytes=0-99", 0, 99),
    ("bytes=100-", 100, None),
    ("bytes=-500", -500, None),
    ("bytes=1000-1000", 1000, 1000),
])
def test_range_request_gets_206_with_exactly_those_bytes(api, done_track, header, first, last):
    whole = body(api.get(done_track["urls"]["audio"]))
    response = api.get(done_track["urls"]["audio"], headers={"Range": header})
    assert response.status_code == 206
    expected = whole[first:] if last is None else whole[first:last + 1]
    assert body(response) == expected
    start = first if first >= 0 else len(whole) + first
    assert response["Content-Range"] == f"bytes {start}-{start + len(expected) - 1}/{len(whole)}"
    assert int(response["Content-Length"]) == len(expected)
    assert response["Accept-Ranges"] == "bytes"


def test_range_past_the_end_is_416_with_the_size(api, done_track):
    size = len(body(api.get(done_track["urls"]["audio"])))
    response = api.get(done_track["urls"]["audio"], headers={"Range": f"bytes={size + 10}-"})
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{size}"


def test_range_on_a_download_works_too(api, done_track):
    response = api.get(done_track["urls"]["wav"], headers={"Range": "bytes=0-11"})
    assert response.status_code == 206 and body(response)[:4] == b"RIFF" and len(body(response)) == 12


def test_files_of_a_track_not_done_yet_are_404(api, photo):
    track = create_track(api, photo, duration="5")
    for url in (f"/tracks/{track['id']}/audio", f"/tracks/{track['id']}/download/mp3"):
        response = api.get(url)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")


def test_unknown_format_and_unknown_track_are_404(api, done_track):
    assert api.get(f"/tracks/{done_track['id']}/download/exe").status_code == 404
    assert api.get("/tracks/nope/download/mp3").status_code == 404


def test_media_url_serves_only_our_generated_names(api, done_track):
    track = Track.objects.get(id=done_track["id"])
    assert api.get(f"/media/{track.mp3.name}").status_code == 200
    assert api.get("/media/../secret_key").status_code == 404
    assert api.get(f"/media/tracks/{done_track['id']}/../../secret_key").status_code == 404


def fake_google_credentials():
    """A service account with a freshly made key: signing is local, nothing is sent anywhere."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from google.oauth2 import service_account

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    return service_account.Credentials.from_service_account_info({
        "type": "service_account", "project_id": "melodify-test", "private_key_id": "1", "private_key": key,
        "client_email": "melodify@melodify-test.iam.gserviceaccount.com", "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token"})


REMOTE = {
    "s3": ({"BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "melodify-bucket", "access_key": "AKIAFAKEFAKEFAKE", "secret_key": "fake" * 10,
                        "region_name": "eu-west-1"}},
           ["X-Amz-Signature=", "X-Amz-Expires=900", "X-Amz-Credential=AKIAFAKEFAKEFAKE"],
           "response-content-disposition", "response-content-type"),
    "gcs": ({"BACKEND": "storages.backends.gcloud.GoogleCloudStorage",
             "OPTIONS": {"bucket_name": "melodify-bucket", "project_id": "melodify-test"}},
            ["X-Goog-Signature=", "X-Goog-Expires=900", "X-Goog-Credential=melodify%40melodify-test"],
            "response-content-disposition", "response-content-type"),
}


@pytest.mark.parametrize("kind", list(REMOTE))
@pytest.mark.parametrize("fmt, content_type, disposition", [
    ("audio", "audio/mpeg", "inline"), ("photo", "image/jpeg", "inline"),
])
def test_with_files_in_a_bucket_the_player_and_photo_redirect_to_a_signed_expiring_url(api, done_track, settings, kind, fmt,
                                                                               content_type, disposition):
    """The real backends' own signing code, with fake credentials (offline); the database holds keys."""
    from urllib.parse import parse_qs, unquote, urlsplit

    storage, signed, disposition_key, type_key = REMOTE[kind]
    if kind == "gcs":
        settings.GS_CREDENTIALS = fake_google_credentials()
    settings.MELODIFY_STORAGE = kind
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    track = Track.objects.get(id=done_track["id"])
    key = {"audio": track.mp3.name, "photo": track.photo.name}.get(fmt) or getattr(track, fmt).name
    assert key.startswith(f"tracks/{track.id}/") and "://" not in key, "the row keeps the object key"
    response = api.get(done_track["urls"][fmt])
    assert response.status_code == 302 and response["Cache-Control"] == "private, max-age=60"
    url = response["Location"]
    assert urlsplit(url).path.endswith(key) and "melodify-bucket" in url
    for part in signed:
        assert part in url, (part, url)
    query = {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
    assert query[type_key] == content_type
    assert unquote(query[disposition_key]).startswith(disposition)


def test_with_files_in_a_bucket_downloads_are_read_through_and_tagged(api, done_track, settings):
    settings.MELODIFY_STORAGE = "s3"   # the view's switch; the local storage still reads the bytes
    download = api.get(done_track["urls"]["mp3"])   # tagged on the way out, so it cannot redirect
    assert download.status_code == 200 and download.content[:3] == b"ID3"
