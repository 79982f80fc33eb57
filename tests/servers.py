"""The real site, for what needs several processes: tests/test_processes.py, and the load test
and benchmarks in bench/ (which import this module, so the tests keep it working). A fresh
database outside the test database (an SQLite file, or a PostgreSQL database made and dropped
here), Python and `manage.py` run as subprocesses with the site's settings, gunicorn with
several sync workers, and an HTTP client that keeps cookies, signs in to the admin and posts a
form as a browser would.

Which worker answered is read from gunicorn's access log, not from the application: every
request carries an X-Probe header with a number of its own, and the log line gunicorn writes
for it holds that number and the worker's process id.
"""

import concurrent.futures
import http.client
import itertools
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN = BIN / "gunicorn"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 15
REQUEST_TIMEOUT = 30
PROBE_FORMAT = "%({x-probe}i)s %(p)s %(s)s"  # gunicorn's access log: probe, <pid>, status


def reachable(host, port, timeout=1.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def postgres_reachable(server=POSTGRES):
    """Whether the PostgreSQL server at `server` accepts a connection now."""
    try:
        postgres(f"{server}/postgres", "SELECT 1")
    except Exception:
        return False
    return True


# Databases ----------------------------------------------------------------------------------


def postgres(url, sql, params=None):
    """Runs one statement on a PostgreSQL database, outside a transaction; its rows, if any."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        cursor = connection.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else None


class SqliteDatabase:
    """An SQLite file in `folder`, made by the first migrate."""

    vendor = "sqlite"

    def __init__(self, folder, name="visits"):
        self.name = name
        self.path = Path(folder) / f"{name}.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def exists(self):
        return self.path.exists()

    def create(self):
        self.drop()

    def drop(self):
        self.path.unlink(missing_ok=True)

    def size(self):
        return self.path.stat().st_size

    def rows(self, sql, params=()):
        with sqlite3.connect(self.path, timeout=30) as connection:
            return [tuple(row) for row in connection.execute(sql, params).fetchall()]


class PostgresDatabase:
    """A PostgreSQL database on `server`, made and dropped here (a name of its own by default)."""

    vendor = "postgresql"

    def __init__(self, name=None, server=POSTGRES):
        self.name = name or f"visits_proc_{secrets.token_hex(4)}"
        self.server = server
        self.url = f"{server}/{self.name}"

    def admin(self, sql, params=None):
        """A statement on the server's maintenance database (postgres)."""
        return postgres(f"{self.server}/postgres", sql, params)

    def exists(self):
        return bool(self.admin("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]))

    def create(self):
        self.drop()
        self.admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def size(self):
        return self.admin("SELECT pg_database_size(%s)", [self.name])[0][0]

    def rows(self, sql, params=None):
        return postgres(self.url, sql, params)


# Processes ----------------------------------------------------------------------------------


def environment(database_url, cache_url="", cache_key_prefix="", **variables):
    """The parent's environment without any of the site's settings, then the site's defaults
    for a process started here (debug off, a secret key of its own, static files served from
    their folders, cookies over plain HTTP), then `variables` (None removes one)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_")
        and name not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "CACHE_KEY_PREFIX"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "visits.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_PLAIN_STATIC": "1",
            "DJANGO_SECURE_COOKIES": "0",
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    if cache_key_prefix:
        env["CACHE_KEY_PREFIX"] = cache_key_prefix
    for name, value in variables.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


def python(env, *args, extra_env=None, timeout=300, show=False):
    """Runs Python in a process of its own, in the project's folder: its output, or an
    AssertionError with it. With `show`, the output goes to this process's as it comes."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**env, **(extra_env or {})},
        capture_output=not show,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout or ''}\n{result.stderr or ''}"
        )
    return result.stdout


def manage(env, *args, **options):
    """manage.py in a process of its own (the options are python()'s)."""
    return python(env, "manage.py", *args, **options)


def create_editor(manage, username, password):
    """A superuser to sign in to the admin as, made by Django's createsuperuser; `manage` runs
    a management command (its arguments, and extra_env for the environment)."""
    manage(
        "createsuperuser",
        "--no-input",
        "--username",
        username,
        "--email",
        f"{username}@example.org",
        extra_env={"DJANGO_SUPERUSER_PASSWORD": password},
    )


@dataclass
class Response:
    path: str
    status: int
    headers: dict  # lower-case names
    body: str
    probe: str
    pid: str = ""  # the worker that answered, from the access log


class Server:
    """gunicorn in a process group of its own, stopped by its id, with the options of `make
    serve`; its logs are `folder`/`name`-error.log and -access.log, written afresh.

    With `config` (python:visits.gunicorn, as `make serve` has it) the rest of gunicorn's
    settings are the config's; `worker_class` and `threads` choose the workers; without
    `access_log`, no access log (as `make serve`: `attribute` and `sample` need one).
    `ready_path` is what start() asks for until it answers 200."""

    def __init__(
        self,
        env,
        folder,
        workers=2,
        name="gunicorn",
        worker_class="sync",
        threads=1,
        config=None,
        access_log=True,
        ready_path="/",
    ):
        self.env = env
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.config = config
        self.keep_access_log = access_log
        self.ready_path = ready_path
        self.error_log = Path(folder) / f"{name}-error.log"
        self.access_log = Path(folder) / f"{name}-access.log"
        self.port = None
        self.process = None
        self.probes = itertools.count(1)
        self.run_id = secrets.token_hex(3)
        self.seen = {}  # probe -> pid, from the access log

    def start(self, timeout=60):
        for path in (self.error_log, self.access_log):
            path.unlink(missing_ok=True)
        settings = (
            ["-c", self.config]
            if self.config
            else ["--timeout", "60", "--graceful-timeout", "20", "--no-control-socket"]
        )
        access = (
            ["--access-logfile", str(self.access_log), "--access-logformat", PROBE_FORMAT]
            if self.keep_access_log
            else []
        )
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "visits.wsgi:application",
                *settings,
                "--workers",
                str(self.workers),
                "--worker-class",
                self.worker_class,
                "--threads",
                str(self.threads),
                "--bind",
                "127.0.0.1:0",
                "--error-logfile",
                str(self.error_log),
                "--capture-output",  # the site's own log (tracebacks) goes there too
                *access,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            if self.port is None:
                found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log())
                if found:
                    self.port = int(found.group(1))
            if self.port is not None and self.booted_workers() >= self.workers:
                try:
                    if self.get(self.ready_path).status == 200:
                        return self
                except OSError:
                    pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log(self, last=None):
        try:
            lines = self.error_log.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(lines[-last:] if last else lines)

    def booted_workers(self):
        return len(re.findall(r"Booting worker with pid", self.log()))

    # HTTP ---------------------------------------------------------------------------------

    def request(self, method, path, body=None, headers=None):
        probe = f"{self.run_id}-{next(self.probes)}"
        headers = {"Connection": "close", "X-Probe": probe, **(headers or {})}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        return Response(
            path=path,
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()}
            | {"set-cookie": response.headers.get_all("Set-Cookie") or []},
            body=content.decode("utf-8", "replace"),
            probe=probe,
        )

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def read_access_log(self):
        try:
            text = self.access_log.read_text(errors="replace")
        except FileNotFoundError:
            return
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0].startswith(self.run_id):
                self.seen[parts[0]] = parts[1].strip("<>")

    def attribute(self, responses, timeout=10):
        """Sets each response's pid from the access log (which gunicorn writes just after the
        response has gone)."""
        deadline = time.monotonic() + timeout
        while True:
            self.read_access_log()
            missing = [r for r in responses if r.probe not in self.seen]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        for response in responses:
            response.pid = self.seen.get(response.probe, "?")
        return responses

    def sample(self, path, headers=None, at_least=10, batch=10, limit=80, clients=2):
        """GETs `path` at least `at_least` times from `clients` clients at once, and more until
        every worker has answered it at least twice; each response knows its worker's pid."""
        responses = []
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            while len(responses) < limit:
                responses += pool.map(lambda _: self.get(path, headers), range(batch))
                self.attribute(responses)
                pids = [r.pid for r in responses]
                answered_twice = {pid for pid in pids if pids.count(pid) >= 2}
                if len(responses) >= at_least and len(answered_twice) >= self.workers:
                    return responses
        pids = sorted({r.pid for r in responses})
        raise AssertionError(
            f"{limit} requests for {path} reached only the workers {pids}, not "
            f"{self.workers}; the test cannot tell that every worker is right."
        )


