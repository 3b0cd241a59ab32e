"""Migrations: they match the models, and tracks made before credits existed get theirs."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)   # exits 1 on a missing migration


@pytest.mark.django_db(transaction=True)
def test_a_track_stored_with_only_its_soundfont_gets_the_credit_of_that_font():
    executor = MigrationExecutor(connection)
    executor.migrate([("tracks", "0001_initial")])
    old = executor.loader.project_state([("tracks", "0001_initial")]).apps.get_model("tracks", "Track")
    old.objects.create(id="before-credits-1", owner="o" * 20, soundfont="FluidR3_GM.sf2")
    old.objects.create(id="before-credits-2", owner="o" * 20, soundfont="TimGM6mb.sf2")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from melodify_web.tracks.models import Track

    credits = {t.id: t.credits for t in Track.objects.all()}
    assert credits["before-credits-1"][0]["licence"] == "MIT"
    assert credits["before-credits-2"][0]["licence"] == "GPL-2.0-only"
    assert credits["before-credits-2"][0]["work"] == "the TimGM6mb SoundFont by Tim Brechbill"
