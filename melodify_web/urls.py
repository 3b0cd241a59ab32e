from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from melodify_web import health
from melodify_web.tracks import media, media_video

urlpatterns = [
    path("api/v1/", include("melodify_web.tracks.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="pages/api_docs.html"),
         name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("tracks/<str:track_id>/audio", media.audio, name="track-audio"),
    path("tracks/<str:track_id>/preview/<int:n>", media.preview, name="track-preview"),
    path("tracks/<str:track_id>/photo.jpg", media.photo, name="track-photo"),
    path("tracks/<str:track_id>/download/<str:fmt>", media.download, name="track-download"),
    path("tracks/<str:track_id>/video", media_video.video, name="track-video"),
    path("tracks/<str:track_id>/share/<str:size>.mp4", media_video.share_video, name="track-share-video"),
    path("", include("melodify_web.pages.urls")),
]
if settings.MELODIFY_STORAGE == "local":
    urlpatterns.insert(0, path(settings.MEDIA_URL.lstrip("/") + "<path:path>", media.media, name="media"))

handler400 = "melodify_web.tracks.http_errors.bad_request"
handler403 = "melodify_web.tracks.http_errors.permission_denied"
handler404 = "melodify_web.tracks.http_errors.page_not_found"
handler500 = "melodify_web.tracks.http_errors.server_error"
