"""Load test: the site under gunicorn on PostgreSQL, many clients at once, an editor saving in
the admin meanwhile; then the same with PostgreSQL restarted in the middle.

    .venv/bin/python bench/load.py [--clients 32] [--seconds 30] [--visits 20000] [--no-fault]

`make load` runs it. It needs a local PostgreSQL it may create a database in (LOAD_POSTGRES_URL,
default postgres://postgres@127.0.0.1:5432) and, for the second phase, the right to restart it
with pg_ctlcluster (run as root or postgres).

1. Set up: a fresh database (load_test), migrated and filled with `generate_demo --visits N`
   (or, where that command does not exist, the article's fixtures and `import_hsg` of the
   Office of the Historian's travels), `collectstatic`, and a staff account for the editor.
2. Serve: gunicorn visits.wsgi:application on 127.0.0.1, WEB_CONCURRENCY workers (default 4),
   debug off, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost, the same options
   as `make serve`.
3. Phase "steady": CLIENTS threads (http.client, keeping connections open where the server
   lets them) request a mix for SECONDS: the visit list with random filters (country, dates,
   year, text, sort, page), visit, country and country-pair pages, small filtered CSV and JSON
   exports and the Atom feed. An editor thread signs in to the admin and saves a new summary on
   a different visit each time through the change form (with its CSRF token); at the end the
   database must hold every edit the site acknowledged.
4. Phase "fault": the same load, and PostgreSQL is stopped for RESTART_PAUSE seconds and
   started again. Reported: the requests that failed during the outage and whether each was a
   clean 503 page (the site's layout, "temporarily unavailable", no traceback), and how long
   the site took to answer 200 again after PostgreSQL accepted connections.

The figures go to bench-results/load.md. gunicorn and the database are removed at the end, also
on Ctrl-C, and a PostgreSQL stopped here is always started again.
"""

import argparse
import collections
import datetime
import http.client
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
BIN = ROOT / ".venv" / "bin"
HSG_TRAVELS = ROOT.parent / "shared" / "data" / "hsg-travels"
POSTGRES = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = "load_test"
EDITOR = "load-editor"
REQUEST_TIMEOUT = 30
FAULT_AT = 8  # seconds into the fault phase
RESTART_PAUSE = 3  # seconds PostgreSQL stays down

# The mix: what a share of the requests asks for (weights).
MIX = {
    "visit list": 35,
    "visit page": 15,
    "country page": 10,
    "pair page": 10,
    "export": 15,
    "feed": 10,
    "home": 5,
}


def log(message):
    print(message, flush=True)


# Set-up: the database, the server -----------------------------------------------------------


def admin_sql(sql, params=None, database="postgres"):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/{database}", autocommit=True, connect_timeout=5) as db:
        cursor = db.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def environment(secret_key, workers):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "DJANGO_SETTINGS_MODULE": "visits.settings",
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_DEBUG": "0",
            "WEB_CONCURRENCY": str(workers),
            "PYTHONPATH": str(ROOT),
        }
    )
    for name in ("DJANGO_PLAIN_STATIC", "DJANGO_SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    return env


def manage(env, *args):
    log(f"   manage.py {' '.join(args)}")
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"Failed: manage.py {' '.join(args)}")
    return result.stdout


def has_command(name):
    return (ROOT / "visits" / "management" / "commands" / f"{name}.py").exists()


def set_up(env, visits, password):
    log(f"== Setting up the database {DATABASE}")
    admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{DATABASE}"')
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "loaddata", "azertac-2025-09-25-prosecutor-general-visit", "-v", "0")
    if has_command("generate_demo"):
        filled = f"generate_demo --visits {visits}"
        manage(env, "generate_demo", "--visits", str(visits))
    else:
        filled = f"the article's fixtures and import_hsg {HSG_TRAVELS.name}"
        manage(env, "import_hsg", str(HSG_TRAVELS))
    manage(env, "collectstatic", "--no-input", "-v", "0")
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": password},
        "createsuperuser",
        "--no-input",
        "--username",
        EDITOR,
        "--email",
        "editor@example.org",
    )
    return filled


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in a process group of its own, stopped by its id."""

    def __init__(self, env, port, workers):
        self.port = port
        RESULTS.mkdir(exist_ok=True)
        self.log_path = RESULTS / "load-gunicorn.log"
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "visits.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--graceful-timeout",
                "20",
                "--timeout",
                "60",
                "--error-logfile",
                str(self.log_path),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# PostgreSQL, stopped and started -------------------------------------------------------------


def cluster():
    """The local cluster's version and name, as pg_ctlcluster wants them."""
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v))
    return [versions[-1], "main"]


