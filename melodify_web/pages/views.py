"""Page views: short, they only call CORE's services/selectors and render templates.

The track JSON (the same the API returns) is embedded in each track page, so the scripts start
from the server's state and the no-JS page shows the same thing.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from melodify.contracts import DEFAULT_DURATION, MAX_DURATION, MAX_MOOD_WORD, MAX_TEMPO, MIN_DURATION, MIN_TEMPO
from melodify.engines import STAGES, get_spec
from melodify.errors import MelodifyError
from melodify.instruments import INSTRUMENTS, ROLES
from melodify.request import EDITABLE, MAX_MOOD_WORDS, Request
from melodify_web.tracks import selectors, services
from melodify_web.tracks.errors import NotYours, TrackNotFound, UploadTooLarge
from melodify_web.tracks.http_errors import error_response, retry_after
from melodify_web.tracks.serializers import TrackCreateSerializer, track_json

from . import labels


def owner_of(request: HttpRequest) -> str:
    """The browser's anonymous owner token (set by CORE's owner middleware)."""
    return getattr(request, "owner", "") or request.COOKIES.get("melodify_owner", "")


def max_upload_mb() -> int:
    return int(getattr(settings, "MELODIFY_MAX_UPLOAD_MB", 64))


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
        services.check_known_fields(set(request.POST) | set(request.FILES), FORM_FIELDS)
        services.check_upload_size(photo.size)
        track = services.track_create(owner=owner_of(request), image=photo.read(), request=_form_request(request))
    except UploadTooLarge as exc:
        return render(request, "pages/upload.html", {**context, "error": exc.in_page_language()}, status=413)
    except MelodifyError as exc:
        response = render(request, "pages/upload.html",
                          {**context, "error": labels.error_text(exc.code, exc.message)}, status=exc.http_status)
        for header, value in retry_after(exc).items():
            response[header] = value
        return response
    return redirect("pages:track", track_id=track.id)


FORM_FIELDS = {*TrackCreateSerializer().fields, "csrfmiddlewaretoken"}   # the API's, and the form's token


def _form_request(request: HttpRequest) -> Request:
    """The engine's Request from the no-JS form's fields."""
    def value(name: str) -> str | None:
        return services.check_field(name, request.POST.get(name))

    return services.request_from(genre=value("genre"), duration=value("duration"), seed=value("seed"),
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


def title_words(data: dict) -> str:
    """The track's title in the page's language (a person's own title is the same in both)."""
    return (data.get("title_ko") if labels.is_korean() else data.get("title")) or ""


def _takes(request: HttpRequest, track) -> list[dict]:
    """The takes of this photo, to compare side by side (none when this is the only one)."""
    takes = selectors.track_takes(track)
    if len(takes) < 2:
        return []
    rows = []
    for take in takes:
        data = track_json(take, request)
        brief = data.get("brief") or {}
        rows.append({"data": data, "title": title_words(data), "current": take.id == track.id,
                     "genre_label": labels.genre_label(data.get("genre")), "tempo": brief.get("tempo"),
                     "key_label": labels.key_label(brief.get("key"), brief.get("mode"))})
    return rows


def instrument_choices(brief: dict) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(role, label, chosen, [(name, label)]) for each instrument of the brief, for the remake form."""
    role_labels = {"lead": _("Lead"), "chords": _("Chords"), "bass": _("Bass"), "pad": _("Pad")}
    rows = []
    for role, chosen in zip(ROLES, brief.get("instruments") or []):
        names = [name for name, spec in INSTRUMENTS.items() if role in spec.roles]
        if chosen not in names:
            names.insert(0, chosen)
        rows.append((role, role_labels[role], chosen, [(n, labels.instrument_label(n)) for n in names]))
    return rows


def _track_context(request: HttpRequest, track) -> dict:
    data = track_json(track, request)
    brief = data.get("brief") or {}
    return {
        "title": title_words(data),
        "is_owner": bool(owner_of(request)) and track.owner == owner_of(request),
        "kakao_key": settings.MELODIFY_KAKAO_APP_KEY,
        "kakao_sdk": settings.MELODIFY_KAKAO_SDK_URL,
        "takes": _takes(request, track),
        "instrument_choices": instrument_choices(brief),
        "keys": labels.KEYS,
        "min_duration": int(MIN_DURATION),
        "max_duration": int(MAX_DURATION),
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
    """The making page while the job runs, the result page once done (the script swaps them). Its
    controls are the owner's: anyone else holding the link is sent to the share page."""
    found = _track_or_404(track_id)
    if found.owner != owner_of(request):
        return redirect("pages:share", track_id=found.id)
    return render(request, "pages/track.html", _track_context(request, found))


def share(request: HttpRequest, track_id: str) -> HttpResponse:
    """The track by its unguessable link, with Open Graph / Twitter card tags for link previews."""
    context = _track_context(request, _track_or_404(track_id))
    if context["title"] and context["genre_label"]:
        title = _("%(title)s · %(genre)s, made from a photo — Melodify") % {
            "title": context["title"], "genre": context["genre_label"]}
    elif context["genre_label"]:
        title = _("%(genre)s track from a photo — Melodify") % {"genre": context["genre_label"]}
    else:   # the briefer has not chosen the genre yet
        title = _("Music made from a photo — Melodify")
    return render(request, "pages/share.html", {**context, "og_title": title, "photo_size": photo_size(context["track"]),
                                                "embed": EMBED})


EMBED = {"width": 480, "height": 160}   # the embedded player's size (twitter:player, oEmbed)


def photo_size(track) -> tuple[int, int] | None:
    """The stored photo's width and height (og:image:width/height), from its header alone."""
    if not track.photo:
        return None
    from PIL import Image

    try:
        with track.photo.open("rb") as f, Image.open(f) as image:
            return image.size
    except (OSError, ValueError):
        return None


@xframe_options_exempt   # made to be framed: by messengers' link cards and by other sites (oEmbed)
def embed(request: HttpRequest, track_id: str) -> HttpResponse:
    """A small player of the track (photo, title, play), for an iframe."""
    context = _track_context(request, _track_or_404(track_id))
    return render(request, "pages/embed.html", context)


def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed (https://oembed.com) for share and track links: a rich iframe of the embedded player."""
    url = request.GET.get("url", "")
    parts = urlsplit(url)
    match = [p for p in parts.path.split("/") if p]
    if len(match) != 2 or match[0] not in ("s", "tracks", "embed") or (parts.netloc and parts.netloc != request.get_host()):
        return error_response(request, 404, "not_found", _("Send the address of a Melodify track as `url`."))
    if request.GET.get("format", "json") != "json":
        return error_response(request, 501, "not_implemented", _("Only format=json is served."))
    track = _track_or_404(match[1])
    context = _track_context(request, track)
    width = _bounded(request.GET.get("maxwidth"), EMBED["width"])
    height = _bounded(request.GET.get("maxheight"), EMBED["height"])
    src = request.build_absolute_uri(f"/embed/{track.id}/")
    size = photo_size(track)
    body = {"version": "1.0", "type": "rich", "provider_name": "Melodify",
            "provider_url": request.build_absolute_uri("/"), "title": context["title"] or context["genre_label"],
            "author_name": "Melodify", "width": width, "height": height,
            "html": f'<iframe src="{src}" width="{width}" height="{height}" frameborder="0" '
                    f'allow="autoplay; encrypted-media" title="Melodify"></iframe>'}
    if context["absolute"].get("photo"):
        body["thumbnail_url"] = context["absolute"]["photo"]
        if size:
            body["thumbnail_width"], body["thumbnail_height"] = size
    return JsonResponse(body)


def _bounded(value: str | None, default: int) -> int:
    """oEmbed's maxwidth/maxheight: the embed's own size, smaller if asked (never under 120 px)."""
    try:
        return max(120, min(default, int(value))) if value else default
    except ValueError:
        return default


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


def error_page(request: HttpRequest, exc: MelodifyError) -> HttpResponse:
    """A button's refusal as a page, in the page's language."""
    return render(request, "pages/error.html", {"message": labels.error_text(exc.code, exc.message)},
                  status=exc.http_status)


def owner_action(view):
    """The no-JS buttons' views act on the caller's own track: a stranger holding the link gets a 403
    page; any refusal is shown on the error page."""
    @post_only
    @wraps(view)
    def wrapper(request: HttpRequest, track_id: str) -> HttpResponse:
        try:
            mine = selectors.track_get_owned(track_id, owner=owner_of(request), to="change it")
            return view(request, mine)
        except TrackNotFound as exc:
            raise Http404(exc.message) from None
        except NotYours:
            message = _("Only the browser that made this track can change it. This link can only play it.")
            return render(request, "pages/error.html", {"message": message}, status=403)
        except MelodifyError as exc:
            return error_page(request, exc)
    return wrapper


def _field(request: HttpRequest, name: str) -> str | None:
    return services.check_field(name, request.POST.get(name))


@owner_action
def vary(request: HttpRequest, track) -> HttpResponse:
    """'Another version' / 'another genre' / 'make again' with the brief changed, without JavaScript
    (the script uses the API)."""
    instruments = [value for value in request.POST.getlist("instrument") if value]
    edits = {name: _field(request, name) for name in EDITABLE if name != "instruments"}
    edits["instruments"] = ", ".join(instruments) or _field(request, "instruments")
    new = services.track_vary(track=track, owner=owner_of(request), genre=_field(request, "genre"),
                              edits=edits, seed=_field(request, "seed"), duration=_field(request, "duration"))
    return redirect("pages:track", track_id=new.id)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was on (only our own paths), else `fallback`."""
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


@owner_action
def rename(request: HttpRequest, track) -> HttpResponse:
    """A person's own title, without JavaScript (the script uses PATCH /api/v1/tracks/<id>)."""
    services.track_rename(track=track, owner=owner_of(request), title=request.POST.get("title", ""))
    return _back(request, f"/tracks/{track.id}/")


@owner_action
def vote(request: HttpRequest, track) -> HttpResponse:
    """Thumbs up / down without JavaScript."""
    services.track_vote(track=track, vote=request.POST.get("vote", "none"))
    return redirect("pages:track", track_id=track.id)


@owner_action
def delete(request: HttpRequest, track) -> HttpResponse:
    """The track page's Delete button: the track and its files go, then My tracks."""
    services.track_delete(track=track, owner=owner_of(request))
    return redirect("pages:mine")


def mine(request: HttpRequest) -> HttpResponse:
    """What this browser made, newest first; `q` searches genre, mood and title."""
    query = (request.GET.get("q") or "").strip()[:services.MAX_FIELD_CHARS]
    rows = []
    for item in selectors.track_search(owner=owner_of(request), query=query):
        data = track_json(item, request)
        rows.append({"track": item, "data": data, "genre_label": labels.genre_label(data.get("genre")),
                     "title": title_words(data), "words": brief_words(data),
                     "caption": caption_words(data.get("reading"))})
    return render(request, "pages/mine.html", {"rows": rows, "query": query})
