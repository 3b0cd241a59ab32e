"""Schemathesis against the OpenAPI schema, in process: whatever a client sends, within or outside the
schema, the answer is never a 500 and always matches the schema (status, content type, body shape).
Bounded: a fixed number of examples per operation, derandomized so a run is the same every time."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from melodify.samples import photo_bytes
from melodify_web.wsgi import application

from .conftest import OWNER
from .helpers import make_done_track

PHOTO = photo_bytes("sunset", "JPEG", size=(320, 240))
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers={"HTTP_HOST": "localhost"})
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def track_id(api, photo) -> str:
    return make_done_track(api, photo, duration="5")["id"]


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_never_answers_500_and_keeps_to_its_schema(case, track_id):
    if "track_id" in (case.path_parameters or {}):
        case.path_parameters["track_id"] = track_id   # a real track, else every call is a 404
    if isinstance(case.body, dict) and "image" in case.body:
        case.body["image"] = PHOTO   # a real photo, so the other fields get past the photo check
    case.headers = {**(case.headers or {}), "X-Melodify-Owner": OWNER}
    case.call_and_validate(checks=CHECKS)
