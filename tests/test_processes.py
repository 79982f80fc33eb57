"""Issue #9: every server process shows a change at once, whoever made it.

The real server (gunicorn, two sync workers) runs on a database of its own, on SQLite and on
PostgreSQL, with each process's own memory as the cache and with one Redis shared by both.
Every cached page is requested until both workers have answered it (warm), then the data is
changed from another process: an import, a management command, an admin save through HTTP.
The next answers of both workers to every page must show the records as they now are in the
database: the counts, the rows of page one, the timeline bars, the country choices, the new
title. Which worker answered is read from gunicorn's access log (see tests/servers.py).

What the pages should show is read from the database with plain SQL, not through the
application, and the change each step makes is also checked by name (the France choice, the
March 2026 bar), so that a mistake in either cannot hide the other's.
"""

import csv
import functools
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.pages import (
    COUNTRY_ROW,
    HOME_COUNT,
    RESULT_COUNT,
    bars_by_year,
    compare,
    country_options,
    definition,
    first_slug,
    visit_rows,
)
from tests.servers import (
    GUNICORN,
    REDIS_DB,
    REDIS_HOST,
    REDIS_PORT,
    Browser,
    PostgresDatabase,
    Server,
    SqliteDatabase,
    create_editor,
    environment,
    manage,
    postgres_reachable,
    reachable,
)
from visits.csvformat import VISIT_COLUMNS

SEED = "azertac-2025-09-25-prosecutor-general-visit"
SEED_VISIT = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
PER_PAGE = 50  # visits on page one of the list
HOME_ROWS = 10  # latest visits on the home page
EDITOR = "editor"

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")


# The site under test ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    slug: str
    title: str
    start_date: str
    guest: str
    host: str


@dataclass
class Truth:
    """The visits as the database has them, newest first and oldest first (ordered by the
    database, as the pages are)."""

    newest_first: list
    oldest_first: list
    listed_countries: list  # codes: the countries with records of any kind, by name

    def involving(self, code):
        return [row for row in self.newest_first if code in (row.guest, row.host)]

    @property
    def visit_countries(self):
        return {row.guest for row in self.newest_first} | {row.host for row in self.newest_first}

    def made(self, code):
        return sum(row.guest == code for row in self.newest_first)

    def received(self, code):
        return sum(row.host == code for row in self.newest_first)


def years(rows):
    return Counter(int(row.start_date[:4]) for row in rows)


VISITS_SQL = """
    SELECT v.slug, v.title, v.start_date, g.code, h.code
    FROM visits_visit v
    JOIN visits_country g ON g.id = v.guest_country_id
    JOIN visits_country h ON h.id = v.host_country_id
    ORDER BY v.start_date {direction}, v.slug
"""
# What /countries/ lists: the countries any record refers to (Country.objects.with_records()).
COUNTRIES_SQL = """
    SELECT c.code FROM visits_country c
    WHERE EXISTS (SELECT 1 FROM visits_visit v WHERE v.guest_country_id = c.id)
       OR EXISTS (SELECT 1 FROM visits_visit v WHERE v.host_country_id = c.id)
       OR EXISTS (SELECT 1 FROM visits_meeting m WHERE m.country_id = c.id)
       OR EXISTS (SELECT 1 FROM visits_agreement_party_countries p WHERE p.country_id = c.id)
       OR EXISTS (SELECT 1 FROM visits_organization o WHERE o.country_id = c.id)
       OR EXISTS (SELECT 1 FROM visits_person p WHERE p.country_id = c.id)
    ORDER BY c.name
"""


