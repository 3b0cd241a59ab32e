"""The pages, through Django's test client: each renders in English and Korean, the share page carries
link-preview tags with absolute URLs, the upload form works without JavaScript, and 'my tracks' is
per browser."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from melodify.genres import GENRES
from melodify_web.pages.labels import instrument_label
from melodify_web.tracks.models import Track

from .badfiles import BAD_FILES, bad_file
from .conftest import OTHER_OWNER, OWNER, stored_files
from .helpers import create_track, render

pytestmark = pytest.mark.django_db

# A few words each language must show on each page (and the other must not).
UPLOAD_WORDS = {"en": ["Choose a photo", "Make my music", "Options"], "ko": ["사진 고르기", "내 음악 만들기", "옵션"]}
MAKING_WORDS = {"en": ["Reading your photo", "Writing the brief", "Composing", "Mastering"],
                "ko": ["사진을 읽는 중", "음악 설명을 쓰는 중", "작곡하는 중", "마스터링하는 중"]}
RESULT_WORDS = {"en": ["Another version", "Another genre", "Copy share link", "Download"],
                "ko": ["다른 버전", "다른 장르", "공유 링크 복사", "다운로드"]}
OTHER = {"en": "ko", "ko": "en"}


def browser(lang: str = "en", owner: str = OWNER) -> Client:
    """A browser with its owner cookie and language."""
    client = Client(headers={"Accept-Language": lang})
    client.cookies["melodify_owner"] = owner
    return client


def page_text(response) -> str:
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return html.unescape(response.content.decode())


def assert_language(text: str, lang: str, words: dict[str, list[str]]) -> None:
    assert f'<html lang="{lang}"' in text
    for word in words[lang]:
        assert word in text, f"{word!r} missing from the {lang} page"
    for word in words[OTHER[lang]]:
        assert word not in text, f"{word!r} (other language) on the {lang} page"


class MetaTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.tags[a.get("property") or a.get("name")] = a.get("content", "")


def meta_tags(text: str) -> dict[str, str]:
    parser = MetaTags()
    parser.feed(text)
    return parser.tags


def js_catalog(text: str) -> dict:
    match = re.search(r'<script id="melodify-i18n" type="application/json">(.*?)</script>', text, re.S)
    assert match, "the page has no string catalog for its scripts"
    return json.loads(match.group(1))


# ---- each page in each language -------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ko"])
def test_upload_page_speaks_the_browsers_language(lang):
    text = page_text(browser(lang).get("/"))
    assert_language(text, lang, UPLOAD_WORDS)
    assert 'type="file"' in text and 'name="image"' in text and 'enctype="multipart/form-data"' in text
    assert "image/heic" in text, "the picker should accept HEIC photos"
    labels = [GENRES[name].label_ko if lang == "ko" else GENRES[name].label for name in GENRES]
    assert all(f">{label}</option>" in text for label in labels), "all 20 genres, labelled in the page's language"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_making_page_shows_the_four_stages_and_a_progress_bar(api, photo, lang):
    track = create_track(api, photo)   # queued: no worker runs in these tests
    text = page_text(browser(lang).get(f"/tracks/{track['id']}/"))
    assert_language(text, lang, MAKING_WORDS)
    assert 'role="progressbar"' in text and 'aria-valuenow="0"' in text
    assert '<meta http-equiv="refresh"' in text, "without JS the making page refreshes itself"
    state = json.loads(re.search(r'<script id="track-data" type="application/json">(.*?)</script>', text, re.S).group(1))
    assert state["id"] == track["id"] and state["status"] == "queued"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_result_page_shows_player_downloads_and_brief_in_the_language(done_track, lang):
    text = page_text(browser(lang).get(f"/tracks/{done_track['id']}/"))
    assert_language(text, lang, RESULT_WORDS)
    brief = done_track["brief"]
    genre = GENRES[brief["genre"]]
    assert (genre.label_ko if lang == "ko" else genre.label) in text
    mode = {"en": {"major": "major", "minor": "minor"}, "ko": {"major": "장조", "minor": "단조"}}[lang][brief["mode"]]
    assert f"{brief['key']} {mode}" in text
    words = done_track["brief_ko"] if lang == "ko" else brief
    assert f'<p class="brief-description" data-bind="description" lang="{lang}">{words["description"]}</p>' in text
    assert f'<dd data-bind="mood" lang="{lang}">{", ".join(words["mood"])}</dd>' in text
    reading = done_track["reading"]
    caption = reading["caption_ko"] if lang == "ko" else reading["caption"]
    assert f'data-bind="caption" lang="{lang}">{caption}</figcaption>' in text
    if lang == "ko":
        shown = re.sub(r'<script id="track-data".*?</script>', "", text, flags=re.S)   # the state holds both
        assert brief["description"] not in shown, "a Korean page shows the Korean brief, not the English one"
        assert reading["caption"] not in shown, "a Korean page shows the Korean caption, not the English one"
    with translation.override(lang):
        instruments = ", ".join(instrument_label(name) for name in brief["instruments"])
    assert instruments in text, "the instruments, named in the page's language"
    assert 'role="slider"' in text and "<audio" in text
    for fmt in ("mp3", "wav", "midi"):
        assert f'href="{done_track["urls"][fmt]}"' in text, fmt
    assert done_track["urls"]["audio"] in text
    assert f"/s/{done_track['id']}/" in text, "the share link"
    strings = js_catalog(text)["strings"]
    assert strings["timeLeft"] == {"en": "About %(seconds)s s left", "ko": "남은 시간 약 %(seconds)s초"}[lang]


def test_result_page_downloads_are_real_files(done_track):
    client = browser()
    for fmt, signature in (("mp3", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")), ("wav", (b"RIFF",)), ("midi", (b"MThd",))):
        response = client.get(done_track["urls"][fmt])
        assert response.status_code == 200, fmt
        assert "attachment" in response["Content-Disposition"], fmt
        assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(signature), fmt


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_share_page_has_open_graph_and_twitter_tags_with_absolute_urls(done_track, lang):
    client = browser(lang, owner=OTHER_OWNER)   # a friend opening the link
    text = page_text(client.get(f"/s/{done_track['id']}/"))
    tags = meta_tags(text)
    genre = GENRES[done_track["brief"]["genre"]]
    label = genre.label_ko if lang == "ko" else genre.label
    name = done_track["title_ko"] if lang == "ko" else done_track["title"]
    title = {"en": f"{name} · {label}, made from a photo — Melodify",
             "ko": f"{name} · 사진으로 만든 {label} 음악 — Melodify"}[lang]
    assert tags["og:title"] == title
    reading = done_track["reading"]
    caption = reading["caption_ko"] if lang == "ko" else reading["caption"]
    assert caption and tags["og:description"] == caption == tags["twitter:description"] == tags["og:image:alt"]
    if lang == "ko":
        assert not re.search("[A-Za-z]", tags["og:description"]), "a Korean link preview shows no English"
    assert tags["og:type"] == "music.song"
    assert tags["twitter:card"] == "player"   # a done track unfurls as a playable card (test_share.py)
    for key in ("og:image", "og:audio", "og:url", "twitter:image"):
        assert tags[key].startswith("http://testserver/"), (key, tags[key])
    image = client.get(tags["og:image"].removeprefix("http://testserver"))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    audio = client.get(tags["og:audio"].removeprefix("http://testserver"))
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/mpeg"
    assert {"en": "Make your own", "ko": "나도 만들어 보기"}[lang] in text
    assert 'role="slider"' in text and done_track["urls"]["mp3"] in text


def test_share_page_of_an_unknown_track_is_a_friendly_404_in_korean():
    response = browser("ko").get("/s/not-a-real-track-id-000/")
    assert response.status_code == 404
    text = page_text(response)
    assert "이 페이지는 없어요" in text and "Traceback" not in text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_failed_track_page_says_why_and_offers_to_try_again(api, photo, lang):
    track = create_track(api, photo)
    Track.objects.filter(id=track["id"]).update(
        status="failed", error_code="engine_failed", error_message="the composer stopped: out of notes")
    text = page_text(browser(lang).get(f"/tracks/{track['id']}/"))
    if lang == "en":   # the server's own words; Korean pages say it in Korean, never in raw English
        assert "The composer stopped: out of notes" in text
    else:
        shown = re.search(r'<span id="failed-message"[^>]*>(.*?)</span>', text, re.S).group(1)
        assert "음악을 만드는 중에 문제가 생겼어요" in shown and "out of notes" not in shown, shown
    assert {"en": "Try again", "ko": "다시 시도하기"}[lang] in text
    assert {"en": "Choose another photo", "ko": "다른 사진 고르기"}[lang] in text
    assert '<meta http-equiv="refresh"' not in text, "a failed job is final: no refreshing"


def test_language_switch_remembers_korean():
    client = browser("en")
    response = client.post("/i18n/setlang/", {"language": "ko", "next": "/mine/"})
    assert response.status_code == 302 and response["Location"] == "/mine/"
    assert_language(page_text(client.get("/")), "ko", UPLOAD_WORDS)


# ---- the upload form without JavaScript -----------------------------------------------------

def test_no_js_form_with_a_good_photo_makes_a_track_and_redirects_to_it(photo, media_dir):
    client = browser()
    upload = SimpleUploadedFile("beach.jpg", photo, content_type="image/jpeg")
    response = client.post("/", {"image": upload, "genre": "jazz", "duration": "10"})
    track = Track.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tracks/{track.id}/"
    assert track.owner == OWNER and track.status == "queued"
    assert track.request["genre"] == "jazz" and track.request["duration"] == 10.0
    assert stored_files(media_dir) == [f"tracks/{track.id}/photo.jpg"]


@pytest.mark.parametrize("kind", list(BAD_FILES))
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_js_form_refuses_each_bad_photo_with_its_reason_and_stores_nothing(media_dir, kind, lang):
    data, name, refusal = bad_file(kind)
    response = browser(lang).post("/", {"image": SimpleUploadedFile(name, data, content_type="image/jpeg")})
    assert response.status_code == 400
    text = page_text(response)
    alert = re.search(r'<div id="upload-error" class="alert" role="alert"[^>]*>(.*?)</div>', text, re.S)
    message = refusal.message
    if lang == "en":   # the engine's own words, which quote what was wrong
        assert alert and alert.group(1) == message[:1].upper() + message[1:]
    else:              # its code's words in Korean, never the English
        assert alert and re.search("[가-힣]", alert.group(1)) and message not in alert.group(1), alert
    assert_language(text, lang, UPLOAD_WORDS)
    assert Track.objects.count() == 0
    assert stored_files(media_dir) == []


def test_no_js_form_without_a_photo_asks_for_one(media_dir):
    response = browser("ko").post("/", {"genre": "auto"})
    assert response.status_code == 400
    assert "먼저 사진을 골라 주세요." in page_text(response)
    assert Track.objects.count() == 0


def test_no_js_form_refuses_an_unknown_genre_with_the_list(photo, media_dir):
    upload = SimpleUploadedFile("beach.jpg", photo, content_type="image/jpeg")
    response = browser().post("/", {"image": upload, "genre": "polka"})
    assert response.status_code == 400
    assert "'polka'" in page_text(response) and "lo-fi" in page_text(response)
    assert Track.objects.count() == 0 and stored_files(media_dir) == []


def test_no_js_variation_and_vote_forms(done_track):
    client = browser()
    response = client.post(f"/tracks/{done_track['id']}/vary/", {"genre": "lo-fi"})
    new = Track.objects.exclude(id=done_track["id"]).get()
    assert response.status_code == 302 and response["Location"] == f"/tracks/{new.id}/"
    assert new.parent_id == done_track["id"] and new.request["genre"] == "lo-fi" and new.owner == OWNER
    response = client.post(f"/tracks/{done_track['id']}/vote/", {"vote": "up"})
    assert response.status_code == 302
    assert Track.objects.get(id=done_track["id"]).vote == 1
    assert 'value="up" aria-pressed="true"' in page_text(client.get(f"/tracks/{done_track['id']}/"))


# ---- my tracks --------------------------------------------------------------------------------

def test_my_tracks_shows_only_this_browsers_tracks_newest_first(photo, night_photo):
    mine = [create_track(Client(headers={"X-Melodify-Owner": OWNER}), image) for image in (photo, night_photo)]
    theirs = create_track(Client(headers={"X-Melodify-Owner": OTHER_OWNER}), photo)
    render(mine[0]["id"])
    text = page_text(browser("en").get("/mine/"))
    links = re.findall(r'href="/tracks/([^/"]+)/"', text)
    assert links == [mine[1]["id"], mine[0]["id"]], "own tracks, newest first"
    assert theirs["id"] not in text
    assert "Ready" in text and "Waiting" in text
    for track in mine:
        assert f'class="thumb" src="{track["urls"]["photo"]}"' in text, "a thumbnail of each photo"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_my_tracks_for_a_new_browser_is_an_empty_state_with_a_call_to_action(lang):
    text = page_text(browser(lang, owner="brand-new-browser-cccccc").get("/mine/"))
    assert {"en": "No tracks yet", "ko": "아직 만든 음악이 없어요"}[lang] in text
    assert {"en": "Make my music", "ko": "내 음악 만들기"}[lang] in text


# ---- translations -----------------------------------------------------------------------------

def test_the_committed_korean_catalog_is_complete_and_compiled_from_the_po(tmp_path):
    """Every string has a Korean translation, and the committed .mo is what msgfmt makes of the .po
    (so the site never needs gettext at run time)."""
    import gettext
    import shutil
    import subprocess
    from pathlib import Path

    import melodify_web

    folder = Path(melodify_web.__file__).parent / "locale" / "ko" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in po.split("\n\n", 1)[1] + "\n\n", "an untranslated string in django.po"
    assert "#, fuzzy" not in po
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: install gettext (apt-get install gettext)"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(folder / "django.po")], check=True)
    with open(folder / "django.mo", "rb") as committed, open(fresh, "rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog, \
            "django.mo is stale: run `django-admin compilemessages` in melodify_web/ and commit it"


def test_every_instrument_a_brief_can_name_has_a_korean_label():
    from melodify.instruments import INSTRUMENTS

    with translation.override("ko"):
        korean = {name: instrument_label(name) for name in INSTRUMENTS}
    untranslated = [name for name, label in korean.items() if label == name]
    assert untranslated == [], f"instruments without a Korean label: {untranslated}"
    with translation.override("en"):
        assert instrument_label("nylon guitar") == "nylon guitar"


def test_share_page_of_a_track_still_being_made_says_so_and_still_previews_the_photo(api, photo):
    track = create_track(api, photo)
    text = page_text(browser("en", owner=OTHER_OWNER).get(f"/s/{track['id']}/"))
    assert "This track is still being made" in text
    tags = meta_tags(text)
    assert tags["og:image"] == f"http://testserver/tracks/{track['id']}/photo.jpg"
    assert "og:audio" not in tags, "no audio to point at yet"
    assert tags["og:title"] == "Music made from a photo — Melodify"


@pytest.mark.parametrize("lang, says", [
    ("ko", "이 사진은 2.0 MB예요. 사진은 1 MB까지 올릴 수 있어요."),
    ("en", "This photo is 2.0 MB; photos can be at most 1 MB."),
])
def test_no_js_form_refuses_a_photo_over_the_size_limit_with_413_in_the_page_language(settings, media_dir, lang, says):
    """Refused from its Content-Length, before the body is read: the page is in the browser's language."""
    settings.MELODIFY_MAX_UPLOAD_MB = 1
    settings.MELODIFY_MAX_UPLOAD_BYTES = 1024 * 1024
    big = b"\xff\xd8\xff" + bytes(2 * 1024 * 1024 - 3)
    response = browser(lang).post("/", {"image": SimpleUploadedFile("big.jpg", big, content_type="image/jpeg")})
    assert response.status_code == 413
    text = page_text(response)
    assert f'<html lang="{lang}"' in text and says in text and 'role="alert"' in text
    assert Track.objects.count() == 0 and stored_files(media_dir) == []


