from django.urls import path

from . import api, api_media

urlpatterns = [
    path("tracks", api.TrackListCreate.as_view(), name="api-tracks"),
    path("tracks/<str:track_id>", api.TrackDetail.as_view(), name="api-track"),
    path("tracks/<str:track_id>/variations", api.TrackVariations.as_view(), name="api-track-variations"),
    path("tracks/<str:track_id>/feedback", api.TrackFeedback.as_view(), name="api-track-feedback"),
    path("previews", api.Preview.as_view(), name="api-previews"),
    path("photos/by-url", api.PhotoByUrl.as_view(), name="api-photo-by-url"),
    path("previews/brief", api.PreviewBrief.as_view(), name="api-preview-brief"),
    path("videos", api_media.VideoCreate.as_view(), name="api-videos"),
    path("albums", api_media.AlbumCreate.as_view(), name="api-albums"),
    path("genres", api.GenreList.as_view(), name="api-genres"),
    path("engines", api.EngineList.as_view(), name="api-engines"),
]