@dataclass
class Site:
    name: str
    database: object
    server: Server
    env: dict
    folder: Path
    password: str
    cache_prefix: str = ""

    def truth(self):
        def rows(direction):
            return [
                Row(slug, title, str(start)[:10], guest, host)
                for slug, title, start, guest, host in self.database.rows(
                    VISITS_SQL.format(direction=direction)
                )
            ]

        countries = [code for (code,) in self.database.rows(COUNTRIES_SQL)]
        return Truth(rows("DESC"), rows("ASC"), countries)

    def manage(self, *args, **kwargs):
        return manage(self.env, *args, **kwargs)

    def import_csv(self, visits):
        path = self.folder / f"import-{secrets.token_hex(3)}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=VISIT_COLUMNS, restval="")
            writer.writeheader()
            writer.writerows(visits)
        return self.manage("import_csv", str(path))

    def redis_keys(self):
        import redis

        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
        return list(client.scan_iter(match=f"{self.cache_prefix}:*"))

    def forget_redis_keys(self):
        import redis

        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
        keys = self.redis_keys()
        if keys:
            client.delete(*keys)

    def check(self, truth, phase, expected=()):
        """Both workers' answers to every page agree with `truth`, and each answer to a path
        named in `expected` passes the named checks there."""
        extra = {}
        for path, description, test in expected:
            extra.setdefault(path, []).append((description, test))
        problems = Counter()
        answers = Counter()
        for path, page_check in PAGES.items():
            for response in self.server.sample(path):
                answers[response.pid] += 1
                found = page_check(response, truth)
                if response.status == 200:
                    found += [
                        f"does not show {description}"
                        for description, test in extra.get(path, [])
                        if not test(response.body)
                    ]
                for problem in found:
                    problems[f"{path} (worker {response.pid}): {problem}"] += 1
        report = "\n".join(f"  {problem}  [{n}×]" for problem, n in sorted(problems.items()))
        assert not problems, (
            f"{self.name}, {phase}: pages disagree with the database "
            f"(answers per worker: {dict(answers)}):\n{report}\n"
            f"gunicorn's log ends:\n{self.server.log(last=30)}"
        )
        return answers


COMBINATIONS = [
    ("sqlite", "locmem"),
    ("sqlite", "redis"),
    ("postgresql", "locmem"),
    ("postgresql", "redis"),
]


@pytest.fixture(
    scope="module",
    params=[pytest.param(c, marks=pytest.mark.database_of_its_own(c[0])) for c in COMBINATIONS],
    ids=["-".join(c) for c in COMBINATIONS],
)
def site(request, tmp_path_factory):
    """A fresh database with the seed article and a superuser, served by gunicorn with two
    workers; all removed afterwards."""
    vendor, cache = request.param
    if vendor == "postgresql" and not postgres_reachable():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable")
    if cache == "redis" and not reachable(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis at {REDIS_HOST}:{REDIS_PORT} is not reachable")
    folder = tmp_path_factory.mktemp(f"{vendor}-{cache}")
    database = SqliteDatabase(folder) if vendor == "sqlite" else PostgresDatabase()
    prefix = f"visits-processes-{secrets.token_hex(4)}" if cache == "redis" else ""
    cache_url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}" if cache == "redis" else ""
    env = environment(database.url, cache_url, prefix)
    password = secrets.token_urlsafe(16)
    server = Server(env, folder, workers=2)
    site = Site(f"{vendor} + {cache}", database, server, env, folder, password, prefix)
    database.create()
    try:
        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("loaddata", SEED, "-v", "0")
        create_editor(site.manage, EDITOR, password)
        server.start()
        yield site
    finally:
        server.stop()
        database.drop()
        if prefix:
            site.forget_redis_keys()


def page_check(check):
    """A page's check: a status other than 200 is its one problem; else check(body, truth,
    problems) adds to problems what the page shows otherwise than the truth."""

    @functools.wraps(check)
    def checked(response, truth):
        if response.status != 200:
            return [f"status {response.status}"]
        problems = []
        check(response.body, truth, problems)
        return problems

    return checked


def visit_list_check(select=None, oldest_first=False):
    @page_check
    def check(body, truth, problems):
        ordered = truth.oldest_first if oldest_first else truth.newest_first
        visits = [row for row in ordered if select is None or select(row)]
        count = RESULT_COUNT.search(body)
        compare(problems, "count", count and int(count.group(1)), len(visits))
        compare(
            problems,
            "rows of page one",
            visit_rows(body),
            [(row.slug, row.title) for row in visits[:PER_PAGE]],
        )
        compare(problems, "timeline (visits by year)", bars_by_year(body), years(visits))
        options = country_options(body)
        compare(
            problems,
            "country choices",
            set(options) - {""},
            truth.visit_countries,
        )

    return check


