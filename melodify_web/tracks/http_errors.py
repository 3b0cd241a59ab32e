"""Errors as JSON under /api/ ({"error": {"code", "message"}}), friendly HTML pages elsewhere; never a traceback."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from rest_framework import exceptions as drf
from rest_framework.response import Response

from melodify.errors import MelodifyError

log = logging.getLogger(__name__)

PLAIN = {400: "That request was not understood.", 403: "That is not allowed.",
         404: "There is nothing here.", 413: "That upload is too large.",
         500: "Something went wrong on our side. Please try again."}


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_body(code: str, message: str, field: str | None = None) -> dict:
    """The API's error JSON; `field` names the request field that was wrong, where one was."""
    return {"error": {"code": code, "message": message, **({"field": field} if field else {})}}


def error_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if wants_json(request):
        return JsonResponse(error_body(code, message), status=status)
    for template in (f"{status}.html", "pages/error.html"):
        try:
            html = render_to_string(template, {"status": status, "code": code, "message": message},
                                    request=request)
            return HttpResponse(html, status=status)
        except TemplateDoesNotExist:
            continue
        except Exception:  # noqa: BLE001 - a broken error page must not hide the error
            log.exception("error page %s failed to render", template)
            break
    return HttpResponse(f"<!doctype html><title>Melodify</title><h1>{status}</h1><p>{message}</p>",
                        status=status)


def request_advice(exc: drf.APIException, view) -> str:
    """DRF's words for a wrong method, body type or unreadable body, plus what the endpoint takes."""
    said = str(exc.detail).rstrip(".")
    if isinstance(exc, drf.MethodNotAllowed):
        allowed = [m for m in getattr(view, "allowed_methods", []) if m not in ("OPTIONS", "HEAD")]
        return f"{said} here; use {' or '.join(allowed)} (see /api/docs/)"
    types = [parser.media_type for parser in getattr(view, "parser_classes", [])]
    if "multipart/form-data" in types and "application/json" not in types:
        return f"{said}; send multipart/form-data with the photo as the `image` file (curl -F image=@photo.jpg)"
    return f"{said}; send a JSON object or a form ({', '.join(types)}); /api/docs/ lists the fields"


def retry_after(exc: Exception) -> dict[str, str]:
    """The Retry-After header for an error that says when to come back (errors.TryLater)."""
    seconds = getattr(exc, "retry_after", None)
    return {"Retry-After": str(max(1, round(seconds)))} if seconds else {}


def api_exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's handler: our errors keep their code and words; anything unexpected is logged, not shown."""
    if isinstance(exc, MelodifyError):
        return Response(error_body(exc.code, exc.message, exc.field), status=exc.http_status,
                        headers=retry_after(exc))
    if isinstance(exc, Http404):
        return Response(error_body("not_found", "there is nothing at this address"), status=404)
    if isinstance(exc, (PermissionDenied, drf.PermissionDenied)):
        return Response(error_body("forbidden", str(exc) or PLAIN[403]), status=403)
    if isinstance(exc, SuspiciousOperation):   # e.g. too many form fields
        return Response(error_body("bad_request", str(exc) or PLAIN[400]), status=400)
    if isinstance(exc, (drf.MethodNotAllowed, drf.UnsupportedMediaType, drf.ParseError)):
        return Response(error_body(exc.default_code, request_advice(exc, context.get("view"))),
                        status=exc.status_code)
    if isinstance(exc, drf.APIException):
        detail = exc.detail
        if isinstance(detail, dict):
            field, value = next(iter(detail.items()))
            message = f"{field}: {value[0] if isinstance(value, list) else value}"
        elif isinstance(detail, list):
            message = str(detail[0])
        else:
            message = str(detail)
        code = exc.default_code if isinstance(exc.default_code, str) else "error"
        return Response(error_body(code, message), status=exc.status_code)
    log.error("unexpected error in %s", context.get("view").__class__.__name__, exc_info=exc)
    return Response(error_body("server_error", PLAIN[500]), status=500)


# Django's own handlers (urls.py): JSON under /api/, HTML pages elsewhere.
def bad_request(request, exception=None):
    return error_response(request, 400, "bad_request", PLAIN[400])


def permission_denied(request, exception=None):
    return error_response(request, 403, "forbidden", PLAIN[403])


def page_not_found(request, exception=None):
    return error_response(request, 404, "not_found", PLAIN[404])


def server_error(request):
    return error_response(request, 500, "server_error", PLAIN[500])
