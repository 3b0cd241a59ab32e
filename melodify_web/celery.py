"""The Celery app for scale-out mode (REDIS_URL set): `celery -A melodify_web worker` or `melodify worker`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "melodify_web.settings")

app = Celery("melodify_web")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["melodify_web.tracks"])
