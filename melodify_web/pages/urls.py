from django.urls import path

from . import media_views, views

app_name = "pages"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("tracks/<str:track_id>/", views.track, name="track"),
    path("tracks/<str:track_id>/vary/", views.vary, name="vary"),
    path("tracks/<str:track_id>/vote/", views.vote, name="vote"),
    path("tracks/<str:track_id>/rename/", views.rename, name="rename"),
    path("tracks/<str:track_id>/delete/", views.delete, name="delete"),
    path("s/<str:track_id>/", views.share, name="share"),
    path("embed/<str:track_id>/", views.embed, name="embed"),
    path("oembed", views.oembed, name="oembed"),
    path("mine/", views.mine, name="mine"),
    path("video/", media_views.video, name="video"),
    path("album/", media_views.album, name="album"),
]
