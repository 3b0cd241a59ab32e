"""Logs as JSON lines with the track id (MELODIFY_LOG_FORMAT=json), one object a line."""

from __future__ import annotations

import json
import logging

import pytest

from melodify_web.logs import JsonFormatter, TrackFilter, track_context


def _line(logger_name: str = "melodify_web.test", **extra) -> dict:
    record = logging.LogRecord(logger_name, logging.INFO, __file__, 1, "track %s rendered", ("abc",), None)
    for key, value in extra.items():
        setattr(record, key, value)
    TrackFilter().filter(record)
    text = JsonFormatter().format(record)
    assert "\n" not in text
    return json.loads(text)


def test_a_line_is_one_json_object_with_time_level_logger_and_message():
    line = _line()
    assert line["level"] == "INFO" and line["logger"] == "melodify_web.test"
    assert line["message"] == "track abc rendered" and line["time"].endswith("+00:00")
    assert "track" not in line


def test_lines_logged_while_a_track_is_worked_on_carry_its_id():
    with track_context("TRACK123"):
        assert _line()["track"] == "TRACK123"
    assert "track" not in _line()
    assert _line(track="EXPLICIT")["track"] == "EXPLICIT"


def test_an_exception_travels_inside_the_line_not_on_lines_of_its_own():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in line["error"]


@pytest.mark.django_db
def test_a_job_logs_json_lines_with_its_track_id(api, photo, capsys, settings):
    from logging.config import dictConfig

    from .helpers import create_track, render

    dictConfig({**settings.LOGGING, "handlers": {"console": {**settings.LOGGING["handlers"]["console"],
                                                             "formatter": "json"}}})
    try:
        track_id = create_track(api, photo, duration="5")["id"]
        render(track_id)
        lines = [json.loads(text) for text in capsys.readouterr().err.splitlines() if text.startswith("{")]
    finally:
        dictConfig(settings.LOGGING)
    rendered = [line for line in lines if "rendered by" in line["message"]]
    assert rendered and rendered[0]["track"] == track_id
    assert {line["track"] for line in lines if line["logger"].startswith("melodify_web.tracks")} == {track_id}
