"""Page views: short, they only call CORE's services/selectors and render templates.

The track JSON (the same the API returns) is embedded in each track page, so the scripts start
from the server's state and the no-JS page shows the same thing.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from melodify.contracts import DEFAULT_DURATION, MAX_DURATION, MAX_MOOD_WORD, MAX_TEMPO, MIN_DURATION, MIN_TEMPO
from melodify.engines import STAGES, get_spec
from melodify.errors import MelodifyError
from melodify.request import EDITABLE, MAX_MOOD_WORDS, Request
from melodify_web.tracks import selectors, services
from melodify_web.tracks.errors import TrackNotFound, UploadTooLarge
from melodify_web.tracks.http_errors import error_response
from melodify_web.tracks.serializers import track_json

from . import labels


def owner_of(request: HttpRequest) -> str:
    """The browser's anonymous owner token (set by CORE's owner middleware)."""
    return getattr(request, "owner", "") or request.COOKIES.get("melodify_owner", "")


def max_upload_mb() -> int:
    return int(getattr(settings, "MELODIFY_MAX_UPLOAD_MB", 25))


def engine_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(stage, label, [(engine, summary)]) for each stage where this server offers a choice."""
    return [(stage, labels.STAGE_ENGINE_LABELS[stage], [(name, get_spec(stage, name).summary) for name in names])
            for stage, names in services.engine_options().items() if len(names) > 1]


def _upload_context(**extra) -> dict:
    return {
        "engine_choices": engine_choices(),
        "genres": labels.genre_choices(),
        "keys": labels.KEYS,
        "min_duration": int(MIN_DURATION),
        "max_duration": int(MAX_DURATION),
        "duration": int(DEFAULT_DURATION),
        "min_tempo": MIN_TEMPO, "max_tempo": MAX_TEMPO, "max_mood_words": MAX_MOOD_WORDS, "max_mood_word": MAX_MOOD_WORD,
        "genre": "auto",
        "max_upload_mb": max_upload_mb(),
        "accept": ",".join(labels.ACCEPTED_TYPES + labels.ACCEPTED_EXTENSIONS),
        "accepted_types": labels.ACCEPTED_TYPES,
        "accepted_extensions": labels.ACCEPTED_EXTENSIONS,
        **extra,
    }


def upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload page. POST (the no-JS form): make a track, or show why the photo was refused."""
    if request.method != "POST":
        return render(request, "pages/upload.html", _upload_context())
    genre = request.POST.get("genre") or "auto"
    duration = request.POST.get("duration") or DEFAULT_DURATION
    context = _upload_context(genre=genre, duration=duration)
    photo = request.FILES.get("image")
    if photo is None:
        return render(request, "pages/upload.html", {**context, "error": _("Choose a photo first.")}, status=400)
    try:
        services.check_upload_size(photo.size)
        track = services.track_create(owner=owner_of(request), image=photo.read(), request=_form_request(request))
    except UploadTooLarge as exc:
        return render(request, "pages/upload.html", {**context, "error": exc.in_page_language()}, status=413)
    except MelodifyError as exc:
        return render(request, "pages/upload.html", {**context, "error": labels.error_text(exc.code, exc.message)},
                      status=exc.http_status)
    return redirect("pages:track", track_id=track.id)


def _form_request(request: HttpRequest) -> Request:
    """The engine's Request from the no-JS form's fields."""
    def value(name: str) -> str | None:
        return services.check_field(name, request.POST.get(name))

    return services.request_from(genre=value("genre"), duration=value("duration"),
                                 edits={name: value(name) for name in EDITABLE},
                                 engines={stage: value(stage) for stage in STAGES})


def _track_or_404(track_id: str):
    try:
        return selectors.track_get(track_id)
    except TrackNotFound as exc:
        raise Http404(exc.message) from None


def brief_words(data: dict) -> dict:
    """The mood and description in the page's language: Korean pages show brief_ko when there is one.
    `lang` marks the text's own language (the engine writes English first)."""
    brief, korean = data.get("brief") or {}, data.get("brief_ko")
    if translation.get_language() == "ko" and korean:
        return {"mood": ", ".join(korean["mood"]), "description": korean["description"], "lang": "ko"}
    return {"mood": ", ".join(brief.get("mood") or []), "description": brief.get("description", ""), "lang": "en"}


