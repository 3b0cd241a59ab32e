"""Downloads carry tags that players read: title, artist, genre, the brief, the photo as cover art."""

import io

import mutagen
import numpy as np
import pytest
import soundfile

from melodify.compose.midi import score_to_midi
from melodify.contracts import Audio
from melodify.master.encode import encode
from melodify.master.tags import Tags, tag
from melodify.samples import photo_bytes

from tests.engine.test_midi import conductor_meta, two_part_score

COVER = photo_bytes("sunny-beach", "JPEG", size=(64, 64))
TAGS = Tags(title="해변의 활기", comment="Latin: a sun-warmed beach", genre="Latin", cover=COVER)


@pytest.fixture(scope="module")
def audio() -> Audio:
    t = np.arange(22050) / 44100
    tone = 0.2 * np.sin(2 * np.pi * 440 * t)
    return Audio(samples=np.stack([tone, tone], axis=1).astype(np.float32), sample_rate=44100)


def test_mp3_gets_id3_title_artist_comment_and_the_photo_as_cover(audio):
    data = tag(encode(audio, "mp3"), "mp3", TAGS)
    tags = mutagen.File(io.BytesIO(data)).tags
    assert str(tags["TIT2"]) == "해변의 활기" and str(tags["TPE1"]) == "Melodify"
    assert str(tags["TCON"]) == "Latin"
    assert tags.getall("COMM")[0].text == ["Latin: a sun-warmed beach"]
    cover = tags.getall("APIC")[0]
    assert cover.type == 3 and cover.mime == "image/jpeg" and cover.data == COVER
    decoded, _ = soundfile.read(io.BytesIO(data))
    assert abs(len(decoded) - 22050) <= 1   # the tag does not disturb the audio or its exact length


def test_an_mp3s_own_licence_note_stays_in_its_one_tag(audio):
    data = tag(encode(audio, "mp3", copyright="for non-commercial use only"), "mp3", TAGS)
    tags = mutagen.File(io.BytesIO(data)).tags
    assert str(tags["TCOP"]) == "for non-commercial use only" and str(tags["TIT2"]) == "해변의 활기"
    assert data.count(b"ID3") == 1
    decoded, _ = soundfile.read(io.BytesIO(data))
    assert abs(len(decoded) - 22050) <= 1


@pytest.mark.parametrize("fmt", ["flac", "ogg"])
def test_flac_and_ogg_get_vorbis_comments_and_a_cover_picture(audio, fmt):
    data = tag(encode(audio, fmt), fmt, TAGS)
    file = mutagen.File(io.BytesIO(data))
    assert file["title"] == ["해변의 활기"] and file["artist"] == ["Melodify"]
    assert file["comment"] == ["Latin: a sun-warmed beach"]
    pictures = file.pictures if fmt == "flac" else file["metadata_block_picture"]
    assert len(pictures) == 1
    assert soundfile.read(io.BytesIO(data))[0].shape == (22050, 2)


def test_wav_gets_a_riff_info_list_that_libsndfile_reads(audio):
    data = tag(encode(audio, "wav"), "wav", TAGS)
    with soundfile.SoundFile(io.BytesIO(data)) as f:
        assert (f.title, f.artist, f.genre, f.comment) == ("해변의 활기", "Melodify", "Latin", TAGS.comment)
        assert f.frames == 22050


@pytest.mark.parametrize("fmt", ["mp3", "flac", "ogg", "wav"])
def test_the_same_audio_and_tags_give_the_same_bytes(audio, fmt):
    assert tag(encode(audio, fmt), fmt, TAGS) == tag(encode(audio, fmt), fmt, TAGS)


def test_midi_gets_the_title_as_its_sequence_name():
    data = tag(score_to_midi(two_part_score()), "midi", TAGS)
    assert [m.name for m in conductor_meta(data, "track_name")] == ["해변의 활기"]
