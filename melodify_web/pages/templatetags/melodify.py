"""Template helpers: the JS string catalog and language-aware labels."""

from django import template
from django.utils.html import json_script

from .. import labels

register = template.Library()


@register.simple_tag
def js_catalog() -> str:
    """The scripts' strings in the page's language, as <script type="application/json">."""
    return json_script({"strings": labels.js_strings(), "genres": labels.genre_labels(),
                        "instruments": labels.instrument_labels()}, "melodify-i18n")


@register.filter
def genre_label(name: str) -> str:
    return labels.genre_label(name)


@register.filter
def instrument_labels(names) -> str:
    """'piano, strings' / '피아노, 현악 합주'."""
    return ", ".join(labels.instrument_label(name) for name in names or [])


@register.filter
def mmss(seconds) -> str:
    try:
        total = int(round(float(seconds)))
    except (TypeError, ValueError):
        return "0:00"
    return f"{total // 60}:{total % 60:02d}"
