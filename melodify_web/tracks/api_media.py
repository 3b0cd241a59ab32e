"""The API for videos and albums: POST /api/v1/videos and /api/v1/albums (202 + the track; poll its self
URL). Short views over media_services; errors are JSON with a code, as everywhere in the API."""

from __future__ import annotations

from django.core.exceptions import TooManyFilesSent
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from melodify.album.making import max_photos
from melodify.errors import InvalidOption

from . import media_services, services
from .api import ERRORS, form_value
from .serializers import AlbumCreateSerializer, TrackSerializer, VideoCreateSerializer, track_json


def _number(request: Request, name: str, default: float) -> float:
    value = form_value(request, name, default)
    try:
        return float(value)
    except ValueError:
        raise InvalidOption(f"`{name}` must be a number; got {services.quoted(value)}", code="invalid_field") from None


def _accepted(track, request: Request) -> Response:
    body = track_json(track, request)
    return Response(body, status=202, headers={"Location": body["urls"]["self"]})


class VideoCreate(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="videos_create", request={"multipart/form-data": VideoCreateSerializer},
                   responses={202: TrackSerializer, **ERRORS},
                   summary="Give a video its own soundtrack (queued; the result has urls.video)")
    def post(self, request: Request) -> Response:
        uploads = request.FILES.getlist("video")
        if len(uploads) != 1:
            raise InvalidOption("send one video as the `video` field of a multipart/form-data POST "
                                "(curl -F video=@clip.mp4)", code="missing_video")
        asked = services.request_from(genre=form_value(request, "genre"), seed=form_value(request, "seed"))
        track = media_services.video_create(owner=request.owner, upload=uploads[0], request=asked,
                                            original_level=_number(request, "keep_original", 0.0))
        return _accepted(track, request)


class AlbumCreate(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="albums_create", request={"multipart/form-data": AlbumCreateSerializer},
                   responses={202: TrackSerializer, **ERRORS},
                   summary="Make one piece and a slideshow from 2 to 30 photos, in the order sent")
    def post(self, request: Request) -> Response:
        try:
            uploads = request.FILES.getlist("photos")
        except (TooManyFilesSent, ParseError):   # Django stops counting at DATA_UPLOAD_MAX_NUMBER_FILES
            raise InvalidOption(f"an album takes 2 to {max_photos()} photos; far more were sent",
                                code="album_size") from None
        asked = services.request_from(genre=form_value(request, "genre"), seed=form_value(request, "seed"))
        photos = [(u.name or f"photo {i}", u.read()) for i, u in enumerate(uploads, 1)]
        track = media_services.album_create(owner=request.owner, photos=photos, request=asked,
                                            seconds=_number(request, "seconds", 4.0))
        return _accepted(track, request)
