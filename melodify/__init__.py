"""Melodify: a photo becomes original music. The engine; it never imports Django."""

__version__ = "0.1.0"
