"""A Track: one photo made into music. The job's whole state lives on this row, never only in a queue."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from melodify.contracts import DEFAULT_DURATION


def new_track_id() -> str:
    """Unguessable: the id is also the share link."""
    return secrets.token_urlsafe(16)


def track_file_name(instance: "Track", filename: str) -> str:
    """Stored names are ours (tracks/<id>/track.mp3), never the uploader's."""
    return f"tracks/{instance.id}/{filename}"


class Track(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo"        # a photo -> a track
        VIDEO = "video"        # a video -> its soundtrack, muxed back into it
        ALBUM = "album"        # photos in order -> one piece and a slideshow

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    id = models.CharField(primary_key=True, max_length=32, default=new_track_id, editable=False)
    owner = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    stage = models.CharField(max_length=8, blank=True, default="")   # "", read, brief, compose, master
    percent = models.PositiveSmallIntegerField(default=0)
    eta_seconds = models.FloatField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)   # a retry waits out its backoff until then
    worker = models.CharField(max_length=200, blank=True, default="")
    timings = models.JSONField(default=dict, blank=True)
    request = models.JSONField(default=dict, blank=True)     # melodify.request.Request.to_json(), and photo
    reading = models.JSONField(null=True, blank=True)
    brief = models.JSONField(null=True, blank=True)
    photo = models.FileField(upload_to=track_file_name, max_length=255, blank=True)
    mp3 = models.FileField(upload_to=track_file_name, max_length=255, blank=True)
    wav = models.FileField(upload_to=track_file_name, max_length=255, blank=True)
    midi = models.FileField(upload_to=track_file_name, max_length=255, blank=True)
    peaks = models.JSONField(null=True, blank=True)
    engine = models.JSONField(default=dict, blank=True)      # reader, briefer, composer: the engines that ran
    credits = models.JSONField(default=list, blank=True)     # melodify.engines.Credit.to_json() per stage
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="variations")
    # The takes of one photo: a version's family is its first take's id ("" on a first take: its own id),
    # so all takes come in one query however deep the chain of versions goes.
    family = models.CharField(max_length=32, blank=True, default="", db_index=True)
    title = models.CharField(max_length=80, blank=True, default="")   # a person's own; "": the written one
    vote = models.SmallIntegerField(default=0)               # -1 down, 0 none, 1 up
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PHOTO)
    video = models.FileField(upload_to=track_file_name, max_length=255, blank=True)     # the uploaded video
    movie = models.FileField(upload_to=track_file_name, max_length=255, blank=True)     # scored video / slideshow
    album = models.JSONField(default=list, blank=True)       # the album's stored photo names, in order
    sections = models.JSONField(default=list, blank=True)    # video/album: seconds where each section starts
    length = models.FloatField(null=True, blank=True)        # video/album: seconds (a brief stops at 60)
    share_story = models.FileField(upload_to=track_file_name, max_length=255, blank=True)   # 1080x1920 MP4
    share_square = models.FileField(upload_to=track_file_name, max_length=255, blank=True)  # 1080x1080 MP4

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"]),
                   models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Track {self.id} ({self.status})"

    @property
    def duration(self) -> float:
        if self.length:
            return self.length
        return float((self.brief or {}).get("duration") or self.request.get("duration") or DEFAULT_DURATION)

    @property
    def family_id(self) -> str:
        return self.family or self.id

    @property
    def genre(self) -> str:
        return (self.brief or {}).get("genre") or self.request.get("genre") or "auto"
