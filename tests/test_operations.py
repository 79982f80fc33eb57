"""For operators: the health check, request ids and logs, compression, and a production install
without the test tools."""

import gzip
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from tests import factories
from tests.servers import environment
from visits import logs

ROOT = Path(__file__).resolve().parent.parent
TEST_TOOLS = ("pytest", "playwright", "hypothesis", "ruff")


# /healthz -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_ok_with_one_cheap_query_and_no_cache_or_session(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_healthz_answers_503_not_500_when_the_database_cannot_be_reached(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["Retry-After"] == "10"


def run_site(database_url, script, **variables):
    """Runs `script` in a new Python process with the site's settings on `database_url`: a
    database that may not exist. Its stdout, and stderr (the site's log)."""
    env = environment(database_url, DJANGO_DEBUG=None, **variables)
    prelude = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
    )
    result = subprocess.run(
        # Without whitenoise's warning that the static files were not collected.
        [sys.executable, "-W", "ignore::UserWarning", "-c", prelude + script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


DOWN = {
    # A file in a folder that does not exist: SQLite cannot open it.
    "sqlite": "sqlite:////nonexistent-folder/visits.sqlite3",
    # A port nothing listens on.
    "postgresql": "postgres://postgres@127.0.0.1:9/visits",
}


@pytest.mark.parametrize("vendor", DOWN)
def test_healthz_on_a_database_that_is_down_answers_503_and_logs_why(vendor):
    out, err = run_site(
        DOWN[vendor],
        "response = client.get('/healthz')\n"
        "print(response.status_code, response['Cache-Control'], response.content.decode())\n",
        DJANGO_LOG_FORMAT="json",
    )
    assert out.split() == ["503", "no-store", "database", "unavailable"]
    lines = [json.loads(line) for line in err.splitlines()]  # every line is a JSON object
    [warning] = [line for line in lines if line["logger"] == "visits.views.site"]
    assert warning["level"] == "WARNING"
    assert warning["message"].startswith("Health check failed")
    assert re.fullmatch(r"[0-9a-f]{32}", warning["request_id"])
    # Django's own line for the 503 carries the same request id.
    [django_line] = [line for line in lines if line["logger"] == "django.request"]
    assert django_line["request_id"] == warning["request_id"]


# Request ids and logs -----------------------------------------------------------------------


@pytest.fixture
def log_lines():
    """What the site's request logger writes while the test runs, in JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    for name in ("visits.requests", "visits.views.site"):
        logging.getLogger(name).addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for name in ("visits.requests", "visits.views.site"):
        logging.getLogger(name).removeHandler(handler)


@pytest.mark.django_db
def test_each_request_is_logged_once_with_its_id_method_path_status_and_duration(client, log_lines):
    response = client.get("/visits/", HTTP_X_REQUEST_ID="lb-1234.abc_DEF")
    assert response["X-Request-ID"] == "lb-1234.abc_DEF"
    [line] = log_lines()
    assert line["request_id"] == "lb-1234.abc_DEF"
    assert line["logger"] == "visits.requests"
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/visits/", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["message"].startswith("GET /visits/ 200 ")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given", ["", "x" * 65, "a b", "id\nforged line", "<script>", "ünïcode", "a;b"]
)
def test_an_unusable_request_id_is_replaced_by_a_new_one(client, log_lines, given):
    response = client.get("/visits/", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert [line["request_id"] for line in log_lines()] == [response["X-Request-ID"]]


@pytest.mark.django_db
def test_every_record_logged_during_a_request_carries_its_id(client, log_lines, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/healthz", HTTP_X_REQUEST_ID="probe-7")
    assert response.status_code == 503
    [warning] = log_lines()  # the health check's own request line is at DEBUG
    assert warning["logger"] == "visits.views.site"
    assert warning["request_id"] == "probe-7"
    assert "method" not in warning


@pytest.mark.django_db
def test_requests_for_the_health_check_and_robots_txt_stay_out_of_the_request_log(
    client, log_lines
):
    client.get("/healthz")
    client.get("/robots.txt")
    assert log_lines() == []


def test_records_outside_requests_have_no_request_id_and_exceptions_stay_on_one_line():
    formatter = logs.JsonFormatter()
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord(
            "visits", logging.ERROR, __file__, 1, "Failed", (), sys.exc_info()
        )
    logs.RequestIdFilter().filter(record)
    text = formatter.format(record)
    assert "\n" not in text
    entry = json.loads(text)
    assert entry["request_id"] == "-"
    assert entry["message"] == "Failed"
    assert "ValueError: broken" in entry["exception"]


def test_the_log_format_is_json_or_text_and_nothing_else():
    assert logs.logging_config("JSON")["handlers"]["console"]["formatter"] == "json"
    assert logs.logging_config("")["handlers"]["console"]["formatter"] == "text"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_FORMAT"):
        logs.logging_config("xml")


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_the_site_logs_one_line_per_request_on_stderr(tmp_path, log_format):
    url = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    out, err = run_site(
        url,
        "print(client.get('/favicon.ico', HTTP_X_REQUEST_ID='abc-1')['X-Request-ID'])\n",
        DJANGO_LOG_FORMAT=log_format,
    )
    assert out.strip() == "abc-1"
    [line] = [line for line in err.splitlines() if "favicon" in line]
    if log_format == "json":
        entry = json.loads(line)
        assert entry["request_id"] == "abc-1"
        assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/favicon.ico", 302)
    else:
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO visits\.requests \[abc-1\] "
            r"GET /favicon\.ico 302 \d+\.\d ms",
            line,
        )


# Compression ---------------------------------------------------------------------------------


@pytest.fixture
def listed(db):
    return [factories.visit("AZ", host) for host in ("UZ", "FR", "DE", "TR", "KZ")]


def test_pages_are_compressed_and_still_revalidated_with_their_weakened_etag(client, listed):
    response = client.get("/visits/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<main" in gzip.decompress(response.content)
    etag = response["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/visits/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # A client without gzip holds the strong tag, and is answered 304 as well.
    plain = client.get("/visits/")
    assert "Content-Encoding" not in plain
    assert not plain["ETag"].startswith("W/")
    assert client.get("/visits/", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    # A change of the data changes the tag, compressed or not.
    factories.visit("AZ", "CN")
    assert client.get("/visits/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_still_stream_when_compressed(client, listed, fmt):
    address = reverse("export", kwargs={"name": "visits", "fmt": fmt})
    compressed = client.get(address, HTTP_ACCEPT_ENCODING="gzip")
    assert compressed.streaming
    assert compressed["Content-Encoding"] == "gzip"
    chunks = list(compressed.streaming_content)
    assert len(chunks) > 1  # written as the rows come, not all at once
    plain = client.get(address)
    assert gzip.decompress(b"".join(chunks)) == b"".join(plain.streaming_content)


def test_small_answers_are_not_compressed(client, db):
    response = client.get("/healthz", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response


def test_compression_comes_before_every_middleware_that_reads_the_body():
    from django.conf import settings

    middleware = settings.MIDDLEWARE
    gzip_at = middleware.index("visits.compression.GZipMiddleware")
    assert middleware[0] == "visits.logs.RequestIdMiddleware"
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    assert gzip_at < middleware.index("visits.text.StripControlCharactersMiddleware")
    assert gzip_at < middleware.index("django.middleware.common.CommonMiddleware")


# A production install without the test tools ------------------------------------------------


def make_dry_run(*targets, cwd=ROOT):
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", *targets],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_serve_installs_the_runtime_dependencies_only_into_a_venv_of_its_own():
    commands = make_dry_run("serve")
    installs = [line for line in commands.splitlines() if "pip install" in line]
    assert installs[-1] == ".venv-serve/bin/python -m pip install --quiet -c constraints.txt ."
    assert all(line.startswith(".venv-serve/bin/python ") for line in installs)
    assert "[test]" not in commands
    assert "-m venv .venv-serve" in commands
    assert ".venv-serve/bin/gunicorn -c python:visits.gunicorn" in commands
    assert ".venv/bin" not in commands
    # The tests keep theirs.
    assert "-e '.[test]'" in make_dry_run("test")


def test_the_test_tools_are_only_in_the_test_extra():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"]).lower()
    for tool in TEST_TOOLS:
        assert tool not in runtime
    test_extra = " ".join(project["optional-dependencies"]["test"]).lower()
    assert all(tool in test_extra for tool in TEST_TOOLS)


@pytest.mark.slow
def test_make_serve_in_a_fresh_copy_installs_no_test_tool(tmp_path):
    """The serve environment made for real, from the package index pip is configured with."""
    copy = tmp_path / "site"
    copy.mkdir()
    for name in ("pyproject.toml", "constraints.txt", "Makefile", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    shutil.copytree(ROOT / "visits", copy / "visits", ignore=shutil.ignore_patterns("__pycache__"))
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    result = subprocess.run(
        ["make", ".venv-serve/.installed"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    python = copy / ".venv-serve" / "bin" / "python"
    probe = (
        "import importlib.util, json, sys; "
        "print(json.dumps({name: importlib.util.find_spec(name) is not None "
        "for name in sys.argv[1:]}))"
    )
    found = json.loads(
        subprocess.run(
            [str(python), "-c", probe, *TEST_TOOLS, "django", "gunicorn", "psycopg", "whitenoise"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    )
    assert found == {
        **dict.fromkeys(TEST_TOOLS, False),
        **dict.fromkeys(("django", "gunicorn", "psycopg", "whitenoise"), True),
    }
    assert (copy / ".venv-serve" / "bin" / "gunicorn").exists()
    assert not (copy / ".venv").exists()


@pytest.mark.django_db
def test_postgresql_settings_of_the_sites_connections():
    """JIT is off on the site's connections (PostgreSQL compiled the first queries of each
    connection for up to 800 ms at a million visits), and the planner reorders 12 tables."""
    if connection.vendor != "postgresql":
        pytest.skip("these are PostgreSQL settings")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone() == ("12",), "the API's nine joined tables are reordered"


@pytest.mark.django_db
def test_pages_are_compressed_at_the_faster_level_and_read_back_whole(client):
    """visits.compression: gzip at level 4, with the random-length file name Django adds."""
    from visits import compression

    factories.many_records(count=30)
    plain = client.get("/visits/").content
    first = client.get("/visits/", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.content) == plain
    assert compression.LEVEL == 4
    sizes = {len(compression.compress(plain)) for _ in range(20)}
    assert len(sizes) > 1, "a file name of random length in every answer (BREACH)"
