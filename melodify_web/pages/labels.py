"""Display labels that depend on the page's language: genres, instruments, modes, the JS string catalog."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from melodify.contracts import PITCH_CLASSES
from melodify.genres import GENRES
from melodify.instruments import INSTRUMENTS

ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/heic", "image/heif",
                  "image/avif")
ACCEPTED_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".heic", ".heif", ".avif")


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


# The server's refusals and failures for people, by error code, on pages in another language than the
# API's English (`message`, which quotes the bad value, stays what English pages show).
IMAGE_REFUSED = _("This file is not a photo Melodify can read. Choose a JPEG, PNG, WebP, GIF, BMP or HEIC photo.")
GENERIC_FAILURE = _("Something went wrong while making your music. Please try another photo, or try again later.")
BUSY = _("Melodify is busy right now. Please try again in a minute.")
ERROR_TEXTS = {
    "not_an_image": IMAGE_REFUSED, "invalid_image": IMAGE_REFUSED, "invalid_format": IMAGE_REFUSED,
    "empty_file": _("This file is empty. Choose another photo."),
    "truncated_image": _("This photo is damaged or cut short. Choose the complete photo again."),
    "image_too_large": _("This photo has too many pixels for Melodify. Choose a smaller photo."),
    "image_too_small": _("This photo is too small. Choose a larger photo."),
    "upload_too_large": _("This photo is too large to upload. Choose a smaller photo."),
    "missing_image": _("Choose a photo first."),
    "invalid_edit": _("A value on the brief card cannot be used: check the marked field."),
    "invalid_duration": _("Choose a length from 5 to 60 seconds."),
    "unknown_genre": _("That genre is unknown: choose one from the list."),
    "engine_unavailable": _("That engine is not available on this server: choose another in the options."),
    "not_configured": _("Melodify is not fully set up on this server. Please try again later."),
    "transient": BUSY, "rate_limited": BUSY, "service_timeout": BUSY,
    "failed": GENERIC_FAILURE,
    # back-pressure (429) and the job queue down (503): nothing was made, send it again later
    "queue_full": _("Many tracks are waiting to be made just now. Please try again in a little while."),
    "too_many_uploads": _("You sent many photos in the last minute. Please wait a moment and try again."),
    "queue_unavailable": _("Melodify cannot take new tracks just now, so nothing was made. Please send it "
                           "again in a little while."),
    "invalid_title": _("Titles can be at most 80 letters long: shorten it and save again."),
    "forbidden": _("Only the browser that made this track can change it."),
    "invalid_photo_url": _("Melodify could not fetch a photo from this address: use the address of a photo on the public web, or download it and choose the file."),
    "invalid_seed": _("The seed must be a whole number from 0 to 4294967295, or empty for a new take."),
    # videos and albums
    "not_a_video": _("This file is not a video Melodify can read. Choose an MP4, MOV, WebM or MKV video."),
    "corrupt_video": _("This video is damaged or cut short. Choose the complete video again."),
    "audio_only": _("This file has sound but no picture. Choose a video."),
    "video_too_large": _("This video is too large. Choose a smaller or shorter video."),
    "video_too_long": _("This video is too long. Trim it and choose it again."),
    "video_too_short": _("This video is too short. Choose a video of at least a second."),
    "frame_too_large": _("This video's picture is larger than 4K. Choose a smaller video."),
    "too_many_streams": _("This file holds too many streams to be a video. Choose another video."),
    "album_size": _("An album takes 2 to 30 photos. Choose another number of photos."),
    "invalid_size": _("Choose a slideshow size from the list."),
}


def error_text(code: str | None, message: str) -> str:
    """An error for a page: the server's own words on English pages, the code's words on others."""
    if not is_korean():
        return message[:1].upper() + message[1:]
    return str(ERROR_TEXTS.get(code or "", GENERIC_FAILURE))


# Who made a track, in words for people (the engines' names are for programs).
ENGINE_NAMES = {"openai": "OpenAI", "gemini": "Google Gemini", "blip": "BLIP (Salesforce)",
                "vlm": _("a vision-language model"), "local": _("a local language model"),
                "musicgen": "MusicGen (Meta AI)"}
MADE_ALONE = _("Made by Melodify on its own: it measured the photo’s colours and light, wrote the brief by its "
               "rules and composed every note.")
MADE_BY = _("Photo read by %(reader)s, brief written by %(briefer)s, music composed by %(composer)s.")
SOUNDS = _("The instruments’ sounds: %(work)s.")
# The engine names a SoundFont in English ("the FluidR3_GM SoundFont by Frank Wen"): said in the page's words.
SOUNDFONT = re.compile(r"^the (?P<name>.+) SoundFont by (?P<maker>.+)$")
SOUNDFONT_BY = _("the %(name)s SoundFont by %(maker)s")
MAY_USE = {True: _("You may use this music as you like, including commercially."),
           False: _("You may use this music for non-commercial purposes only."),
           None: _("Check the licences before using this music commercially.")}
LICENCES = _("Licences: %(names)s")


def maker_name(stage: str, engines: dict, credits: list[dict]) -> str:
    """'Melodify', 'OpenAI (gpt-4o-mini)': who did a stage."""
    name = engines.get(stage) or "embedded"
    if name == "embedded":
        return "Melodify"
    model = next((c.get("model") for c in credits if c.get("stage") == stage and c.get("model")), None)
    who = str(ENGINE_NAMES.get(name, name))
    return f"{who} ({model.rsplit('/', 1)[-1]})" if model else who


def may_use(credits: list[dict]) -> bool | None:
    """May the track be used commercially: the most restrictive credit (melodify.engines.commercial_use)."""
    flags = [c.get("commercial_use") for c in credits]
    return False if False in flags else None if None in flags or not flags else True


def made_with(engines: dict, credits: list[dict]) -> dict:
    """What made a track, whose sounds it uses and what a person may do with it (track.js says the same)."""
    stages = ("reader", "briefer", "composer")
    if all((engines.get(stage) or "embedded") == "embedded" for stage in stages):
        made = str(MADE_ALONE)
    else:
        made = MADE_BY % {stage: maker_name(stage, engines, credits) for stage in stages}
    # The embedded composer plays its notes on a SoundFont: its credit is whose sounds they are.
    sound = next((c["work"] for c in credits if c.get("stage") == "composer" and c.get("engine") == "embedded"), "")
    names = ", ".join(dict.fromkeys(c.get("licence", "") for c in credits if c.get("licence")))
    named = SOUNDFONT.match(sound)
    sound = SOUNDFONT_BY % named.groupdict() if named else sound
    return {"made": made, "sounds": SOUNDS % {"work": sound} if sound else "", "use": str(MAY_USE[may_use(credits)]),
            "licences": LICENCES % {"names": names} if names else ""}


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
        "composerStarting": _("Getting the composer ready…"),
        "queuedPlace": _("Number %(position)s in the queue · about %(seconds)s s to wait"),
        "stageRead": STAGES[0][1],
        "stageBrief": STAGES[1][1],
        "stageCompose": STAGES[2][1],
        "stageMaster": STAGES[3][1],
        "failedTitle": _("Sorry, this track could not be made"),
        "ready": _("Your track is ready"),
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
        "badTempo": _("Tempo: “%(value)s” cannot be used; give a whole number from %(min)s to %(max)s."),
        "moodEmpty": _("Mood: give at least one word."),
        "moodTooMany": _("Mood: %(count)s words is too many; give 1 to %(max)s words, separated by commas."),
        "moodTooLong": _("Mood: “%(word)s” is %(length)s letters long; use words of up to %(max)s letters."),
        "badField": _("This value cannot be used here."),
        "seconds": _("%(seconds)s seconds"),
        "madeAlone": MADE_ALONE,
        "madeBy": MADE_BY,
        "sounds": SOUNDS,
        "soundFontBy": SOUNDFONT_BY,
        "mayUse": MAY_USE[True], "mayUseNonCommercial": MAY_USE[False], "mayUseCheck": MAY_USE[None],
        "licences": LICENCES,
        "engineNames": {name: str(label) for name, label in ENGINE_NAMES.items()},
        "errors": {code: str(text) for code, text in ERROR_TEXTS.items()},
    }