def test_no_js_form_refuses_a_photo_just_over_the_size_limit_in_korean(settings, media_dir):
    """Under the middleware's slack for the form fields, the view's own size check says it, in Korean too."""
    settings.MELODIFY_MAX_UPLOAD_MB = 1
    settings.MELODIFY_MAX_UPLOAD_BYTES = 1024 * 1024
    big = b"\xff\xd8\xff" + bytes(1024 * 1024 + 50 * 1024)
    response = browser("ko").post("/", {"image": SimpleUploadedFile("big.jpg", big, content_type="image/jpeg")})
    assert response.status_code == 413
    assert "사진은 1 MB까지 올릴 수 있어요" in page_text(response)
    assert Track.objects.count() == 0 and stored_files(media_dir) == []


def test_a_typed_address_of_a_no_js_button_goes_to_the_track_page(done_track):
    for action in ("vary", "vote"):
        response = browser("ko").get(f"/tracks/{done_track['id']}/{action}/")
        assert response.status_code == 302 and response["Location"] == f"/tracks/{done_track['id']}/"
    response = browser("ko").put(f"/tracks/{done_track['id']}/vote/")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert "이 주소는 트랙 페이지의 버튼으로만 쓸 수 있어요." in page_text(response)


def test_no_js_form_refuses_a_genre_far_too_long_in_a_short_message(photo, media_dir):
    upload = SimpleUploadedFile("p.jpg", photo, content_type="image/jpeg")
    response = browser().post("/", {"image": upload, "genre": "z" * 3000})
    assert response.status_code == 400
    assert "`genre` is 3000 characters long" in page_text(response)
    assert "z" * 100 not in page_text(response)
    assert Track.objects.count() == 0 and stored_files(media_dir) == []


def test_my_tracks_shows_each_caption_in_the_pages_language(done_track):
    reading = done_track["reading"]
    english, korean = page_text(browser("en").get("/mine/")), page_text(browser("ko").get("/mine/"))
    assert f'lang="en">{reading["caption"]}</span>' in english
    assert f'lang="ko">{reading["caption_ko"]}</span>' in korean and reading["caption"] not in korean
