from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "melodify_web.pages"
    label = "pages"
    verbose_name = "Melodify pages"