@page_check
def home_check(body, truth, problems):
    count = HOME_COUNT.search(body)
    compare(problems, "count", count and int(count.group(1)), len(truth.newest_first))
    compare(
        problems,
        "latest visits",
        visit_rows(body),
        [(row.slug, row.title) for row in truth.newest_first[:HOME_ROWS]],
    )
    compare(problems, "timeline (visits by year)", bars_by_year(body), years(truth.newest_first))


@page_check
def country_list_check(body, truth, problems):
    count = RESULT_COUNT.search(body)
    compare(problems, "count", count and int(count.group(1)), len(truth.listed_countries))
    shown = {code: (int(made), int(received)) for code, made, received in COUNTRY_ROW.findall(body)}
    compare(problems, "countries on page one", list(shown), truth.listed_countries[:PER_PAGE])
    for code, figures in shown.items():
        compare(
            problems,
            f"{code}'s visits made and received",
            figures,
            (truth.made(code), truth.received(code)),
        )


def country_page_check(code):
    @page_check
    def check(body, truth, problems):
        visits = truth.involving(code)
        compare(problems, "visits made", definition(body, "Visits made"), truth.made(code))
        compare(
            problems, "visits received", definition(body, "Visits received"), truth.received(code)
        )
        compare(
            problems,
            "visits listed",
            sorted(visit_rows(body)),
            sorted((row.slug, row.title) for row in visits),
        )
        compare(problems, "timeline (visits by year)", bars_by_year(body), years(visits))

    return check


# Every page that shows a cached value: counts, the timeline, the country choices, figures.
PAGES = {
    "/": home_check,
    "/visits/": visit_list_check(),
    "/visits/?country=AZ": visit_list_check(select=lambda row: "AZ" in (row.guest, row.host)),
    "/visits/?sort=date": visit_list_check(oldest_first=True),
    "/countries/": country_list_check,
    "/countries/az/": country_page_check("AZ"),
}


def visit(slug, title, guest, host, start_date, kind="official"):
    return {
        "slug": slug,
        "title": title,
        "kind": kind,
        "guest": guest,
        "host": host,
        "start_date": start_date,
        "places": "",
        "summary": f"A visit written by the test of issue #9 ({slug}).",
    }


# The tests ----------------------------------------------------------------------------------


