"""The sweep for lost jobs (services.requeue_lost), row by row: what it sends again and what it leaves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from melodify_web.tracks import services
from melodify_web.tracks.models import Track

from .helpers import create_track

pytestmark = pytest.mark.django_db


def test_a_running_job_whose_heartbeat_stopped_is_queued_again_and_a_beating_one_is_left(api, photo, settings):
    silent, beating = (create_track(api, photo, duration="5")["id"] for _ in range(2))
    for track_id in (silent, beating):
        services.track_claim(track_id=track_id, worker="w")
    Track.objects.filter(id=silent).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.MELODIFY_STALE_SECONDS + 1))
    assert services.requeue_lost() == [silent]
    assert Track.objects.get(id=silent).status == "queued" and Track.objects.get(id=beating).status == "running"
    assert services.requeue_lost() == []   # sent once: not again until it goes stale again


def test_a_queued_job_whose_message_was_lost_is_sent_again_but_not_a_new_one_or_one_waiting_its_backoff(
        api, photo, settings):
    old = timezone.now() - timedelta(seconds=settings.MELODIFY_STALE_SECONDS + 1)
    lost, new, backing_off = (create_track(api, photo, duration="5")["id"] for _ in range(3))
    Track.objects.filter(id__in=[lost, backing_off]).update(created_at=old)
    Track.objects.filter(id=backing_off).update(run_after=timezone.now() + timedelta(seconds=30))
    assert services.requeue_lost() == [lost]
    assert services.requeue_lost() == []


@pytest.mark.django_db(transaction=True)   # the beat writes on its own connection: the row must be committed
def test_the_heartbeat_keeps_a_job_alive_while_its_engine_reports_nothing(api, photo, settings):
    import time

    settings.MELODIFY_HEARTBEAT_SECONDS = 1
    track_id = create_track(api, photo, duration="5")["id"]
    services.track_claim(track_id=track_id, worker="w")
    old = timezone.now() - timedelta(seconds=settings.MELODIFY_STALE_SECONDS + 1)
    Track.objects.filter(id=track_id).update(heartbeat_at=old)
    with services.heartbeat(track_id):
        time.sleep(2.5)   # a long stage, no progress reported
    assert Track.objects.get(id=track_id).heartbeat_at > timezone.now() - timedelta(seconds=3)
    assert services.requeue_lost() == []