def pg_ctl(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster(), action],
        check=True,
        capture_output=True,
    )


def accepting():
    try:
        admin_sql("SELECT 1")
    except Exception:
        return False
    return True


def note_when_accepting(events, timeout=120):
    """Poll, while PostgreSQL starts, for the moment it accepts a connection again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if accepting():
            events["accepting"] = time.monotonic()
            return
        time.sleep(0.02)
    events["accepting"] = time.monotonic()


def other_sessions():
    """Sessions on other databases than ours (someone else's work a restart would break)."""
    rows = admin_sql(
        "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
        "AND datname NOT IN (%s, 'postgres') AND pid <> pg_backend_pid() GROUP BY datname",
        [DATABASE],
    )
    return dict(rows)


# Clients ------------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    started: float
    finished: float
    status: int | None  # None: no response (refused, reset, timed out, cut short)
    error: str = ""
    clean_503: bool | None = None
    expected: int = 200

    @property
    def ok(self):
        return self.status == self.expected

    @property
    def latency(self):
        return self.finished - self.started


class Targets:
    """What the clients ask for, drawn from the database."""

    def __init__(self):
        db = DATABASE
        self.visits = [
            row[0]
            for row in admin_sql(
                "SELECT slug FROM visits_visit ORDER BY random() LIMIT 2000", database=db
            )
        ]
        self.countries = [
            row[0].lower()
            for row in admin_sql(
                "SELECT c.code FROM visits_country c JOIN visits_visit v "
                "ON v.guest_country_id = c.id GROUP BY c.code ORDER BY count(*) DESC LIMIT 120",
                database=db,
            )
        ]
        self.pairs = [
            (a.lower(), b.lower())
            for a, b in admin_sql(
                "SELECT g.code, h.code FROM visits_visit v JOIN visits_country g ON g.id = "
                "v.guest_country_id JOIN visits_country h ON h.id = v.host_country_id "
                "GROUP BY g.code, h.code ORDER BY count(*) DESC LIMIT 300",
                database=db,
            )
        ]
        first, last = admin_sql(
            "SELECT min(start_date), max(start_date) FROM visits_visit", database=db
        )[0]
        self.years = list(range(first.year, last.year + 1))
        titles = admin_sql(
            "SELECT title FROM visits_visit ORDER BY random() LIMIT 300", database=db
        )
        self.words = sorted(
            {word for (title,) in titles for word in re.findall(r"[A-Za-z]{5,}", title)}
        )
        self.count = admin_sql("SELECT count(*) FROM visits_visit", database=db)[0][0]

    def visit_list_query(self, rng):
        query = []
        if rng.random() < 0.5:
            query.append(("country", rng.choice(self.countries).upper()))
        elif rng.random() < 0.3:
            query.append(("guest", rng.choice(self.countries).upper()))
        if rng.random() < 0.3:
            year = rng.choice(self.years)
            query.append(("year", str(year)))
        elif rng.random() < 0.3:
            start = datetime.date(rng.choice(self.years), rng.randint(1, 12), 1)
            end = start + datetime.timedelta(days=rng.randint(30, 3 * 365))
            query += [("date_after", start.isoformat()), ("date_before", end.isoformat())]
        if rng.random() < 0.2:
            query.append(("q", rng.choice(self.words)))
        if rng.random() < 0.3:
            query.append(("sort", rng.choice(["-date", "date", "guest", "host"])))
        if rng.random() < 0.3:
            query.append(("page", str(rng.randint(2, 4))))
        return query

    def request(self, rng):
        """A (kind, path) of the mix."""
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        if kind == "visit list":
            query = self.visit_list_query(rng)
            return kind, "/visits/" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        if kind == "visit page":
            return kind, f"/visits/{rng.choice(self.visits)}/"
        if kind == "country page":
            return kind, f"/countries/{rng.choice(self.countries)}/"
        if kind == "pair page":
            guest, host = rng.choice(self.pairs)
            return kind, f"/countries/{guest}/{host}/"
        if kind == "feed":
            return kind, f"/visits/feed/?country={rng.choice(self.countries).upper()}"
        if kind == "home":
            return kind, "/"
        country, year = rng.choice(self.countries).upper(), rng.choice(self.years[-30:])
        path = rng.choice(
            [
                f"/visits/export.csv?guest={country}&year={year}",
                f"/visits/export.json?country={country}&date_after={year}-01-01"
                f"&date_before={year}-06-30",
                f"/meetings/export.csv?country={country}&year={year}",
                f"/agreements/export.json?country={country}&year={year}",
            ]
        )
        return "export", path


class Browser:
    """One client: a kept-open connection (opened again when the server closes it), cookies."""

    def __init__(self, port):
        self.port = port
        self.connection = None
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            fresh = self.connection is None
            if fresh:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if fresh or attempt:
                    raise
                continue  # the server closed a kept-open connection: once more, on a new one
            except Exception:
                self.close()
                raise
            if response.will_close:
                self.close()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response, content
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def is_clean_503(response, content):
    """The 503 page: the site's layout, the words people are told, no traceback."""
    text = content.decode("utf-8", "replace")
    return (
        response.status == 503
        and response.getheader("Content-Type", "").startswith("text/html")
        and "temporarily unavailable" in text.lower()
        and '<nav aria-label="Main">' in text
        and "Traceback" not in text
        and "psycopg" not in text
    )


def client(port, targets, seed, stop, results):
    rng = random.Random(seed)
    browser = Browser(port)
    while not stop.is_set():
        kind, path = targets.request(rng)
        started = time.monotonic()
        try:
            response, content = browser.request("GET", path)
        except Exception as error:
            results.append(Result(kind, started, time.monotonic(), None, type(error).__name__))
            time.sleep(0.05)  # no response at all (server down?): do not spin
            continue
        result = Result(kind, started, time.monotonic(), response.status)
        if response.status != 200:
            result.error = f"{response.status} {path}"
            if response.status >= 500:
                result.clean_503 = is_clean_503(response, content)
        results.append(result)
    browser.close()


# The editor ---------------------------------------------------------------------------------


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
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
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


@dataclass
class Editor:
    port: int
    password: str
    visit_ids: list
    stop: threading.Event
    pause: float = 0.3
    acknowledged: dict = field(default_factory=dict)  # visit id -> the summary saved
    failed: list = field(default_factory=list)  # (time, visit id, what happened)
    results: list = field(default_factory=list)
    signed_in: bool = False

    def sign_in(self, browser):
        response, content = browser.request("GET", "/admin/login/?next=/admin/")
        token = self.csrf_token(content)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": EDITOR,
                "password": self.password,
                "next": "/admin/",
            }
        )
        response, content = browser.request(
            "POST",
            "/admin/login/?next=/admin/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 302 or "sessionid" not in browser.cookies:
            raise RuntimeError(f"the editor could not sign in ({response.status})")
        self.signed_in = True

    @staticmethod
    def csrf_token(content):
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if not found:
            raise RuntimeError("no CSRF token in the form")
        return found.group(1).decode()

    def edit(self, browser, visit_id, number):
        path = f"/admin/visits/visit/{visit_id}/change/"
        started = time.monotonic()
        response, content = browser.request("GET", path)
        if response.status != 200:
            return f"change form: {response.status}"
        reader = FormReader("visit_form")
        reader.feed(content.decode("utf-8"))
        summary = f"Load-test edit {number} ({secrets.token_hex(4)})."
        fields = [(name, summary if name == "summary" else value) for name, value in reader.fields]
        fields.append(("_save", "Save"))
        response, content = browser.request(
            "POST",
            path,
            urllib.parse.urlencode(fields),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": path},
        )
        self.results.append(
            Result("admin save", started, time.monotonic(), response.status, expected=302)
        )
        if response.status == 302:
            self.acknowledged[visit_id] = summary
            return None
        errors = re.findall(rb'class="errorlist[^"]*"[^>]*>(.*?)</ul>', content, re.S)
        detail = b" ".join(errors)[:200].decode("utf-8", "replace") if errors else ""
        return f"save: {response.status} {detail}".strip()

    def run(self):
        browser = Browser(self.port)
        queue = list(self.visit_ids)
        number = 0
        while not self.stop.is_set() and queue:
            try:
                if not self.signed_in:
                    self.sign_in(browser)
                visit_id = queue[0]
                number += 1
                problem = self.edit(browser, visit_id, number)
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"
                browser.close()
            if problem is None:
                queue.pop(0)
            else:
                # Not saved: tried again on the same visit (as an editor would, after a 503).
                self.failed.append((time.monotonic(), queue[0], problem))
                time.sleep(0.5)
            time.sleep(self.pause)
        browser.close()

    def check(self):
        """Every acknowledged edit is in the database."""
        if not self.acknowledged:
            return [], []
        rows = dict(
            admin_sql(
                "SELECT id, summary FROM visits_visit WHERE id = ANY(%s)",
                [list(self.acknowledged)],
                database=DATABASE,
            )
        )
        arrived = [pk for pk, summary in self.acknowledged.items() if rows.get(pk) == summary]
        missing = [pk for pk in self.acknowledged if pk not in arrived]
        return arrived, missing


# Phases -------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    seconds: float
    results: list
    editor: Editor
    started: float
    events: dict = field(default_factory=dict)  # monotonic times: stop, stopped, start, accepting


def run_phase(name, port, targets, options, password, visit_ids, fault=False):
    log(
        f"== Phase {name}: {options.clients} clients for {options.seconds} s"
        + (f", PostgreSQL stopped at {FAULT_AT} s for {RESTART_PAUSE} s" if fault else "")
    )
    stop = threading.Event()
    results = []
    editor = Editor(port, password, visit_ids, stop)
    threads = [
        threading.Thread(
            target=client,
            args=(port, targets, f"{name}-{index}", stop, results),
            daemon=True,
        )
        for index in range(options.clients)
    ]
    threads.append(threading.Thread(target=editor.run, daemon=True))
    started = time.monotonic()
    phase = Phase(name, options.seconds, results, editor, started)
    for thread in threads:
        thread.start()
    try:
        if fault:
            time.sleep(FAULT_AT)
            phase.events["stop"] = time.monotonic()
            log("   stopping PostgreSQL")
            pg_ctl("stop")
            phase.events["stopped"] = time.monotonic()
            time.sleep(RESTART_PAUSE)
            phase.events["start"] = time.monotonic()
            log("   starting PostgreSQL")
            poller = threading.Thread(target=note_when_accepting, args=(phase.events,))
            poller.start()
            pg_ctl("start")
            poller.join()
            up = phase.events["accepting"] - started
            log(f"   PostgreSQL accepts connections again ({up:.1f} s into the phase)")
        remaining = started + options.seconds - time.monotonic()
        time.sleep(max(0, remaining))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
    phase.seconds = time.monotonic() - started
    return phase


def warm_up(port, targets):
    """A few requests of every kind, not counted: caches are built on first use."""
    rng = random.Random("warm-up")
    browser = Browser(port)
    for _ in range(40):
        browser.request("GET", targets.request(rng)[1])
    browser.close()


# Figures and the report ---------------------------------------------------------------------


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary_row(label, results, seconds):
    latencies = [r.latency * 1000 for r in results if r.status is not None]
    errors = [r for r in results if not r.ok]
    return (
        f"| {label} | {len(results):,} | {len(results) / seconds:,.1f} | "
        f"{statistics.median(latencies) if latencies else float('nan'):,.1f} | "
        f"{percentile(latencies, 0.95):,.1f} | {max(latencies, default=float('nan')):,.0f} | "
        f"{len(errors)} | {sum(1 for r in results if r.status and r.status >= 500)} |"
    )


def phase_report(phase):
    lines = [
        f"### Phase: {phase.name}",
        "",
        "| Requests | Count | Per second | Median ms | 95th pct ms | Max ms | Errors | 5xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        summary_row("**all**", phase.results, phase.seconds),
    ]
    by_kind = collections.defaultdict(list)
    for result in phase.results:
        by_kind[result.kind].append(result)
    for kind in MIX:
        lines.append(summary_row(kind, by_kind.get(kind, []), phase.seconds))
    lines.append(summary_row("admin save (editor)", phase.editor.results, phase.seconds))
    arrived, missing = phase.editor.check()
    lines += [
        "",
        f"Editor: {len(phase.editor.acknowledged)} edits acknowledged (302), "
        f"{len(arrived)} found in the database, {len(missing)} missing"
        + (f" (visit ids {missing[:10]})" if missing else "")
        + f"; {len(phase.editor.failed)} attempts not saved and tried again.",
    ]
    kinds = collections.Counter(
        r.error if r.status is None else str(r.status) for r in phase.results if r.status != 200
    )
    if kinds:
        lines.append("Failures by kind: " + ", ".join(f"{k}: {n}" for k, n in kinds.most_common()))
    for when, visit_id, problem in phase.editor.failed[:5]:
        lines.append(f"- editor at {when - phase.started:.1f} s, visit {visit_id}: {problem}")
    if phase.events:
        lines += fault_report(phase)
    return lines


def fault_report(phase):
    events = {name: moment - phase.started for name, moment in phase.events.items()}
    down_from, up_at = phase.events["stop"], phase.events["accepting"]
    during = [r for r in phase.results if r.finished >= down_from and r.started <= up_at]
    failed = [r for r in during if r.status != 200]
    clean = sum(1 for r in failed if r.clean_503)
    other_5xx = sum(1 for r in failed if r.status and r.status >= 500 and not r.clean_503)
    no_response = sum(1 for r in failed if r.status is None)
    other_status = sum(1 for r in failed if r.status and r.status < 500)
    # The first 200 to a request that needed the database after it went down.
    first_ok = min(
        (r.finished for r in phase.results if r.status == 200 and r.started >= down_from),
        default=None,
    )
    last_failure = max(
        (r.finished for r in phase.results if r.status != 200 and r.finished > up_at),
        default=None,
    )
    if first_ok is None:
        recovery = "no 200 after PostgreSQL came back"
    else:
        recovery = f"the first 200 came {1000 * (first_ok - up_at):,.0f} ms after PostgreSQL"
        recovery += " accepted connections again"
    if last_failure is None:
        recovery += "; no request failed after that"
    else:
        recovery += f"; the last failure ended {1000 * (last_failure - up_at):,.0f} ms after it"
    lines = [
        "",
        f"PostgreSQL: stop issued at {events['stop']:.1f} s, down at {events['stopped']:.1f} s, "
        f"start issued at {events['start']:.1f} s, accepting connections at "
        f"{events['accepting']:.1f} s (outage {up_at - down_from:.1f} s).",
        "",
        "| During the outage | Requests |",
        "| --- | ---: |",
        f"| In flight or made | {len(during):,} |",
        f"| Failed | {len(failed):,} |",
        f"| … a clean 503 page (layout, “temporarily unavailable”, no traceback) | {clean:,} |",
        f"| … another 5xx | {other_5xx:,} |",
        f"| … no response (refused, reset, cut short) | {no_response:,} |",
        f"| … another status | {other_status:,} |",
        "",
        f"Recovery: {recovery}.",
        "",
        "Per second (from the start of the phase): 200 / clean 503 / other failures",
        "",
        "```",
    ]
    seconds = collections.defaultdict(collections.Counter)
    for r in phase.results:
        bucket = int(r.finished - phase.started)
        seconds[bucket]["ok" if r.status == 200 else "503" if r.clean_503 else "other"] += 1
    for second in range(int(events["stop"]) - 2, int(events["accepting"]) + 4):
        counts = seconds.get(second, {})
        lines.append(
            f"{second:3d} s  {counts.get('ok', 0):5d} {counts.get('503', 0):5d} "
            f"{counts.get('other', 0):5d}"
        )
    lines.append("```")
    return lines


def report(setup, phases, options, elapsed):
    versions = admin_sql("SHOW server_version")[0][0]
    gunicorn_version = subprocess.run(
        [str(BIN / "gunicorn"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "# Load test",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s in all: "
        f"`bench/load.py --clients {options.clients} --seconds {options.seconds}`. "
        f"{os.cpu_count()} CPUs ({platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}), the load generator on the same machine.",
        f"Server: {gunicorn_version}, {options.workers} sync workers, debug off, persistent "
        f"database connections; PostgreSQL {versions} on loopback. Data: {setup['filled']} "
        f"({setup['visits']:,} visits).",
        "",
        "Errors are requests without a 200 (no response, or any other status). Latency is from "
        "sending the request to reading the whole body, exports included.",
        "",
    ]
    for phase in phases:
        lines += [*phase_report(phase), ""]
    return "\n".join(lines)


# Main ---------------------------------------------------------------------------------------


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY") or 4))
    parser.add_argument("--no-fault", action="store_true", help="skip the PostgreSQL restart")
    parser.add_argument(
        "--force-fault",
        action="store_true",
        help="restart PostgreSQL even when other databases have sessions",
    )
    parser.add_argument("--keep", action="store_true", help="keep the load_test database")
    options = parser.parse_args()
    if not shutil.which("pg_ctlcluster") and not options.no_fault:
        raise SystemExit("pg_ctlcluster is not installed: run with --no-fault")
    if not (BIN / "gunicorn").exists():
        raise SystemExit("gunicorn is not installed in .venv (make install)")

    begun = time.monotonic()
    secret_key = secrets.token_urlsafe(50)
    password = secrets.token_urlsafe(16)
    env = environment(secret_key, options.workers)
    server = None
    restarted = False
    # Ctrl-C and a kill both end in the finally below, which removes what was made here.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        filled = set_up(env, options.visits, password)
        targets = Targets()
        setup = {"filled": filled, "visits": targets.count}
        visit_ids = [
            row[0]
            for row in admin_sql(
                "SELECT id FROM visits_visit ORDER BY random() LIMIT 2000", database=DATABASE
            )
        ]
        port = free_port()
        log(f"== gunicorn on 127.0.0.1:{port}, {options.workers} workers")
        server = Server(env, port, options.workers)
        server.wait_ready()
        warm_up(port, targets)
        phases = [
            run_phase("steady", port, targets, options, password, visit_ids[:1000]),
        ]
        if not options.no_fault:
            busy = other_sessions()
            if busy and not options.force_fault:
                log(
                    f"   other databases are in use ({busy}): the restart is skipped "
                    "(--force-fault restarts anyway)"
                )
            else:
                restarted = True
                phases.append(
                    run_phase("fault", port, targets, options, password, visit_ids[1000:], True)
                )
        text = report(setup, phases, options, time.monotonic() - begun)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "load.md").write_text(text + "\n")
        log("")
        log(text)
        log(f"\nWritten to {(RESULTS / 'load.md').relative_to(ROOT)}")
        failures = sum(
            len([r for r in phase.results if r.status != 200])
            for phase in phases
            if phase.name == "steady"
        )
        missing = sum(len(phase.editor.check()[1]) for phase in phases)
        return 1 if failures or missing else 0
    except KeyboardInterrupt:
        log("\nInterrupted: cleaning up")
        return 130
    finally:
        if server is not None:
            server.stop()
        if restarted and not accepting():
            log("   PostgreSQL is down: starting it again")
            pg_ctl("start")
        if not options.keep:
            try:
                admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            except Exception as error:
                log(f"Could not drop {DATABASE}: {error}")


if __name__ == "__main__":
    sys.exit(main())
