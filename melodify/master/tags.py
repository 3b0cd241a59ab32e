"""Tags in the files people download: title, artist, album, genre, the brief as a comment, the photo as
cover art. MP3 gets ID3v2.4, FLAC and OGG Vorbis comments (FLAC and OGG a cover picture too), WAV a
RIFF INFO list (title, artist, genre, comment: RIFF has no place for a picture), MIDI the title as
its sequence name.

Tags are written into bytes in memory (mutagen on a file-like object), so the same audio and tags
give the same bytes: no dates, no tool names."""

from __future__ import annotations

import base64
import io
import struct
from dataclasses import dataclass

from mutagen import id3
from mutagen.flac import FLAC, Picture
from mutagen.oggvorbis import OggVorbis

from ..contracts import ImageReading, MusicBrief
from ..genres import GENRES
from ..title import make_title

ARTIST = "Melodify"


@dataclass(frozen=True)
class Tags:
    title: str
    comment: str = ""          # the brief, in words
    genre: str = ""
    cover: bytes = b""         # a JPEG
    artist: str = ARTIST
    album: str = "Melodify"
    language: str = "eng"      # ISO 639-2 for the ID3 comment: "eng", "kor"


def track_tags(reading: ImageReading, brief: MusicBrief, *, title: str = "", lang: str = "en",
               cover: bytes = b"") -> Tags:
    """A track's tags in English or Korean: a person's own title, else the written one; the brief's
    description as the comment."""
    from ..brief.description_ko import describe_ko

    genre = GENRES[brief.genre]
    korean = lang == "ko"
    description = (brief.description_ko or describe_ko(brief, reading)) if korean else brief.description
    return Tags(title=title or make_title(reading, brief, lang), comment=description,
                genre=genre.label_ko if korean else genre.label, cover=cover, language="kor" if korean else "eng")


COVER_SIDE = 600   # players show cover art small; a 12 MP photo would double an MP3's size


def cover_art(jpeg: bytes, side: int = COVER_SIDE) -> bytes:
    """The photo as cover art: a JPEG whose longest side is at most `side` pixels."""
    from PIL import Image

    with Image.open(io.BytesIO(jpeg)) as image:
        image = image.convert("RGB")
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
    return out.getvalue()


def tag(data: bytes, fmt: str, tags: Tags) -> bytes:
    """`data` (a file of format `fmt`: mp3, flac, ogg, wav) with `tags` written in."""
    writers = {"mp3": _mp3, "flac": _flac, "ogg": _ogg, "wav": _wav, "midi": _midi}
    return writers[fmt](data, tags)


def _midi(data: bytes, tags: Tags) -> bytes:
    from ..compose.midi import with_title   # pretty_midi and mido load only for MIDI

    return with_title(data, tags.title)


def _own_id3(data: bytes) -> tuple[id3.ID3, bytes]:
    """The file's own ID3v2 tag, if any (encode's licence note, TCOP), and the audio after it: the tags are
    added to it, so a file has one tag and keeps what it said of its licence."""
    if data[:3] != b"ID3":
        return id3.ID3(), data
    size = 10 + sum((byte & 0x7F) << (7 * (3 - i)) for i, byte in enumerate(data[6:10]))   # syncsafe
    return id3.ID3(io.BytesIO(data[:size])), data[size:]


def _mp3(data: bytes, tags: Tags) -> bytes:
    frames, data = _own_id3(data)
    frames.add(id3.TIT2(encoding=id3.Encoding.UTF8, text=tags.title))
    frames.add(id3.TPE1(encoding=id3.Encoding.UTF8, text=tags.artist))
    frames.add(id3.TALB(encoding=id3.Encoding.UTF8, text=tags.album))
    if tags.genre:
        frames.add(id3.TCON(encoding=id3.Encoding.UTF8, text=tags.genre))
    if tags.comment:
        frames.add(id3.COMM(encoding=id3.Encoding.UTF8, lang=tags.language, desc="", text=tags.comment))
    if tags.cover:
        frames.add(id3.APIC(encoding=id3.Encoding.UTF8, mime="image/jpeg", type=id3.PictureType.COVER_FRONT,
                            desc="Photo", data=tags.cover))
    out = io.BytesIO()
    frames.save(out, padding=lambda info: 0)   # an ID3 block before the frames; no padding to keep sizes exact
    return out.getvalue() + data


def _picture(tags: Tags) -> Picture:
    picture = Picture()
    picture.type, picture.mime, picture.desc, picture.data = 3, "image/jpeg", "Photo", tags.cover
    return picture


def _vorbis_comments(audio, tags: Tags) -> None:
    audio["title"], audio["artist"], audio["album"] = tags.title, tags.artist, tags.album
    if tags.genre:
        audio["genre"] = tags.genre
    if tags.comment:
        audio["comment"] = tags.comment


def _flac(data: bytes, tags: Tags) -> bytes:
    buffer = io.BytesIO(data)
    audio = FLAC(buffer)
    _vorbis_comments(audio, tags)
    if tags.cover:
        audio.add_picture(_picture(tags))
    buffer.seek(0)
    audio.save(buffer, padding=lambda info: 0)
    return buffer.getvalue()


def _ogg(data: bytes, tags: Tags) -> bytes:
    buffer = io.BytesIO(data)
    audio = OggVorbis(buffer)
    _vorbis_comments(audio, tags)
    if tags.cover:   # the Vorbis way to carry a picture: a base64 FLAC picture block
        audio["metadata_block_picture"] = base64.b64encode(_picture(tags).write()).decode("ascii")
    buffer.seek(0)
    audio.save(buffer, padding=lambda info: 0)
    return buffer.getvalue()


def _wav(data: bytes, tags: Tags) -> bytes:
    """A LIST/INFO chunk appended after the audio, and the RIFF size fixed."""
    fields = {b"INAM": tags.title, b"IART": tags.artist, b"IPRD": tags.album, b"IGNR": tags.genre,
              b"ICMT": tags.comment}
    info = b"INFO"
    for chunk_id, text in fields.items():
        if text:
            value = text.encode("utf-8") + b"\0"
            info += chunk_id + struct.pack("<I", len(value)) + value + (b"\0" if len(value) % 2 else b"")
    chunk = b"LIST" + struct.pack("<I", len(info)) + info
    body = data + (b"\0" if len(data) % 2 else b"") + chunk
    return body[:4] + struct.pack("<I", len(body) - 8) + body[8:]