class Browser:
    """A signed-in person: cookies kept between requests to one server."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}

    def request(self, method, path, fields=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.server.request(method, path, body=body, headers=headers)
        for cookie in response.headers["set-cookie"]:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def sign_in(self, username, password, admin="/admin/"):
        login = f"{admin}login/?next={admin}"
        page = self.request("GET", login)
        assert page.status == 200, f"GET {login}: {page.status}"
        response = self.request(
            "POST",
            login,
            [
                ("csrfmiddlewaretoken", csrf_token(page.body)),
                ("username", username),
                ("password", password),
                ("next", admin),
            ],
        )
        assert response.status == 302 and "sessionid" in self.cookies, (
            f"could not sign in to the admin ({response.status})"
        )

    def submit(self, path, form_id, changes, button=("_save", "Save")):
        """Loads the form at `path`, changes some fields and posts it as a browser would."""
        page = self.request("GET", path)
        assert page.status == 200, f"GET {path}: {page.status}"
        reader = FormReader(form_id)
        reader.feed(page.body)
        assert reader.fields, f"no form #{form_id} at {path}"
        fields = [(name, changes.get(name, value)) for name, value in reader.fields]
        return self.request("POST", path, [*fields, button])


def csrf_token(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


class FormReader(HTMLParser):
    """The fields a browser would submit from the form with a given id, as rendered."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self.select["multiple"]:
                chosen = [options[0][0]]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the newline that follows <textarea>.
            self.fields.append(
                (name, text[2:] if text.startswith("\r\n") else text.removeprefix("\n"))
            )
            self.textarea = None
