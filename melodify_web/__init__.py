"""Melodify's web app: a thin Django shell around the `melodify` engine."""

from .celery import app as celery_app

__all__ = ["celery_app"]
