from django.apps import AppConfig


class TracksConfig(AppConfig):
    name = "melodify_web.tracks"
    default_auto_field = "django.db.models.BigAutoField"