def test_every_worker_shows_each_change_made_by_another_process(site):
    run = secrets.token_hex(3)
    before = site.truth()
    answers = site.check(before, "warm-up")
    assert len(answers) == 2, f"both workers answer: {answers}"
    if site.cache_prefix:
        assert site.redis_keys(), "the cached values are kept in Redis, under CACHE_KEY_PREFIX"

    # 1. An import: three visits, one from France to Japan (countries without any record yet),
    # the newest of all, in a month and year no visit was in.
    tokyo = f"french-minister-tokyo-{run}"
    tokyo_title = f"Official visit of the French foreign minister to Japan ({run})"
    site.import_csv(
        [
            visit(tokyo, tokyo_title, "FR", "JP", "2026-03-01"),
            visit(
                f"azerbaijan-turkey-{run}",
                f"Working visit to Ankara ({run})",
                "AZ",
                "TR",
                "2025-06-10",
                kind="working",
            ),
            visit(
                f"uzbekistan-azerbaijan-{run}",
                f"Official visit to Baku ({run})",
                "UZ",
                "AZ",
                "2025-11-12",
            ),
        ]
    )
    imported = site.truth()
    assert len(imported.newest_first) == len(before.newest_first) + 3
    assert imported.newest_first[0].slug == tokyo
    assert {"FR", "JP"} <= imported.visit_countries
    assert not {"FR", "JP"} & before.visit_countries
    site.check(
        imported,
        "after import_csv",
        expected=[
            ("/visits/", "the France choice", lambda body: "FR" in country_options(body)),
            ("/visits/", "a 2026 timeline bar", lambda body: bars_by_year(body)[2026] >= 1),
            ("/visits/", "the imported visit first", lambda body: first_slug(body) == tokyo),
            ("/", "the imported visit first", lambda body: first_slug(body) == tokyo),
            ("/countries/", "France", lambda body: 'data-label="Code">FR<' in body),
        ],
    )

    # 2. A management command removes that visit: France and the 2026 bar go with it.
    site.manage(
        "shell",
        "-c",
        f"from visits.models import Visit; Visit.objects.filter(slug={tokyo!r}).delete()",
    )
    deleted = site.truth()
    assert len(deleted.newest_first) == len(imported.newest_first) - 1
    assert "FR" not in deleted.visit_countries
    site.check(
        deleted,
        "after a visit was deleted by manage.py shell",
        expected=[
            ("/visits/", "no France choice", lambda body: "FR" not in country_options(body)),
            ("/visits/", "no 2026 timeline bar", lambda body: 2026 not in bars_by_year(body)),
            ("/countries/", "no France", lambda body: 'data-label="Code">FR<' not in body),
        ],
    )

    # 3. Another management command adds five demo visits over many years.
    site.manage("generate_demo", "--visits", "5")
    generated = site.truth()
    assert len(generated.newest_first) == len(deleted.newest_first) + 5
    site.check(generated, "after manage.py generate_demo --visits 5")

    # 4. An editor renames the seed visit in the admin, through the same server.
    editor = Browser(site.server)
    editor.sign_in(EDITOR, site.password)
    [(pk,)] = site.database.rows(f"SELECT id FROM visits_visit WHERE slug = '{SEED_VISIT}'")
    new_title = f"Official visit of Prosecutor General Kamran Aliyev to Tashkent ({run})"
    saved = editor.submit(f"/admin/visits/visit/{pk}/change/", "visit_form", {"title": new_title})
    assert saved.status == 302, f"the admin did not save ({saved.status}):\n{saved.body[:3000]}"
    renamed = site.truth()
    assert (SEED_VISIT, new_title) in {(row.slug, row.title) for row in renamed.newest_first}
    site.check(
        renamed,
        "after an admin save",
        expected=[
            (path, "the new title", lambda body: (SEED_VISIT, new_title) in visit_rows(body))
            for path in ("/", "/visits/", "/visits/?country=AZ", "/countries/az/")
        ],
    )


def test_conditional_get_follows_the_data_in_every_worker(site):
    first = site.server.get("/visits/")
    assert first.status == 200
    etag = first.headers.get("etag")
    assert etag, "the visit list has an ETag"

    unchanged = site.server.sample("/visits/", headers={"If-None-Match": etag})
    statuses = Counter((r.pid, r.status) for r in unchanged)
    assert all(r.status == 304 and r.body == "" for r in unchanged), (
        f"every worker answers 304 without a body while the data is unchanged: {statuses}"
    )

    run = secrets.token_hex(3)
    slug = f"germany-brazil-{run}"
    site.import_csv([visit(slug, f"State visit to Brasília ({run})", "DE", "BR", "2026-04-20")])

    changed = site.server.sample("/visits/", headers={"If-None-Match": etag})
    statuses = Counter((r.pid, r.status) for r in changed)
    assert all(r.status == 200 for r in changed), f"after an import: {statuses}"
    assert all(slug in r.body for r in changed), "the imported visit is listed"
    new_etags = {r.headers.get("etag") for r in changed}
    assert len(new_etags) == 1 and etag not in new_etags and None not in new_etags, (
        f"one new ETag for all workers, not {etag} again: {new_etags}"
    )

    [new_etag] = new_etags
    again = site.server.sample("/visits/", headers={"If-None-Match": new_etag})
    statuses = Counter((r.pid, r.status) for r in again)
    assert all(r.status == 304 for r in again), f"the new ETag is current: {statuses}"