def caption_words(reading: dict | None) -> dict:
    """The photo's caption in the page's language: Korean pages show the reader's Korean caption where it
    wrote one. `lang` marks the text's own language."""
    reading = reading or {}
    if translation.get_language() == "ko" and reading.get("caption_ko"):
        return {"text": reading["caption_ko"], "lang": "ko"}
    return {"text": reading.get("caption", ""), "lang": "en"}


def _track_context(request: HttpRequest, track) -> dict:
    data = track_json(track, request)
    brief = data.get("brief") or {}
    return {
        "caption": caption_words(data.get("reading") or {}),
        "words": brief_words(data),
        "track": track,
        "data": data,
        "brief": brief,
        "reading": data.get("reading") or {},
        "genre_label": labels.genre_label(brief.get("genre") or data.get("genre")),
        "error_text": labels.error_text(data["error"]["code"], data["error"]["message"]) if data["error"] else "",
        "key_label": labels.key_label(brief.get("key"), brief.get("mode")),
        "genres": labels.genre_choices(),
        "genre_labels": labels.genre_labels(),
        "stages": _stage_states(data),
        "about": labels.made_with(data["engine"], data["credits"]),
        "share_url": request.build_absolute_uri(data["urls"]["share"]) if data["urls"].get("share") else "",
        "absolute": {k: request.build_absolute_uri(v) for k, v in data["urls"].items() if v},
    }


def _stage_states(data: dict) -> list[tuple[str, str, str]]:
    """(name, label, "done"|"active"|"") per stage, so the page is right before any script runs."""
    names = [name for name, _ in labels.STAGES]
    current = names.index(data["stage"]) if data.get("stage") in names else -1
    states = []
    for index, (name, label) in enumerate(labels.STAGES):
        done = data["status"] == "done" or index < current
        active = data["status"] == "running" and index == current
        states.append((name, label, "done" if done else "active" if active else ""))
    return states


def track(request: HttpRequest, track_id: str) -> HttpResponse:
    """The making page while the job runs, the result page once done (the script swaps them)."""
    return render(request, "pages/track.html", _track_context(request, _track_or_404(track_id)))


def share(request: HttpRequest, track_id: str) -> HttpResponse:
    """The track by its unguessable link, with Open Graph / Twitter card tags for link previews."""
    context = _track_context(request, _track_or_404(track_id))
    if context["genre_label"]:
        title = _("%(genre)s track from a photo — Melodify") % {"genre": context["genre_label"]}
    else:   # the briefer has not chosen the genre yet
        title = _("Music made from a photo — Melodify")
    return render(request, "pages/share.html", {**context, "og_title": title})


def post_only(view):
    """The no-JS buttons' views: a GET (a bookmarked or typed address) goes to the track page instead."""
    @wraps(view)
    def wrapper(request: HttpRequest, track_id: str) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            return redirect("pages:track", track_id=_track_or_404(track_id).id)
        if request.method != "POST":
            response = error_response(request, 405, "method_not_allowed",
                                      _("This address only takes the buttons on the track page."))
            response["Allow"] = "GET, POST"
            return response
        return view(request, track_id)
    return wrapper


@post_only
def vary(request: HttpRequest, track_id: str) -> HttpResponse:
    """'Another version' / 'another genre' without JavaScript (the script uses the API)."""
    try:
        genre = services.check_field("genre", request.POST.get("genre"))
        new = services.track_vary(track=_track_or_404(track_id), owner=owner_of(request), genre=genre)
    except MelodifyError as exc:
        return render(request, "pages/error.html", {"message": labels.error_text(exc.code, exc.message)},
                      status=exc.http_status)
    return redirect("pages:track", track_id=new.id)


@post_only
def vote(request: HttpRequest, track_id: str) -> HttpResponse:
    """Thumbs up / down without JavaScript."""
    track = _track_or_404(track_id)
    try:
        services.track_vote(track=track, vote=request.POST.get("vote", "none"))
    except MelodifyError as exc:
        return render(request, "pages/error.html", {"message": labels.error_text(exc.code, exc.message)},
                      status=exc.http_status)
    return redirect("pages:track", track_id=track.id)


def mine(request: HttpRequest) -> HttpResponse:
    """What this browser made, newest first."""
    rows = []
    for item in selectors.track_list(owner=owner_of(request)):
        data = track_json(item, request)
        rows.append({"track": item, "data": data, "genre_label": labels.genre_label(data.get("genre")),
                     "caption": caption_words(data.get("reading"))})
    return render(request, "pages/mine.html", {"rows": rows})
