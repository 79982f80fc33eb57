"""The load test's clients (bench/load.py): the mix of requests, the clients that make them and
the editor who saves in the admin meanwhile. Imported by load.py, which puts the project on the
path first."""

import datetime
import random
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

import rootpath  # noqa: F401 (the project on sys.path, for tests)

from tests.servers import Browser, PostgresDatabase, Server

EDITOR = "load-editor"

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

    def __init__(self, database):
        self.visits = [
            slug
            for (slug,) in database.rows(
                "SELECT slug FROM visits_visit ORDER BY random() LIMIT 2000"
            )
        ]
        self.countries = [
            code.lower()
            for (code,) in database.rows(
                "SELECT c.code FROM visits_country c JOIN visits_visit v "
                "ON v.guest_country_id = c.id GROUP BY c.code ORDER BY count(*) DESC LIMIT 120"
            )
        ]
        self.pairs = [
            (a.lower(), b.lower())
            for a, b in database.rows(
                "SELECT g.code, h.code FROM visits_visit v JOIN visits_country g ON g.id = "
                "v.guest_country_id JOIN visits_country h ON h.id = v.host_country_id "
                "GROUP BY g.code, h.code ORDER BY count(*) DESC LIMIT 300"
            )
        ]
        [(first, last)] = database.rows("SELECT min(start_date), max(start_date) FROM visits_visit")
        self.years = list(range(first.year, last.year + 1))
        titles = database.rows("SELECT title FROM visits_visit ORDER BY random() LIMIT 300")
        self.words = sorted(
            {word for (title,) in titles for word in re.findall(r"[A-Za-z]{5,}", title)}
        )
        [(self.count,)] = database.rows("SELECT count(*) FROM visits_visit")

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


def is_clean_503(response):
    """The 503 page: the site's layout, the words people are told, no traceback."""
    return (
        response.status == 503
        and response.headers.get("content-type", "").startswith("text/html")
        and "temporarily unavailable" in response.body.lower()
        and '<nav aria-label="Main">' in response.body
        and "Traceback" not in response.body
        and "psycopg" not in response.body
    )


def client(server, targets, seed, stop, results):
    """One client: requests of the mix, one after another, until `stop` is set."""
    rng = random.Random(seed)
    while not stop.is_set():
        kind, path = targets.request(rng)
        started = time.monotonic()
        try:
            response = server.get(path)
        except Exception as error:
            results.append(Result(kind, started, time.monotonic(), None, type(error).__name__))
            time.sleep(0.05)  # no response at all (server down?): do not spin
            continue
        result = Result(kind, started, time.monotonic(), response.status)
        if response.status != 200:
            result.error = f"{response.status} {path}"
            if response.status >= 500:
                result.clean_503 = is_clean_503(response)
        results.append(result)


@dataclass
class Editor:
    """Signs in to the admin and saves a new summary on one visit after another through the
    change form, posting every field as rendered (the hidden ones too, such as the fingerprint
    the admin refuses a save without)."""

    server: Server
    database: PostgresDatabase
    password: str
    visit_ids: list
    stop: threading.Event
    pause: float = 0.3
    acknowledged: dict = field(default_factory=dict)  # visit id -> the summary saved
    failed: list = field(default_factory=list)  # (time, visit id, what happened)
    results: list = field(default_factory=list)

    def edit(self, browser, visit_id, number):
        """Saves a new summary on a visit; None, or what went wrong."""
        summary = f"Load-test edit {number} ({secrets.token_hex(4)})."
        started = time.monotonic()
        response = browser.submit(
            f"/admin/visits/visit/{visit_id}/change/", "visit_form", {"summary": summary}
        )
        self.results.append(
            Result("admin save", started, time.monotonic(), response.status, expected=302)
        )
        if response.status == 302:
            self.acknowledged[visit_id] = summary
            return None
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.body, re.S)
        return f"save: {response.status} {' '.join(errors)[:200]}".strip()

    def run(self):
        browser = Browser(self.server)
        signed_in = False
        queue = list(self.visit_ids)
        number = 0
        while not self.stop.is_set() and queue:
            try:
                if not signed_in:
                    browser.sign_in(EDITOR, self.password)
                    signed_in = True
                number += 1
                problem = self.edit(browser, queue[0], number)
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"
            if problem is None:
                queue.pop(0)
            else:
                # Not saved: tried again on the same visit (as an editor would, after a 503).
                self.failed.append((time.monotonic(), queue[0], problem))
                time.sleep(0.5)
            time.sleep(self.pause)

    def check(self):
        """The acknowledged edits that are in the database, and those that are not."""
        if not self.acknowledged:
            return [], []
        rows = dict(
            self.database.rows(
                "SELECT id, summary FROM visits_visit WHERE id = ANY(%s)", [list(self.acknowledged)]
            )
        )
        arrived = [pk for pk, summary in self.acknowledged.items() if rows.get(pk) == summary]
        missing = [pk for pk in self.acknowledged if pk not in arrived]
        return arrived, missing
