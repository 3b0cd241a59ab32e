"""The OpenAPI schema's examples: "Try it out" on the API docs page fills the forms with values that work
as they are (Swagger UI's own fill-ins, tempo 0 and mood "string", are refused)."""

from __future__ import annotations

from melodify.contracts import DEFAULT_DURATION

FORM_EXAMPLES = {
    "genre": "auto", "duration": DEFAULT_DURATION, "seed": 42, "mood": "calm, dreamy", "tempo": 96, "key": "C",
    "mode": "major", "time_signature": "4/4", "instruments": "piano, acoustic bass", "reader": "embedded",
    "briefer": "embedded", "composer": "embedded", "vote": "up",
}


def form_examples(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: an example for every request field named in FORM_EXAMPLES."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            for field, schema in component.get("properties", {}).items():
                if field in FORM_EXAMPLES:
                    schema["example"] = FORM_EXAMPLES[field]
    return result
