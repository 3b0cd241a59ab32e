"""The track JSON (API responses and the pages' initial state), and the request shapes for the schema."""

from __future__ import annotations

import logging

from django.http import HttpRequest
from django.urls import reverse
from rest_framework import serializers

from melodify.brief.description_ko import MOODS_KO, describe_ko
from melodify.contracts import DEFAULT_DURATION, MAX_DURATION, MIN_DURATION, ImageReading, MusicBrief
from melodify.engines import STAGES
from melodify.genres import GENRES
from melodify.request import MAX_SEED
from melodify.words import colour
from melodify.request import Request as TrackRequest

from .models import Track
from .selectors import queue_place, track_title

log = logging.getLogger(__name__)

VOTE_NAMES = {1: "up", -1: "down", 0: "none"}
DOWNLOAD_FORMATS = {"mp3": "mp3", "wav": "wav", "midi": "mid"}   # JSON key -> URL format


def _url(request: HttpRequest | None, path: str | None) -> str | None:
    if not path:
        return None
    if path.startswith(("http://", "https://")) or request is None:
        return path
    return request.build_absolute_uri(path)


def track_urls(track: Track, request: HttpRequest | None = None) -> dict:
    done = track.status == Track.Status.DONE
    urls = {
        "self": reverse("api-track", args=[track.id]),
        "page": f"/tracks/{track.id}/",
        "share": f"/s/{track.id}/",
        "photo": reverse("track-photo", args=[track.id]) if track.photo else None,
        "audio": reverse("track-audio", args=[track.id]) if done and track.mp3 else None,
        "video": reverse("track-video", args=[track.id]) if done and track.movie else None,
        **{f"share_{size}": reverse("track-share-video", args=[track.id, size]) if done else None
           for size in ("story", "square")},
    }
    for key, fmt in DOWNLOAD_FORMATS.items():
        urls[key] = reverse("track-download", args=[track.id, fmt]) if done and getattr(track, key) else None
    return {key: _url(request, value) for key, value in urls.items()}


def brief_ko(brief: MusicBrief | dict | None, reading: ImageReading | dict | None) -> dict | None:
    """The brief in Korean for Korean pages: {"description", "mood": [words]}; None until there is a brief.
    The briefer's own Korean paragraph where it wrote one (the LLM briefers do), else one from the brief.
    Mood words the table does not know (a person's own edits) stay as they were typed."""
    if not brief or not reading:
        return None
    try:
        brief = MusicBrief.model_validate(brief)
        reading = ImageReading.model_validate(reading)
        return {"description": brief.description_ko or describe_ko(brief, reading),
                "mood": [MOODS_KO.get(word.strip().lower(), word.strip()) for word in brief.mood]}
    except Exception:  # noqa: BLE001 - a missing translation must not take the English track JSON down
        log.exception("no Korean brief for genre %r", getattr(brief, "genre", brief))
        return None


def colour_names(palette: list[str]) -> list[dict]:
    """Each palette colour's everyday name, in English and Korean (what a screen reader says for a swatch)."""
    return [{"hex": hex_colour, "name": c.name, "ko": c.ko} for hex_colour, c in ((h, colour(h)) for h in palette)]


def track_json(track: Track, request: HttpRequest | None = None) -> dict:
    """The one JSON shape of a track (WEB.md). With a request, URLs are absolute."""
    asked = TrackRequest.from_json(track.request)
    engine = {"reader": "", "briefer": "", "composer": "", "licence": "",
              **{stage: asked.engine(stage).name for stage in STAGES}, **(track.engine or {})}
    return {
        "id": track.id,
        "title": track_title(track, "en"),
        "title_ko": track_title(track, "ko"),
        "title_custom": bool(track.title),
        "kind": track.kind,
        "sections": track.sections or [],
        "status": track.status,
        "stage": track.stage,
        "percent": track.percent,
        "eta_seconds": track.eta_seconds,
        "queue": queue_place(track) if track.status == Track.Status.QUEUED else None,
        "error": {"code": track.error_code, "message": track.error_message}
        if track.status == Track.Status.FAILED else None,
        "reading": track.reading,
        "brief": track.brief,
        "brief_ko": brief_ko(track.brief, track.reading),
        "created_at": track.created_at.isoformat(),
        "finished_at": track.finished_at.isoformat() if track.finished_at else None,
        "timings": track.timings or {},
        "engine": engine,
        "credits": track.credits or [],
        "peaks": track.peaks,
        "duration": track.duration,
        "genre": track.genre,
        "urls": track_urls(track, request),
        "parent": track.parent_id,
        "family": track.family_id,
        "vote": VOTE_NAMES.get(track.vote, "none"),
    }


