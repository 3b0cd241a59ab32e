"""Photos in order become one piece (a section per photo, one key and tempo) and a slideshow MP4."""

from __future__ import annotations

import av
import numpy as np
import pytest

from melodify.album.making import Photo, make_album
from melodify.album.slideshow import render_slideshow
from melodify.cli import main
from melodify.errors import InvalidImage, InvalidOption
from melodify.samples import photo_bytes
from tests.videos import stream_seconds

SCENES = ("night-sea", "sunny-beach", "forest")


@pytest.fixture(scope="module")
def album():
    photos = [Photo(f"{name}.jpg", photo_bytes(name, size=(480, 360))) for name in SCENES]
    return make_album(photos, seconds=4.0)


def test_one_piece_with_a_section_per_photo_at_one_tempo(album):
    piece = album.piece
    body = [s for s in piece.plan if s.kind in ("A", "B")]
    assert len(body) == len(piece.starts) == len(piece.briefs) == 3
    assert piece.plan[-1].name == "outro"                           # an ending for the whole
    beat = 60.0 / piece.brief.tempo
    lengths = np.diff(piece.starts)
    assert lengths == pytest.approx([4.0, 4.0], abs=0.01)           # the tempo fits whole bars to 4 s
    assert (lengths / beat / piece.brief.beats_per_bar) == pytest.approx(np.round(lengths / beat / 4), abs=1e-3)
    assert {b.genre for b in piece.briefs} == {piece.brief.genre}
    assert album.performance.audio.duration == pytest.approx(piece.brief.duration, abs=1e-3)


def test_the_slideshow_shows_each_photo_in_its_section_with_the_music(album, tmp_path):
    out = render_slideshow([p.image for p in album.photos], album.piece.starts, album.performance.audio,
                           tmp_path / "album.mp4", size="story")
    with av.open(str(out)) as c:
        video, audio = c.streams.video[0], c.streams.audio[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", 1080, 1920)
        assert audio.codec_context.name == "aac"
        frames = {round(float(f.time), 2): f.to_ndarray(format="rgb24").mean(axis=(0, 1)) for f in c.decode(video)}
    assert stream_seconds(out, "video") == pytest.approx(album.performance.audio.duration, abs=0.1)
    colours = [np.asarray(p.image).mean(axis=(0, 1)) for p in album.photos]
    for k, start in enumerate(album.piece.starts):
        shown = frames[min(frames, key=lambda t: abs(t - (start + 2.0)))]
        nearest = min(range(3), key=lambda i: np.abs(colours[i] - shown).sum())
        assert nearest == k


def test_the_square_slideshow_is_1080_square(album, tmp_path):
    out = render_slideshow([p.image for p in album.photos[:1]], [0.0], album.performance.audio,
                           tmp_path / "square.mp4", size="square")
    with av.open(str(out)) as c:
        assert (c.streams.video[0].width, c.streams.video[0].height) == (1080, 1080)


def test_an_album_of_one_photo_or_of_500_is_refused_but_a_track_may_be_an_album_of_one():
    one = [Photo("a.jpg", photo_bytes("snow", size=(320, 240)))]
    with pytest.raises(InvalidOption, match="2 to 30 photos; 1 was sent"):
        make_album(one)
    with pytest.raises(InvalidOption, match="500 were sent"):
        make_album(one * 500)
    assert len(make_album(one, least=1).piece.starts) == 1


def test_a_bad_photo_inside_an_album_is_named_with_why():
    photos = [Photo("a.jpg", photo_bytes("snow", size=(320, 240))), Photo("broken.jpg", b"\xff\xd8\xff\xe0 nope"),
              Photo("c.jpg", photo_bytes("desert", size=(320, 240)))]
    with pytest.raises(InvalidImage) as caught:
        make_album(photos)
    assert caught.value.message.startswith("photo 2 of 3 (broken.jpg): ")


def test_the_cli_makes_a_slideshow_and_refuses_bad_sizes(tmp_path):
    paths = []
    for name in SCENES[:2]:
        paths.append(tmp_path / f"{name}.jpg")
        paths[-1].write_bytes(photo_bytes(name, size=(320, 240)))
    out = tmp_path / "album.mp4"
    assert main(["album", *map(str, paths), "-o", str(out), "--size", "square", "--seconds", "3"]) == 0
    assert out.stat().st_size > 10_000
    assert main(["album", *map(str, paths), "-o", str(tmp_path / "x.mp4"), "--seconds", "100"]) == 2
    assert not (tmp_path / "x.mp4").exists()
