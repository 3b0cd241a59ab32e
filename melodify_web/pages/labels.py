"""Display labels that depend on the page's language: genres, modes, the JS string catalog."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from melodify.contracts import PITCH_CLASSES
from melodify.genres import GENRES

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


# The instrument vocabulary of melodify.genres.INSTRUMENTS, for people (literal, so makemessages finds them).
INSTRUMENT_LABELS = {
    "piano": _("piano"),
    "bright piano": _("bright piano"),
    "electric piano": _("electric piano"),
    "harpsichord": _("harpsichord"),
    "celesta": _("celesta"),
    "glockenspiel": _("glockenspiel"),
    "music box": _("music box"),
    "vibraphone": _("vibraphone"),
    "marimba": _("marimba"),
    "organ": _("organ"),
    "rock organ": _("rock organ"),
    "accordion": _("accordion"),
    "harmonica": _("harmonica"),
    "nylon guitar": _("nylon guitar"),
    "acoustic guitar": _("acoustic guitar"),
    "jazz guitar": _("jazz guitar"),
    "clean electric guitar": _("clean electric guitar"),
    "muted guitar": _("muted guitar"),
    "overdriven guitar": _("overdriven guitar"),
    "distortion guitar": _("distortion guitar"),
    "acoustic bass": _("acoustic bass"),
    "electric bass": _("electric bass"),
    "picked bass": _("picked bass"),
    "fretless bass": _("fretless bass"),
    "slap bass": _("slap bass"),
    "synth bass": _("synth bass"),
    "violin": _("violin"),
    "cello": _("cello"),
    "pizzicato strings": _("pizzicato strings"),
    "harp": _("harp"),
    "timpani": _("timpani"),
    "strings": _("strings"),
    "slow strings": _("slow strings"),
    "synth strings": _("synth strings"),
    "choir": _("choir"),
    "trumpet": _("trumpet"),
    "trombone": _("trombone"),
    "french horn": _("french horn"),
    "brass": _("brass"),
    "synth brass": _("synth brass"),
    "alto sax": _("alto sax"),
    "tenor sax": _("tenor sax"),
    "clarinet": _("clarinet"),
    "flute": _("flute"),
    "pan flute": _("pan flute"),
    "square lead": _("square lead"),
    "synth lead": _("synth lead"),
    "new age pad": _("new age pad"),
    "warm pad": _("warm pad"),
    "polysynth": _("polysynth"),
    "choir pad": _("choir pad"),
    "bowed pad": _("bowed pad"),
    "halo pad": _("halo pad"),
    "sweep pad": _("sweep pad"),
    "banjo": _("banjo"),
    "fiddle": _("fiddle"),
    "steel drums": _("steel drums"),
}


def instrument_label(name: str) -> str:
    return str(INSTRUMENT_LABELS.get(name, name))


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
    }
