"""The REST API (/api/v1/): short views over services and selectors. Errors are JSON with a code."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse, QueryDict
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from melodify.engines import ENGINES, STAGES
from melodify.errors import InvalidOption
from melodify.genres import GENRES
from melodify.request import EDITABLE
from melodify.request import Request as TrackRequest

from . import selectors, services
from .serializers import (EngineSerializer, ErrorSerializer, FeedbackSerializer, GenreSerializer,
                          PhotoUrlSerializer, PreviewBriefResultSerializer, PreviewBriefSerializer,
                          PreviewResultSerializer, PreviewSerializer, TrackCreateSerializer, TrackListSerializer,
                          TrackSerializer, TrackUpdateSerializer, VariationSerializer, brief_ko, colour_names, track_json)

# What any POST can answer besides success: bad fields, no such track, a body too large, a body type
# the endpoint does not read.
ERRORS = {status: ErrorSerializer for status in (400, 404, 413, 415)}
# What a POST that makes a track can also answer: too busy (429) or the queue down (503), with Retry-After.
CREATE_ERRORS = {**ERRORS, 429: ErrorSerializer, 503: ErrorSerializer}


def fields(request: Request) -> Mapping:
    """The request's fields: a form, or a JSON object (a JSON list, string or null is refused)."""
    if not isinstance(request.data, Mapping):
        raise InvalidOption(f"the request body must be a JSON object of fields, not {services.quoted(request.data)}; "
                            "/api/docs/ lists the fields", code="invalid_body")
    return request.data


def only_fields_of(request: Request, serializer: type[Serializer]) -> None:
    """Refuse any field the endpoint's documented shape (its serializer) does not have."""
    sent = set(fields(request)) | set(request.FILES)
    services.check_known_fields(sent, set(serializer().fields))


def form_value(request: Request, name: str, default=None):
    """One field's value (None/empty: `default`); sent twice, not text, or far too long: refused."""
    data = fields(request)
    if isinstance(data, QueryDict) and len(data.getlist(name)) > 1:
        raise InvalidOption(f"`{name}` was sent {len(data.getlist(name))} times; send it once",
                            code="duplicate_field")
    value = services.check_field(name, data.get(name))
    return default if value is None else value


def uploaded_image(request: Request) -> bytes:
    """The `image` file's bytes, size-checked before they are read."""
    uploads = request.FILES.getlist("image")
    if len(uploads) > 1:
        raise InvalidOption(f"{len(uploads)} files were sent as `image`; send one photo", code="duplicate_field")
    if not uploads:
        sent_as_text = "image" in fields(request)
        raise InvalidOption("the `image` field was sent as text, not as a file; attach the photo itself "
                            "(curl -F image=@photo.jpg)" if sent_as_text else
                            "no photo was sent; send it as the `image` field of a multipart/form-data POST "
                            "(curl -F image=@photo.jpg)", code="missing_image")
    services.check_upload_size(uploads[0].size)
    return uploads[0].read()


def track_request(request: Request, *, edits: bool = True) -> TrackRequest:
    """The engine's Request from the call's fields: genre, duration, seed, brief edits, engines."""
    return services.request_from(
        genre=form_value(request, "genre"), duration=form_value(request, "duration"),
        seed=form_value(request, "seed"),
        edits={name: form_value(request, name) for name in EDITABLE} if edits else None,
        engines={stage: form_value(request, stage) for stage in STAGES})


class TrackListCreate(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="tracks_list", responses={200: TrackListSerializer},
                   summary="The caller's tracks, newest first")
    def get(self, request: Request) -> Response:
        tracks = selectors.track_list(owner=request.owner)
        return Response({"results": [track_json(t, request) for t in tracks]})

    @extend_schema(operation_id="tracks_create", request={"multipart/form-data": TrackCreateSerializer},
                   responses={202: TrackSerializer, **CREATE_ERRORS},
                   summary="Make a track from a photo (queued; poll its self URL)")
    def post(self, request: Request) -> Response:
        only_fields_of(request, TrackCreateSerializer)
        image = uploaded_image(request)
        track = services.track_create(owner=request.owner, image=image, request=track_request(request))
        body = track_json(track, request)
        return Response(body, status=202, headers={"Location": body["urls"]["self"]})


