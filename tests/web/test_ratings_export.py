"""`melodify dataset from-ratings` on the web app's real database (SQLite here, PostgreSQL when the web
tests run with DATABASE_URL): what a listener rated up becomes an example, what they rated down a
negative, and a rebuild takes the rated examples in."""

from __future__ import annotations

import json

import pytest

from melodify.cli import main
from melodify.contracts import ImageReading
from melodify.llm.prompts import brief_prompt
from melodify_web.tracks.models import Track

from .helpers import make_done_track

pytestmark = pytest.mark.django_db


def vote(api, track: dict, how: str) -> None:
    response = api.post(f"/api/v1/tracks/{track['id']}/feedback", {"vote": how}, content_type="application/json")
    assert response.status_code == 200, response.content


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def rated(api, photo, night_photo) -> dict:
    """Four finished tracks: two rated up (one in a genre the listener chose), one down, one not rated."""
    liked = make_done_track(api, photo, duration="5")
    chosen = make_done_track(api, night_photo, genre="jazz", duration="5")
    disliked = make_done_track(api, night_photo, duration="5", seed="9")
    make_done_track(api, photo, duration="5", seed="11")
    vote(api, liked, "up")
    vote(api, chosen, "up")
    vote(api, disliked, "down")
    return {"up": [liked["id"], chosen["id"]], "down": [disliked["id"]]}


def test_rated_up_tracks_become_examples_and_rated_down_ones_negatives(rated, tmp_path, capsys):
    out = tmp_path / "ratings"
    assert main(["dataset", "from-ratings", "--out", str(out)]) == 0
    assert "Rated    2 up, 1 down (0 skipped" in capsys.readouterr().out
    examples = lines(out / "plain-train.jsonl") + lines(out / "plain-validation.jsonl")
    assert sorted(e["source"] for e in examples) == sorted(f"ratings:{i}" for i in rated["up"])
    assert {e["label"] for e in examples} == {"up"}
    for example in examples:
        track = Track.objects.get(id=example["source"].split(":")[1])
        assert example["brief"] == track.brief and example["reading"] == track.reading
        assert example["genre_chosen"] == (track.request.get("genre") or None)
    assert {e["genre_chosen"] for e in examples} == {None, "jazz"}
    (negative,) = lines(out / "negatives.jsonl")
    assert negative["label"] == "down" and negative["source"] == f"ratings:{rated['down'][0]}"

    vertex = lines(out / "vertex-train.jsonl")
    reading = ImageReading.model_validate(examples[0]["reading"])
    question = brief_prompt(reading, duration=examples[0]["brief"]["duration"], genre=examples[0]["genre_chosen"])
    assert vertex[0]["contents"][0]["parts"] == [{"text": question.text}]
    assert main(["dataset", "validate", str(out / "vertex-train.jsonl"), str(out / "plain-train.jsonl")]) == 0


def test_a_rebuild_takes_the_rated_examples_in(rated, tmp_path):
    assert main(["dataset", "from-ratings", "--out", str(tmp_path / "ratings"), "--validation", "0"]) == 0
    assert main(["dataset", "build", "--count", "20", "--include", str(tmp_path / "ratings" / "plain-train.jsonl"),
                 "--out", str(tmp_path / "v2")]) == 0
    examples = lines(tmp_path / "v2" / "plain-train.jsonl") + lines(tmp_path / "v2" / "plain-validation.jsonl")
    assert len(examples) == 20
    assert sorted(e["source"] for e in examples if e["source"].startswith("ratings:")) == \
        sorted(f"ratings:{i}" for i in rated["up"])


def test_no_ratings_yet_writes_empty_files_and_says_so(tmp_path, capsys):
    assert main(["dataset", "from-ratings", "--out", str(tmp_path / "none")]) == 0
    assert "Rated    0 up, 0 down" in capsys.readouterr().out
    assert (tmp_path / "none" / "vertex-train.jsonl").read_text() == ""
