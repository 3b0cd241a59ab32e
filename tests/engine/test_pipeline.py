"""pipeline.run: one way through the four stages for every caller, with progress, the reading and the
brief handed out as soon as they exist, credits, and one exporter for every file."""

from __future__ import annotations

import io

import pytest
import soundfile as sf

from melodify import pipeline
from melodify.engines import EngineChoice
from melodify.errors import InvalidOption
from melodify.request import Request
from melodify.samples import photo_bytes


@pytest.fixture(scope="module")
def photo() -> bytes:
    return photo_bytes("sunny-beach", size=(320, 240))


@pytest.fixture(scope="module")
def result(photo) -> pipeline.Result:
    return pipeline.run(photo, Request(genre="pop", duration=5, seed=1))


def test_run_hands_out_the_reading_and_the_brief_before_composing(photo):
    events: list[str] = []
    pipeline.run(photo, Request(duration=5),
                 progress=lambda stage, fraction: events.append(stage) if not events or events[-1] != stage else None,
                 on_reading=lambda reading: events.append(f"reading:{reading.caption[:5]}"),
                 on_brief=lambda brief: events.append(f"brief:{brief.genre}"))
    stages = [e.split(":")[0] for e in events]
    assert stages == ["read", "reading", "brief", "brief", "compose", "master"]


def test_the_seed_comes_from_the_photo_unless_one_is_asked_for(photo):
    assert pipeline.resolve_seed(Request(), photo).seed == pipeline.seed_for(photo)
    assert pipeline.resolve_seed(Request(seed=0), photo).seed == 0


def test_a_result_carries_timings_and_a_credit_per_stage(result):
    assert set(result.timings) == {"read", "brief", "compose", "master"}
    assert [c.stage for c in result.credits] == ["reader", "briefer", "composer"]
    assert result.credits[2].model == "FluidR3_GM.sf2" and result.credits[2].licence.name == "MIT"


@pytest.mark.parametrize("fmt", ["mp3", "wav", "ogg", "flac"])
def test_every_audio_format_exports_to_decodable_bytes_of_the_asked_length(result, fmt):
    data, rate = sf.read(io.BytesIO(pipeline.export(result, fmt)))
    assert rate == 44100 and abs(len(data) / rate - 5.0) < 0.06


def test_midi_exports_where_there_is_a_score_and_unknown_formats_are_refused(result):
    assert "midi" in result.formats
    assert pipeline.export(result, "midi")[:4] == b"MThd"
    with pytest.raises(InvalidOption, match="'aiff'"):
        pipeline.export(result, "aiff")


def test_export_to_writes_what_the_extension_names_and_leaves_no_partial_file(result, tmp_path):
    assert pipeline.export_to(result, tmp_path / "a" / "song.MID").read_bytes()[:4] == b"MThd"
    assert pipeline.export_to(result, tmp_path / "song.flac").read_bytes()[:4] == b"fLaC"
    with pytest.raises(InvalidOption, match=r"\.aiff"):
        pipeline.export_to(result, tmp_path / "song.aiff")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["song.MID", "song.flac"]


def test_an_edit_goes_back_to_the_engine_that_wrote_the_brief(photo, test_engines):
    reading = pipeline.read_photo(photo)
    request = Request(seed=4, briefer=EngineChoice("signed"))
    brief = pipeline.write_brief(reading, request)
    assert brief.engine == "signed" and brief.description == f"Signed: {brief.tempo} bpm."
    edited = pipeline.edit_brief(brief, reading, {"tempo": "77"})
    assert (edited.tempo, edited.description, edited.engine) == (77, "Signed: 77 bpm.", "signed")
    with_edits = pipeline.write_brief(reading, request.replace(edits={"tempo": 66}))
    assert with_edits.description == "Signed: 66 bpm."


def test_export_to_tags_the_file_with_the_written_title_and_the_brief(result, tmp_path):
    import mutagen

    from melodify.title import make_title

    tags = mutagen.File(pipeline.export_to(result, tmp_path / "song.mp3")).tags
    assert str(tags["TIT2"]) == make_title(result.reading, result.brief)
    assert tags.getall("COMM")[0].text == [result.brief.description]
    korean = mutagen.File(pipeline.export_to(result, tmp_path / "노래.flac", lang="ko", title="나의 노래"))
    assert korean["title"] == ["나의 노래"]


def test_a_prompt_edit_is_kept_as_written_while_the_engine_rewords_the_rest(photo):
    request = Request(seed=3, edits={"prompt": "slow cello under rain", "tempo": 64})
    brief = pipeline.run(photo, request).brief
    assert brief.prompt == "slow cello under rain" and brief.tempo == 64 and "64" in brief.description