class TrackDetail(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="tracks_retrieve", responses={200: TrackSerializer, 404: ErrorSerializer},
                   summary="A track's status, and its result once done")
    def get(self, request: Request, track_id: str) -> Response:
        return Response(track_json(selectors.track_get(track_id), request))

    @extend_schema(operation_id="tracks_destroy", responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
                   summary="Delete a track and all its files (only the browser that made it)")
    def delete(self, request: Request, track_id: str) -> Response:
        services.track_delete(track=selectors.track_get(track_id), owner=request.owner)
        return Response(status=204)

    @extend_schema(operation_id="tracks_update", request=TrackUpdateSerializer,
                   responses={200: TrackSerializer, 403: ErrorSerializer, **ERRORS},
                   summary="Rename a track (only the browser that made it)")
    def patch(self, request: Request, track_id: str) -> Response:
        track = selectors.track_get(track_id)
        only_fields_of(request, TrackUpdateSerializer)
        if "title" not in fields(request):
            raise InvalidOption('send the new title: {"title": "My beach song"} (empty: the written one)',
                                code="invalid_title")
        track = services.track_rename(track=track, owner=request.owner, title=fields(request).get("title"))
        return Response(track_json(track, request))


class TrackVariations(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="tracks_variation", request=VariationSerializer,
                   responses={202: TrackSerializer, **CREATE_ERRORS},
                   summary="Another take of a track: a new seed, another genre, or its brief changed")
    def post(self, request: Request, track_id: str) -> Response:
        parent = selectors.track_get_owned(track_id, owner=request.owner, to="make versions of it")
        only_fields_of(request, VariationSerializer)
        track = services.track_vary(track=parent, owner=request.owner, genre=form_value(request, "genre"),
                                    edits={name: form_value(request, name) for name in EDITABLE},
                                    seed=form_value(request, "seed"), duration=form_value(request, "duration"))
        body = track_json(track, request)
        return Response(body, status=202, headers={"Location": body["urls"]["self"]})


class TrackFeedback(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="tracks_feedback", request=FeedbackSerializer,
                   responses={200: TrackSerializer, 403: ErrorSerializer, **ERRORS},
                   summary="Thumbs up, down, or none (only the browser that made the track)")
    def post(self, request: Request, track_id: str) -> Response:
        track = selectors.track_get_owned(track_id, owner=request.owner, to="rate it")
        only_fields_of(request, FeedbackSerializer)
        track = services.track_vote(track=track, vote=form_value(request, "vote", ""))
        return Response(track_json(track, request))


class Preview(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="previews_create", request={"multipart/form-data": PreviewSerializer},
                   responses={200: PreviewResultSerializer, **ERRORS},
                   summary="Read a photo and write its brief, without making a track")
    def post(self, request: Request) -> Response:
        only_fields_of(request, PreviewSerializer)
        image = uploaded_image(request)
        reading, brief = services.track_preview(image=image, request=track_request(request, edits=False))
        return Response({"reading": reading.model_dump(mode="json"), "brief": brief.model_dump(mode="json"),
                         "brief_ko": brief_ko(brief, reading), "colours": colour_names(reading.palette)})


class PhotoByUrl(APIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="photos_by_url", request=PhotoUrlSerializer,
                   responses={(200, "image/jpeg"): bytes, **ERRORS},
                   summary="Fetch a photo by its URL (public http/https, size and time capped) as a JPEG")
    def post(self, request: Request) -> HttpResponse:
        jpeg = services.photo_from_url(url=fields(request).get("url"))   # URLs run past the 100-letter field limit
        return HttpResponse(jpeg, content_type="image/jpeg", headers={"Cache-Control": "no-store"})


class PreviewBrief(APIView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="previews_brief", request=PreviewBriefSerializer,
                   responses={200: PreviewBriefResultSerializer, **ERRORS},
                   summary="A preview's brief with a person's edits, its description rewritten to match")
    def post(self, request: Request) -> Response:
        data = fields(request)
        reading, brief = services.brief_reword(reading=data.get("reading"), brief=data.get("brief"),
                                               edits=data.get("edits") or {})
        return Response({"brief": brief.model_dump(mode="json"), "brief_ko": brief_ko(brief, reading)})


class EngineList(APIView):
    @extend_schema(operation_id="engines_list", responses={200: EngineSerializer(many=True)},
                   summary="The engines per stage, their licences, and which ones this server offers")
    def get(self, request: HttpRequest) -> Response:
        offered = services.engine_options()
        return Response([{"stage": spec.stage, "name": spec.name, "summary": spec.summary,
                          "offered": spec.name in offered[spec.stage], "credit": spec.credit().to_json()}
                         for spec in ENGINES.values()])


class GenreList(APIView):
    @extend_schema(operation_id="genres_list", responses={200: GenreSerializer(many=True)},
                   summary="The 20 genres")
    def get(self, request: HttpRequest) -> Response:
        return Response([{"name": g.name, "label": g.label, "label_ko": g.label_ko} for g in GENRES.values()])
