"""Headers, cookies, the admin's protections, and honest pages when things go wrong."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from tests import factories
from visits import caching
from visits.views.lists import VisitList

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-1"


def test_security_headers_on_every_response(client):
    for url in ("/", "/visits/", "/visits/export.csv", "/visits/feed/", "/no-such-page/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, article):
    for url in ("/", "/visits/", "/countries/az/uz/", "/countries/az/"):
        page = client.get(url).content.decode()
        # Scripts only from files (static/js), never inline.
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
        assert scripts == [(f' src="{static("js/filters.js")}" defer', "")]
        assert "style=" not in page and "<style" not in page


HTTPS_SETTINGS = (
    "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, "
    "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, "
    "s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)"
)


def settings_with(**variables):
    """What the settings make of these environment variables, in a fresh process."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_HSTS", "DJANGO_SECURE", "DJANGO_DEBUG"))
    }
    env.update(DJANGO_SECRET_KEY="x", **variables)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", HTTPS_SETTINGS],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


# What the HTTPS settings become from the environment: (variables, the settings printed).
HTTPS_ENVIRONMENTS = {
    "off by default": ({}, "0 False False False None True"),
    "read from the environment": (
        {
            "DJANGO_HSTS_SECONDS": "31536000",
            "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
            "DJANGO_HSTS_PRELOAD": "yes",
            "DJANGO_SECURE_SSL_REDIRECT": "on",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
            "DJANGO_SECURE_COOKIES": "0",
        },
        "31536000 True True True ('HTTP_X_FORWARDED_PROTO', 'https') False",
    ),
    "switches written as no": (
        {"DJANGO_SECURE_SSL_REDIRECT": "no", "DJANGO_HSTS_PRELOAD": "false"},
        "0 False False False None True",
    ),
}


@pytest.mark.parametrize("variables, shown", HTTPS_ENVIRONMENTS.values(), ids=HTTPS_ENVIRONMENTS)
def test_https_settings_come_from_the_environment_and_are_off_by_default(variables, shown):
    assert settings_with(**variables) == shown


def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(client):
    User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    login = reverse("admin:login")
    client.get(login)
    response = client.post(login, {"username": "editor", "password": PASSWORD, "next": "/"})
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_repeated_failed_sign_ins_lock_the_account_out(client, settings):
    User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
        assert b"Please enter the correct username and password" in response.content
    locked = client.post(login, {"username": "editor", "password": "wrong"})
    assert locked.status_code == 429
    assert b"Signing in is locked for now" in locked.content
    # Even the right password is refused while the lock lasts.
    response = client.post(login, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_address_can_be_moved():
    env = {**os.environ, "DJANGO_SECRET_KEY": "x", "DJANGO_ADMIN_URL": "backstage"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.urls import reverse; print(reverse('admin:index'))",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "/backstage/"


def test_database_outage_gives_a_clean_503_page(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server failed")

    # The first query of every page reads the data version.
    monkeypatch.setattr(caching, "read_version", unreachable)
    client = Client(raise_request_exception=False)
    response = client.get("/visits/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Temporarily unavailable" in page
    assert '<nav aria-label="Main">' in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_other_errors_give_a_500_page_in_the_layout(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("unexpected")

    monkeypatch.setattr(VisitList, "get_queryset", broken)
    response = Client(raise_request_exception=False).get("/visits/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "ValueError" not in response.content.decode()


def test_starting_without_a_database_gives_one_clear_message():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/visits",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check_database"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Cannot reach the database (postgresql at 127.0.0.1)")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_settings_refuse_to_start_without_a_secret_key_outside_debug():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_editors_changes_are_recorded_in_the_admin_history(admin_client, admin_user):
    visit = factories.sourced_visit(title="Before")
    change = reverse("admin:visits_visit_change", args=[visit.pk])
    opened = admin_client.get(change)
    form = opened.context["adminform"].form
    data = {
        **{name: form[name].value() or "" for name in form.fields if name != "sources"},
        "sources": [source.pk for source in visit.sources.all()],
        "title": "After",
        "_fingerprint": opened.context["edit_fingerprint"],
        "delegation-TOTAL_FORMS": "0",
        "delegation-INITIAL_FORMS": "0",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
    }
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    history = admin_client.get(reverse("admin:visits_visit_history", args=[visit.pk]))
    page = history.content.decode()
    assert f">{admin_user.username}</a>" in page
    assert "<li><strong>Title:</strong> Before &rarr; After</li>" in page