# ---- shapes for the OpenAPI schema and input parsing ------------------------------------------

GENRE_CHOICES = ["auto", *GENRES]   # empty means "auto" too


def genre_field(help_text: str = 'A genre name (see /api/v1/genres), or "auto"/empty: the briefer chooses.'):
    return serializers.ChoiceField(choices=GENRE_CHOICES, required=False, allow_blank=True, allow_null=True,
                                   help_text=help_text)


def engine_field(stage: str):
    return serializers.CharField(required=False, allow_blank=True,
                                 help_text=f"The {stage} engine (see /api/v1/engines); empty: the server's own.")


class PreviewSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="The photo: JPEG, PNG, WebP, GIF, BMP, HEIC or AVIF (baseline JPEGs "
                                            "up to 250 MP, others up to 50 MP).")
    genre = genre_field()
    duration = serializers.FloatField(required=False, default=DEFAULT_DURATION, min_value=MIN_DURATION,
                                      max_value=MAX_DURATION, help_text=f"Seconds, {MIN_DURATION:g} to {MAX_DURATION:g}.")
    seed = serializers.IntegerField(required=False, allow_null=True,
                                    help_text=f"0 to {MAX_SEED}; empty: from the photo.")
    reader = engine_field("reader")
    briefer = engine_field("briefer")
    composer = engine_field("composer")


class BriefEditsSerializer(serializers.Serializer):
    """The brief fields a person may set (melodify.request.EDITABLE), for making and for making again."""
    mood = serializers.CharField(required=False, allow_blank=True, help_text="Comma-separated mood words.")
    tempo = serializers.IntegerField(required=False, allow_null=True, help_text="Beats per minute, 40 to 220.")
    key = serializers.CharField(required=False, allow_blank=True, help_text="Tonic: C, C#, D, Eb ... B.")
    mode = serializers.CharField(required=False, allow_blank=True, help_text="major or minor.")
    time_signature = serializers.CharField(required=False, allow_blank=True, help_text="4/4 or 3/4.")
    instruments = serializers.CharField(required=False, allow_blank=True,
                                        help_text="Comma-separated instruments: lead, chords, bass, pad.")
    prompt = serializers.CharField(required=False, allow_blank=True,
                                   help_text="The text a text-to-music composer (MusicGen) reads, up to 300 characters.")


class TrackCreateSerializer(PreviewSerializer, BriefEditsSerializer):
    pass


class VideoCreateSerializer(serializers.Serializer):
    video = serializers.FileField(help_text="The video: MP4, MOV, WebM or MKV (limits: MELODIFY_VIDEO_MAX_*).")
    genre = genre_field()
    seed = serializers.IntegerField(required=False, allow_null=True, help_text=f"0 to {MAX_SEED}; empty: from the video.")
    keep_original = serializers.FloatField(required=False, default=0.0,
                                           help_text="The video's own sound under the music, 0 (dropped) to 1.")


class AlbumCreateSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), help_text="2 to 30 photos, in order.")
    genre = genre_field()
    seed = serializers.IntegerField(required=False, allow_null=True, help_text=f"0 to {MAX_SEED}; empty: from the photos.")
    seconds = serializers.FloatField(required=False, default=4.0, help_text="Seconds per photo, 2 to 15.")


class VariationSerializer(BriefEditsSerializer):
    genre = genre_field("Another genre; empty or null: another version of the same genre.")
    seed = serializers.IntegerField(required=False, allow_null=True,
                                    help_text=f"0 to {MAX_SEED}; empty: a new random seed (another version).")
    duration = serializers.FloatField(required=False, allow_null=True, help_text="Seconds; empty: the same.")


class PhotoUrlSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="The photo's http or https address on the public internet.")


class TrackUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, max_length=80,
                                  help_text="The track's title; empty: the one written from the photo and brief.")


