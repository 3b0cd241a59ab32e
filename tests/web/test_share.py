"""A shared link unfurls as a playable card: og:image with its size, a Twitter player card, an
embeddable player page that may be framed, oEmbed discovery and answers; KakaoTalk only with a key."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def test_the_share_page_names_the_photo_size_the_title_and_a_twitter_player(api, done_track):
    html = api.get(done_track["urls"]["share"]).content.decode()
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("800", "600")
    assert done_track["title"] in meta(html, "og:title")
    assert meta(html, "twitter:card") == "player"
    assert meta(html, "twitter:player").endswith(f"/embed/{done_track['id']}/")
    assert meta(html, "twitter:player:stream") == done_track["urls"]["audio"]
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html).group(1)
    assert "/oembed?url=" in link and quote(done_track["id"]) in link


def test_the_embed_page_may_be_framed_and_plays_the_track(api, done_track):
    response = api.get(f"/embed/{done_track['id']}/")
    assert response.status_code == 200 and "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert f'src="{done_track["urls"]["audio"]}"' in html and done_track["title"] in html
    share = api.get(done_track["urls"]["share"])   # other pages still refuse framing
    assert "X-Frame-Options" in share and "frame-ancestors 'none'" in share["Content-Security-Policy"]


def test_oembed_answers_a_rich_iframe_within_the_asked_size(api, done_track):
    share = done_track["urls"]["share"]
    body = api.get("/oembed", {"url": share, "maxwidth": "300"}).json()
    assert body["type"] == "rich" and body["version"] == "1.0" and body["provider_name"] == "Melodify"
    assert body["title"] == done_track["title"] and body["width"] == 300 and body["height"] == 160
    assert f"/embed/{done_track['id']}/" in body["html"] and 'width="300"' in body["html"]
    assert (body["thumbnail_width"], body["thumbnail_height"]) == (800, 600)


@pytest.mark.parametrize("url, status", [("https://elsewhere.example/s/abc/", 404), ("/s/not-a-track/", 404),
                                         ("/upload/", 404), ("", 404)])
def test_oembed_refuses_what_is_not_a_track_here(api, url, status):
    assert api.get("/oembed", {"url": url}).status_code == status


def test_oembed_serves_json_only(api, done_track):
    assert api.get("/oembed", {"url": done_track["urls"]["share"], "format": "xml"}).status_code == 501


def test_the_kakao_button_is_there_only_with_an_app_key(api, done_track, settings):
    page = done_track["urls"]["page"]
    assert 'id="kakao-share"' not in api.get(page).content.decode()
    settings.MELODIFY_KAKAO_APP_KEY = "test-kakao-key"
    html = api.get(page).content.decode()
    assert 'id="kakao-share" data-key="test-kakao-key"' in html and "kakao.min.js" in html
