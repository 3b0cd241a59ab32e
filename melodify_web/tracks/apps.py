from django.apps import AppConfig


class TracksConfig(AppConfig):
    name = "melodify_web.tracks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Engines of other packages ($MELODIFY_ENGINE_MODULES), for the site and for Celery workers
        # started by `celery -A melodify_web worker` as much as by `melodify serve|worker`.
        from melodify.engines import load_plugins

        load_plugins()
