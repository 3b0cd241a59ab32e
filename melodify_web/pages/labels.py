"""Display labels that depend on the page's language: genres, instruments, modes, the JS string catalog."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from melodify.contracts import PITCH_CLASSES
from melodify.genres import GENRES
from melodify.instruments import INSTRUMENTS

ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/heic", "image/heif")
ACCEPTED_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".heic", ".heif")


def is_korean() -> bool:
    return (translation.get_language() or "en").startswith("ko")


def genre_label(name: str | None) -> str:
    genre = GENRES.get(name or "")
    if genre is None:   # "auto" (not chosen yet) or unknown: the page shows its own words
        return "" if name in (None, "", "auto") else name
    return genre.label_ko if is_korean() else genre.label


def genre_choices() -> list[tuple[str, str]]:
    """(name, label) for the 20 genres in the page's language, in the catalogue's order."""
    return [(name, genre_label(name)) for name in GENRES]


def genre_labels() -> dict[str, str]:
    return dict(genre_choices())


MODE_LABELS = {"major": _("major"), "minor": _("minor")}


def key_label(key: str | None, mode: str | None) -> str:
    """'A minor' / 'A 단조' for people."""
    if not key:
        return ""
    return f"{key} {MODE_LABELS.get(mode or '', mode or '')}".strip()


def instrument_label(name: str) -> str:
    """'piano' / '피아노': the English label is the name; the Korean one is in its entry."""
    instrument = INSTRUMENTS.get(name)
    return instrument.label_ko if instrument and is_korean() else name


def instrument_labels() -> dict[str, str]:
    """Every instrument's label in the page's language, for the scripts."""
    return {name: instrument_label(name) for name in INSTRUMENTS}


KEYS = PITCH_CLASSES

STAGE_ENGINE_LABELS = {"reader": _("Photo reader"), "briefer": _("Brief writer"), "composer": _("Composer")}

STAGES = (
    ("read", _("Reading your photo")),
    ("brief", _("Writing the brief")),
    ("compose", _("Composing")),
    ("master", _("Mastering")),
)


def js_strings() -> dict:
    """Every string the page scripts show, in the page's language (embedded with json_script)."""
    return {
        "play": _("Play"),
        "pause": _("Pause"),
        "replay": _("Play again from the start"),
        "seek": _("Seek"),
        "timeOf": _("%(current)s of %(total)s"),
        "percentDone": _("%(percent)s%% done"),
        "timeLeft": _("About %(seconds)s s left"),
        "almostDone": _("Almost done"),
        "queued": _("Waiting for a free composer…"),
        "stageRead": STAGES[0][1],
        "stageBrief": STAGES[1][1],
        "stageCompose": STAGES[2][1],
        "stageMaster": STAGES[3][1],
        "failedTitle": _("Sorry, this track could not be made"),
        "failedGeneric": _("Something went wrong while making your music."),
        "badType": _("“%(name)s” is not a photo Melodify can read (%(type)s). Choose a JPEG, PNG, WebP, GIF, BMP or HEIC photo."),
        "tooBig": _("“%(name)s” is %(size)s MB; photos can be at most %(max)s MB. Choose a smaller photo."),
        "emptyFile": _("“%(name)s” is empty. Choose another photo."),
        "noPhoto": _("Choose a photo first."),
        "reading": _("Reading your photo…"),
        "making": _("Starting…"),
        "network": _("Melodify could not be reached. Check your connection and try again."),
        "copied": _("Link copied"),
        "copyFailed": _("Could not copy: select the link and copy it yourself."),
        "noPreview": _("No preview for this type of photo in your browser, but Melodify can read it."),
        "major": MODE_LABELS["major"],
        "minor": MODE_LABELS["minor"],
        "bpm": _("BPM"),
        "listen": _("Listen"),
        "noPhotoUrl": _("Paste or type the address of a photo first."),
        "mute": _("Mute"),
        "unmute": _("Unmute"),
        "makingTitle": _("Making your music"),
        "readyTitle": _("Your track is ready"),
        "notifyOn": _("Melodify will tell you when it is ready."),
        "notifyOff": _("No notification: this page's title shows the progress."),
    }
