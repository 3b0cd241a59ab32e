"""Downloads carry the track's title and brief as tags (and the photo as MP3 cover art), in the page's
language, and are named by the title; a rename shows in the next download."""

from __future__ import annotations

import io
from urllib.parse import unquote

import mido
import mutagen
import pytest
import soundfile
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_mp3_has_id3_title_artist_cover_and_the_brief(api, done_track):
    data = api.get(done_track["urls"]["mp3"]).content
    tags = mutagen.File(io.BytesIO(data)).tags
    assert str(tags["TIT2"]) == done_track["title"] and str(tags["TPE1"]) == "Melodify"
    assert tags.getall("COMM")[0].text == [done_track["brief"]["description"]]
    cover = Image.open(io.BytesIO(tags.getall("APIC")[0].data))
    assert cover.format == "JPEG" and max(cover.size) <= 600
    assert soundfile.read(io.BytesIO(data))[0].shape[0] > 4 * 44100


def test_a_korean_download_has_the_korean_title_in_its_tags_and_its_name(api, done_track):
    response = api.get(done_track["urls"]["mp3"], headers={"Accept-Language": "ko"})
    tags = mutagen.File(io.BytesIO(response.content)).tags
    assert str(tags["TIT2"]) == done_track["title_ko"]
    assert tags.getall("COMM")[0].lang == "kor"
    assert unquote(response["Content-Disposition"].split("UTF-8''")[1]) == done_track["title_ko"] + ".mp3"


def test_a_renamed_track_downloads_under_its_new_name_in_every_format(api, done_track):
    api.patch(f"/api/v1/tracks/{done_track['id']}", {"title": "Sand/and: Sea?"}, content_type="application/json")
    mp3 = api.get(done_track["urls"]["mp3"])
    assert str(mutagen.File(io.BytesIO(mp3.content)).tags["TIT2"]) == "Sand/and: Sea?"
    assert 'filename="melodify-sand-and-sea-' in mp3["Content-Disposition"]
    assert unquote(mp3["Content-Disposition"].split("UTF-8''")[1]) == "Sand and Sea.mp3"
    with soundfile.SoundFile(io.BytesIO(api.get(done_track["urls"]["wav"]).content)) as wav:
        assert wav.title == "Sand/and: Sea?" and wav.artist == "Melodify"
    midi = mido.MidiFile(file=io.BytesIO(api.get(done_track["urls"]["midi"]).content), charset="utf-8")
    assert [m.name for m in midi.tracks[0] if m.type == "track_name"] == ["Sand/and: Sea?"]


def test_the_midi_key_signature_reads_as_the_brief_spells_it(api, photo):
    from .helpers import make_done_track

    track = make_done_track(api, photo, genre="lo-fi", duration="5", key="Eb", mode="minor")
    midi = mido.MidiFile(file=io.BytesIO(api.get(track["urls"]["midi"]).content))
    assert [m.key for m in midi.tracks[0] if m.type == "key_signature"] == ["Ebm"]
