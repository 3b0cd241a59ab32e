"""Production settings pass Django's deployment checks; every page carries a Content-Security-Policy
whose nonce its inline scripts use; files are served with exact types, nosniff and a disposition."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from .live import REPO, base_env

pytestmark = pytest.mark.django_db

PRODUCTION = {"MELODIFY_PRODUCTION": "1", "SECRET_KEY": secrets.token_urlsafe(50),
              "ALLOWED_HOSTS": "melodify.example.com"}


def manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=base_env(tmp_path / "data", **env),
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_names_what_is_missing_without_them(tmp_path):
    """The same check on the development defaults warns: the test above can fail."""
    done = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING",
                  SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W016"):   # HSTS, SSL redirect, CSRF cookie
        assert warning in done.stderr, done.stderr


def test_production_takes_the_secret_key_only_from_the_environment(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "secret_key").write_text(secrets.token_urlsafe(50))   # a file is not enough there
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    done = manage(tmp_path, "check", **env)
    assert done.returncode != 0
    assert "MELODIFY_PRODUCTION=1 needs SECRET_KEY in the environment" in done.stderr


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.CSRF_COOKIE_SECURE = True


def test_in_production_plain_http_is_redirected_and_https_gets_hsts(production):
    response = Client().get("/mine/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/mine/"
    response = Client().get("/mine/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Secure" in response.cookies["melodify_owner"].output()
    assert Client().get("/healthz").status_code == 200, "the platform's probe is not redirected"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.I)


def pages(done_track: dict) -> list[str]:
    track = done_track["id"]
    return ["/", "/mine/", f"/tracks/{track}/", f"/s/{track}/", "/api/docs/", "/nothing-here/",
            "/api/v1/tracks", f"/api/v1/tracks/{track}", "/api/v1/nothing", done_track["urls"]["mp3"]]


def test_every_page_and_answer_carries_the_policy_and_inline_scripts_use_its_nonce(api, done_track):
    inline = 0
    for url in pages(done_track):
        response = api.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, url
        scripts = policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in scripts
        if response["Content-Type"].startswith("text/html"):
            nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
            for attributes in INLINE_SCRIPT.findall(response.content.decode()):
                assert f'nonce="{nonce}"' in attributes, (url, attributes)
                inline += 1
    assert inline >= 5, "the pages' own inline script was looked at"
    assert api.get("/").headers["Content-Security-Policy"] != api.get("/").headers["Content-Security-Policy"], \
        "a fresh nonce per response"


def test_api_docs_load_their_script_from_a_url_not_inline(api):
    page = api.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.findall(page)
    script = re.search(r'<script src="(/api/docs/\?[^"]*script=[^"]*)"', page).group(1)
    response = api.get(script.replace("&amp;", "&"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize("fmt, content_type, disposition", [
    ("mp3", "audio/mpeg", r'attachment; filename="melodify-[a-z0-9-]+-[a-z0-9]{8}\.mp3"(; filename\*=UTF-8\'\'\S+\.mp3)?'),
    ("wav", "audio/wav", r'attachment; filename="melodify-[a-z0-9-]+-[a-z0-9]{8}\.wav"(; filename\*=UTF-8\'\'\S+\.wav)?'),
    ("midi", "audio/midi", r'attachment; filename="melodify-[a-z0-9-]+-[a-z0-9]{8}\.mid"(; filename\*=UTF-8\'\'\S+\.mid)?'),
    ("audio", "audio/mpeg", "inline"), ("photo", "image/jpeg", "inline"),
])
def test_files_are_served_with_their_exact_type_nosniff_and_a_disposition(api, done_track, fmt, content_type,
                                                                          disposition):
    response = api.get(done_track["urls"][fmt])
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert re.fullmatch(disposition, response["Content-Disposition"]), response["Content-Disposition"]