class FeedbackSerializer(serializers.Serializer):
    vote = serializers.ChoiceField(choices=["up", "down", "none"])


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable word for programs: invalid_image, unknown_genre...")
    message = serializers.CharField(help_text="Plain words for people: what was wrong and what to do.")
    field = serializers.CharField(required=False, help_text="The request field that was wrong, where one was.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class BriefKoSerializer(serializers.Serializer):
    description = serializers.CharField(help_text="The brief's description in Korean.")
    mood = serializers.ListField(child=serializers.CharField(), help_text="The mood words in Korean.")


class CreditSerializer(serializers.Serializer):
    stage = serializers.CharField()
    engine = serializers.CharField()
    model = serializers.CharField(allow_null=True)
    work = serializers.CharField(help_text="What the result rests on: weights, sounds, rules.")
    licence = serializers.CharField(help_text="Its licence (an SPDX id where there is one).")
    licence_url = serializers.CharField(allow_blank=True)
    commercial_use = serializers.BooleanField(allow_null=True, help_text="null: unknown, check the licence.")
    terms = serializers.CharField(help_text="What the licence means for the music, in words.")


class EngineSerializer(serializers.Serializer):
    stage = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    offered = serializers.BooleanField(help_text="Whether a request may choose it on this server.")
    credit = CreditSerializer()


class QueueSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="1: the next track to be made.")
    eta_seconds = serializers.FloatField(help_text="Seconds until it is likely done, from recent tracks' times.")


class TrackSerializer(serializers.Serializer):
    """Documentation of the track JSON (built by track_json)."""
    id = serializers.CharField()
    title = serializers.CharField(help_text="The title: the person's own, else written from the photo and brief.")
    title_ko = serializers.CharField(help_text="The title for Korean pages (the person's own where they set one).")
    title_custom = serializers.BooleanField(help_text="Whether a person set the title.")
    kind = serializers.ChoiceField(choices=Track.Kind.values, help_text="photo, video or album.")
    sections = serializers.ListField(child=serializers.FloatField(),
                                     help_text="Video and album: seconds where each scene's or photo's section starts.")
    status = serializers.ChoiceField(choices=Track.Status.values)
    stage = serializers.CharField()
    percent = serializers.IntegerField()
    eta_seconds = serializers.FloatField(allow_null=True)
    queue = QueueSerializer(allow_null=True, help_text="While queued: its place and the expected wait.")
    error = ErrorDetailSerializer(allow_null=True)
    reading = serializers.DictField(allow_null=True)
    brief = serializers.DictField(allow_null=True)
    brief_ko = BriefKoSerializer(allow_null=True, help_text="The brief in Korean (for Korean pages); "
                                 "null until the brief is written.")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    timings = serializers.DictField(child=serializers.FloatField())
    engine = serializers.DictField(child=serializers.CharField(),
                                   help_text="The engines per stage, and what the licences allow (licence).")
    credits = CreditSerializer(many=True)
    peaks = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    duration = serializers.FloatField()
    genre = serializers.CharField()
    urls = serializers.DictField(child=serializers.URLField(allow_null=True))
    parent = serializers.CharField(allow_null=True, help_text="The take this one was made from.")
    family = serializers.CharField(help_text="The first take's id: the same for every take of a photo.")
    vote = serializers.ChoiceField(choices=["up", "down", "none"])


class TrackListSerializer(serializers.Serializer):
    results = TrackSerializer(many=True)


class ColourNameSerializer(serializers.Serializer):
    hex = serializers.CharField()
    name = serializers.CharField(help_text="Its everyday name: deep blue, beige...")
    ko = serializers.CharField(help_text="Its name in Korean.")


class PreviewResultSerializer(serializers.Serializer):
    reading = serializers.DictField()
    brief = serializers.DictField()
    brief_ko = BriefKoSerializer(allow_null=True)
    colours = ColourNameSerializer(many=True, help_text="The palette's colours by name, in its order.")


class PreviewBriefSerializer(serializers.Serializer):
    reading = serializers.DictField(help_text="The `reading` POST /api/v1/previews answered.")
    brief = serializers.DictField(help_text="The `brief` POST /api/v1/previews answered.")
    edits = serializers.DictField(required=False, help_text="The fields a person changed: mood (comma-separated "
                                  "words, Korean ones too), tempo, key, mode, time_signature, instruments.")


class PreviewBriefResultSerializer(serializers.Serializer):
    brief = serializers.DictField()
    brief_ko = BriefKoSerializer(allow_null=True)


class GenreSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    label_ko = serializers.CharField()
