"""Fuzz target: the request parsers, the engine's parse_request (CLI and web) and the web's check_field
and request_from (what a form or API call sent). Any values must give a Request or an InvalidOption.

    python -m tests.fuzz.request CORPUS_DIR -max_total_time=300 -rss_limit_mb=1024 -timeout=10
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

from tests.fuzz import check_memory

os.environ.setdefault("MELODIFY_DATA_DIR", tempfile.mkdtemp(prefix="melodify-fuzz-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "melodify_web.settings")
with atheris.instrument_imports(include=["melodify", "melodify_web.tracks.services"]):
    import django

    django.setup()   # inside: the apps import the modules under test, and only new imports are instrumented
    from melodify.errors import InvalidOption
    from melodify.request import EDITABLE, Request, parse_request
    from melodify_web.tracks import services

NAMES = ("genre", "duration", "seed", *EDITABLE, "reader", "briefer", "composer")


def assert_says_briefly(refused: InvalidOption, values: list[str]) -> None:
    """A code, and words that quote a bad value cut short, never whole."""
    assert refused.code and refused.message and len(refused.message) < 1200, refused
    words = [value.strip(", ") for value in values]   # a list field's value, without its separators
    echoed = [word for word in words if len(word) > 50 and (word in refused.message
                                                             or repr(word)[1:-1] in refused.message)]
    assert not echoed, (echoed, refused.message)


def test_one_input(data: bytes) -> None:
    check_memory()
    values = data.decode("utf-8", "replace").split("\x00")
    sent = dict(zip(NAMES, values))
    try:
        parse_request(genre=sent.get("genre"), duration=sent.get("duration"), seed=sent.get("seed"),
                      edits={name: sent.get(name) for name in EDITABLE})
    except InvalidOption as refused:
        assert_says_briefly(refused, values)
    try:
        checked = {name: services.check_field(name, value) for name, value in sent.items()}
        made = services.request_from(genre=checked.get("genre"), duration=checked.get("duration"),
                                     seed=checked.get("seed"), edits={n: checked.get(n) for n in EDITABLE},
                                     engines={stage: checked.get(stage) for stage in ("reader", "briefer", "composer")})
    except InvalidOption as refused:
        assert_says_briefly(refused, values)
        return
    assert isinstance(made, Request) and Request.from_json(made.to_json()) == made


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
