"""The REST API (/api/v1/): short views over services and selectors. Errors are JSON with a code."""

from __future__ import annotations

from django.http import HttpRequest
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from melodify.errors import InvalidOption, MelodifyError
from melodify.genres import GENRES

from . import selectors, services
from .serializers import (ErrorSerializer, FeedbackSerializer, GenreSerializer, PreviewResultSerializer,
                          PreviewSerializer, TrackCreateSerializer, TrackListSerializer, TrackSerializer,
                          VariationSerializer, brief_ko, track_json)

ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 413: ErrorSerializer}


class NotYours(MelodifyError):
    code = "forbidden"
    http_status = 403


def uploaded_image(request: Request) -> bytes:
    """The `image` file's bytes, size-checked before they are read."""
    upload = request.FILES.get("image")
    if upload is None:
        raise InvalidOption("no photo was sent; send it as the `image` field of a multipart/form-data POST",
                            code="missing_image")
    services.check_upload_size(upload.size)
    return upload.read()


def form_value(request: Request, name: str, default=None):
    value = request.data.get(name, default)
    return default if value in (None, "") else value


def brief_edits(request: Request) -> dict:
    return {name: request.data.get(name) for name in services.EDIT_FIELDS if request.data.get(name) not in (None, "")}


class TrackListCreate(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="tracks_list", responses={200: TrackListSerializer},
                   summary="The caller's tracks, newest first")
    def get(self, request: Request) -> Response:
        tracks = selectors.track_list(owner=request.owner)
        return Response({"results": [track_json(t, request) for t in tracks]})

    @extend_schema(operation_id="tracks_create", request={"multipart/form-data": TrackCreateSerializer},
                   responses={202: TrackSerializer, **ERRORS},
                   summary="Make a track from a photo (queued; poll its self URL)")
    def post(self, request: Request) -> Response:
        track = services.track_create(
            owner=request.owner, image=uploaded_image(request), genre=form_value(request, "genre"),
            duration=form_value(request, "duration", 15.0), seed=form_value(request, "seed"),
            edits=brief_edits(request))
        body = track_json(track, request)
        return Response(body, status=202, headers={"Location": body["urls"]["self"]})


class TrackDetail(APIView):
    @extend_schema(operation_id="tracks_retrieve", responses={200: TrackSerializer, 404: ErrorSerializer},
                   summary="A track's status, and its result once done")
    def get(self, request: Request, track_id: str) -> Response:
        return Response(track_json(selectors.track_get(track_id), request))


class TrackVariations(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="tracks_variation", request=VariationSerializer,
                   responses={202: TrackSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
                   summary="Another version (new seed) or another genre of a track")
    def post(self, request: Request, track_id: str) -> Response:
        parent = selectors.track_get(track_id)
        track = services.track_vary(track=parent, owner=request.owner, genre=form_value(request, "genre"))
        body = track_json(track, request)
        return Response(body, status=202, headers={"Location": body["urls"]["self"]})


class TrackFeedback(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="tracks_feedback", request=FeedbackSerializer,
                   responses={200: TrackSerializer, 400: ErrorSerializer, 403: ErrorSerializer,
                              404: ErrorSerializer},
                   summary="Thumbs up, down, or none (only the browser that made the track)")
    def post(self, request: Request, track_id: str) -> Response:
        track = selectors.track_get(track_id)
        if track.owner != request.owner:
            raise NotYours("only the browser that made this track can rate it")
        track = services.track_vote(track=track, vote=str(request.data.get("vote", "")))
        return Response(track_json(track, request))


class Preview(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="previews_create", request={"multipart/form-data": PreviewSerializer},
                   responses={200: PreviewResultSerializer, **ERRORS},
                   summary="Read a photo and write its brief, without making a track")
    def post(self, request: Request) -> Response:
        reading, brief = services.track_preview(
            image=uploaded_image(request), genre=form_value(request, "genre"),
            duration=form_value(request, "duration", 15.0))
        return Response({"reading": reading.model_dump(mode="json"), "brief": brief.model_dump(mode="json"),
                         "brief_ko": brief_ko(brief, reading)})


class GenreList(APIView):
    @extend_schema(operation_id="genres_list", responses={200: GenreSerializer(many=True)},
                   summary="The 20 genres")
    def get(self, request: HttpRequest) -> Response:
        return Response([{"name": g.name, "label": g.label, "label_ko": g.label_ko} for g in GENRES.values()])
