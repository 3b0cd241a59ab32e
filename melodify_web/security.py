"""A Content-Security-Policy on every response: scripts only from this site or with the page's nonce,
no plugins, no framing, forms only to this site. Photos and audio may come from the bucket when files
live in Google Cloud Storage or S3 (the pages' URLs redirect there)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def media_origins() -> list[str]:
    """Where photos and audio are served from besides this site (signed bucket URLs)."""
    if settings.MELODIFY_STORAGE == "gcs":
        return ["https://storage.googleapis.com"]
    if settings.MELODIFY_STORAGE == "s3":
        return [settings.AWS_S3_ENDPOINT_URL or "https://*.amazonaws.com"]
    return []


def script_origins() -> list[str]:
    """Scripts from elsewhere: Kakao's SDK, where KakaoTalk sharing is set up."""
    if not settings.MELODIFY_KAKAO_APP_KEY:
        return []
    parts = urlsplit(settings.MELODIFY_KAKAO_SDK_URL)
    return [f"{parts.scheme}://{parts.netloc}"]


def policy(nonce: str, *, framed: bool = False) -> str:
    media = " ".join(["'self'", *media_origins()])
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", f"'nonce-{nonce}'", *script_origins()]),
        "style-src 'self' 'unsafe-inline'",   # style="" attributes; no script runs from them
        f"img-src {media} data: blob:",        # blob: the upload page's preview of the chosen photo
        f"media-src {media} blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors *" if framed else "frame-ancestors 'none'",   # framed: the embeddable player
    ])


class ContentSecurityPolicyMiddleware:
    """request.csp_nonce for the pages' inline scripts (`<script nonce="{{ request.csp_nonce }}">`)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        framed = getattr(response, "xframe_options_exempt", False)   # @xframe_options_exempt views
        response.setdefault("Content-Security-Policy", policy(request.csp_nonce, framed=framed))
        return response
