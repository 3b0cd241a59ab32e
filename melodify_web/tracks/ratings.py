"""The tracks listeners rated, as plain data, for `melodify dataset from-ratings` (the engine turns them
into examples; it never imports Django, so the command line hands it these rows)."""

from __future__ import annotations

import os

from melodify.errors import NotConfigured


def rated_tracks(database: str | None = None) -> list[dict]:
    """Finished tracks with a vote, oldest first: id, vote (1 up, -1 down), reading, brief, request.
    `database` is a DATABASE_URL for this process (default: the settings' own)."""
    if database:
        os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "melodify_web.settings")
    import django
    from django.db import DatabaseError

    django.setup()
    from .models import Track

    try:
        return [{"id": t.id, "vote": t.vote, "reading": t.reading, "brief": t.brief, "request": t.request}
                for t in Track.objects.filter(status=Track.Status.DONE).exclude(vote=0).order_by("created_at", "id")]
    except DatabaseError as exc:
        raise NotConfigured(f"cannot read the web app's tracks ({str(exc).strip().splitlines()[0][:200]}); give "
                            "--database with its DATABASE_URL, or run `melodify serve` once to create it",
                            code="no_database") from None
