"""Benchmarks: how fast the pages are, and how many queries they make, with 10,000, 100,000 and
1,000,000 demo visits on SQLite and on PostgreSQL; how fast generate_demo and import_hsg write.

    .venv/bin/python bench/run.py [--quick] [--sizes 10000,100000] [--engines sqlite,postgresql]

`make bench` runs it. Each size gets a database of its own, made here and removed at the end
(--keep leaves them; --reuse measures databases left by an earlier --keep run again): SQLite
files under bench-results/, PostgreSQL databases named bench_<size>. Every step runs in a
process of its own with DATABASE_URL pointing at that database: migrate, generate_demo, then
this script again with --measure, which renders each page through Django's test client in
process, with DEBUG off and persistent database connections (DJANGO_CONN_MAX_AGE), as a
production server would, and the process's memory as the cache. Each page is requested once
after the cache is cleared ("cold": the country choices and timelines are built then), WARMUP
times more, then REQUESTS times timed. The results go to bench-results/bench.md and
bench-results/bench.json. The databases and processes are tests/servers.py's, which the tests
keep working.
"""

import argparse
import json
import os
import platform
import statistics
import time

from rootpath import ROOT

from tests.servers import (
    PostgresDatabase,
    SqliteDatabase,
    environment,
    manage,
    postgres_reachable,
    python,
)

RESULTS = ROOT / "bench-results"
HSG_TRAVELS = ROOT / "fixtures" / "hsg" / "travels"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
SIZES = [10_000, 100_000, 1_000_000]
POSTGRES_ONLY = {1_000_000}  # sizes too slow to generate on SQLite within the time allowed
ENGINES = ["sqlite", "postgresql"]
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
TARGET_MS = 50  # the median every list page must stay within at TARGET_SIZE visits
TARGET_SIZE = 100_000
SEARCH_WORD = "fisheries"  # in a few % of demo visits (visits.demo.words.TOPICS)
DATES = "date_after=1990-01-01&date_before=1994-12-31"


def log(message):
    print(message, flush=True)


# The parent: databases, subprocesses, the report ------------------------------------------


def site_environment(database, **variables):
    """For a process on `database`, as Django's test client calls the site (testserver)."""
    return environment(database.url, DJANGO_ALLOWED_HOSTS="testserver", **variables)


def database_for(engine, name):
    """A benchmark database: an SQLite file under bench-results/, or a PostgreSQL database."""
    if engine == "sqlite":
        return SqliteDatabase(RESULTS, name)
    return PostgresDatabase(name, POSTGRES)


def postgres_available():
    if postgres_reachable(POSTGRES):
        return True
    log(f"PostgreSQL is not reachable at {POSTGRES}: it is skipped.")
    return False


def migrate(database):
    manage(site_environment(database), "migrate", "--no-input", "-v", "0", timeout=None)


def measured(database, *args, **variables):
    """Runs this script again on `database` with `args`; the JSON its last line prints."""
    output = python(site_environment(database, **variables), "bench/run.py", *args, timeout=None)
    return json.loads(output.strip().splitlines()[-1])


def bench_size(engine, size, options):
    database = database_for(engine, f"bench_{size}")
    result = {"engine": engine, "size": size}
    if options.reuse and database.exists():
        log(f"== {NAMES[engine]}, {size:,} visits: reusing {database.name}")
        migrate(database)
    else:
        log(f"== {NAMES[engine]}, {size:,} visits: creating {database.name}")
        database.create()
        migrate(database)
        started = time.monotonic()
        manage(
            site_environment(database),
            *("generate_demo", "--visits", str(size), "--seed", str(options.seed)),
            timeout=None,
            show=True,
        )
        result["generate_seconds"] = round(time.monotonic() - started, 1)
    result["database_bytes"] = database.size()
    result |= measured(
        database,
        *("--measure", "--requests", str(options.requests), "--warmup", str(options.warmup)),
        DJANGO_CONN_MAX_AGE=600,
    )
    for page in result["pages"]:
        log(
            f"   {page['name']:<32} median {page['median_ms']:7.1f} ms   p95 "
            f"{page['p95_ms']:7.1f} ms   cold {page['cold_ms']:7.1f} ms   "
            f"{page['queries']} queries"
        )
    if not options.keep and not options.reuse:
        database.drop()
    return result


def bench_import(engine, options):
    if not HSG_TRAVELS.is_dir():
        return {"engine": engine, "skipped": f"no data at {HSG_TRAVELS}"}
    database = database_for(engine, "bench_import")
    log(f"== {NAMES[engine]}: import_hsg of {HSG_TRAVELS}")
    database.create()
    migrate(database)
    result = {"engine": engine, **measured(database, "--import-rate", str(HSG_TRAVELS))}
    log(
        f"   {result['records']:,} records in {result['seconds']:.1f} s: "
        f"{result['per_second']:,.0f} a second"
    )
    if not options.keep:
        database.drop()
    return result


def cell(page):
    return f"{page['median_ms']:.1f} / {page['p95_ms']:.1f} ({page['cold_ms']:.0f})"


def report(results, imports, options, elapsed):
    """The tables, as markdown."""
    lines = [
        "# Benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; {options.requests} timed requests per page after "
        f"{options.warmup} to warm up; `make bench` took {elapsed / 60:.1f} minutes. The load "
        "average while measuring (below, with the generation times) shows other work on the "
        "machine, which slows the pages and widens the 95th percentiles.",
        "",
        "## Pages",
        "",
        "Median / 95th percentile in milliseconds, and in brackets the first request after the "
        "cache is cleared (cold). The target: every list page within "
        f"{TARGET_MS} ms (median) at {TARGET_SIZE:,} visits.",
        "",
    ]
    columns = [(r["engine"], r["size"]) for r in results]
    header = ["Page", *(f"{NAMES[e]} {s:,}" for e, s in columns), "Queries"]
    lines += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    names = [page["name"] for page in results[0]["pages"]] if results else []
    missed = []
    for index, name in enumerate(names):
        row = [name]
        queries = set()
        for result in results:
            page = result["pages"][index]
            mark = ""
            if page["list"] and result["size"] == TARGET_SIZE and page["median_ms"] > TARGET_MS:
                mark = " ✗"
                missed.append(f"{name} on {NAMES[result['engine']]}")
            row.append(cell(page) + mark)
            queries.add(page["queries"])
        row.append(
            str(queries.pop()) if len(queries) == 1 else "varies: " + ", ".join(map(str, queries))
        )
        lines.append("| " + " | ".join(row) + " |")
    lines += [""]
    if results:
        first = results[0]
        lines += [
            f"Busiest country: {first['busiest']} (in {first['busiest_share']:.0%} of visits); "
            f"`q={SEARCH_WORD}` matches {first['search_share']:.1%} of visits; the visit page "
            f"is measured over {first['visit_pages']} different visits.",
            "",
            "Targets missed: " + (", ".join(missed) if missed else "none") + ".",
            "",
        ]
    lines += [
        "## Generating the data",
        "",
        "| Database | Visits | Seconds | Visits a second | Database size | Load while measuring |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for result in results:
        seconds = result.get("generate_seconds")
        rate = f"{result['size'] / seconds:,.0f}" if seconds else "reused"
        load = " → ".join(f"{value:.1f}" for value in result["load"])
        lines.append(
            f"| {NAMES[result['engine']]} | {result['size']:,} | {seconds or '–'} | {rate} "
            f"| {result['database_bytes'] / 2**20:,.0f} MB | {load} |"
        )
    lines += [
        "",
        "## Importing (import_hsg, hsg-travels, into an empty database)",
        "",
        "| Database | Records | Seconds | Records a second |",
        "| --- | --- | --- | --- |",
    ]
    for result in imports:
        if "skipped" in result:
            lines.append(f"| {NAMES[result['engine']]} | skipped: {result['skipped']} | | |")
        else:
            lines.append(
                f"| {NAMES[result['engine']]} | {result['records']:,} | {result['seconds']:.1f} "
                f"| {result['per_second']:,.0f} |"
            )
    return "\n".join(lines) + "\n"


def main(options):
    started = time.monotonic()
    RESULTS.mkdir(exist_ok=True)
    engines = [e for e in options.engines if e != "postgresql" or postgres_available()]
    results, imports = [], []
    for engine in engines:
        for size in options.sizes:
            if engine == "sqlite" and size in POSTGRES_ONLY:
                continue
            results.append(bench_size(engine, size, options))
    if not options.skip_import:
        imports = [bench_import(engine, options) for engine in engines]
    elapsed = time.monotonic() - started
    markdown = report(results, imports, options, elapsed)
    (RESULTS / "bench.md").write_text(markdown)
    (RESULTS / "bench.json").write_text(
        json.dumps({"seconds": round(elapsed), "results": results, "imports": imports}, indent=2)
        + "\n"
    )
    log("")
    log(markdown)
    log(f"Written to {RESULTS / 'bench.md'} and bench.json; {elapsed / 60:.1f} minutes in all.")


# The children: measuring pages, and the import ---------------------------------------------


def setup_django():
    import django

    django.setup()


def timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, response


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, round(fraction * len(ordered) + 0.5) - 1)]


def measure(options):
    """Time each page in this process (DATABASE_URL names the database); print JSON."""
    setup_django()
    import random

    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count, Max, Min, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from visits.models import Visit

    total = Visit.objects.count()
    guests = Visit.objects.values_list("guest_country__code").annotate(n=Count("pk"))
    hosts = Visit.objects.values_list("host_country__code").annotate(n=Count("pk"))
    busy = dict(guests)
    for code, n in hosts:
        busy[code] = busy.get(code, 0) + n
    busiest = max(busy, key=busy.get)
    involving = Visit.objects.filter(
        Q(guest_country__code=busiest) | Q(host_country__code=busiest)
    ).count()
    matches = Visit.objects.filter(search_text__icontains=SEARCH_WORD).count()
    # Visit pages: 40 visits drawn at random (the same ones every run).
    bounds = Visit.objects.aggregate(low=Min("pk"), high=Max("pk"))
    rng = random.Random(1)
    drawn = [rng.randint(bounds["low"], bounds["high"]) for _ in range(400)]
    slugs = dict(Visit.objects.filter(pk__in=drawn).values_list("pk", "slug"))
    # The first, whose queries are counted, has members, meetings and agreements.
    full = (
        Visit.objects.filter(
            delegation__members__isnull=False, meetings__isnull=False, agreements__isnull=False
        )
        .values_list("slug", flat=True)
        .first()
    )
    visit_urls = [
        reverse("visit_detail", kwargs={"slug": slug})
        for slug in [full, *(slugs[pk] for pk in drawn if pk in slugs)][:40]
        if slug
    ]

    visits = reverse("visit_list")
    pages = [
        ("Visit list", [visits], True),
        (f"… by country ({busiest})", [f"{visits}?country={busiest}"], True),
        ("… by dates (1990–1994)", [f"{visits}?{DATES}"], True),
        ("… by country and dates", [f"{visits}?country={busiest}&{DATES}"], True),
        (f"… by text (q={SEARCH_WORD})", [f"{visits}?q={SEARCH_WORD}"], True),
        ("Visit page", visit_urls, False),
        (f"Country page ({busiest})", [reverse("country_detail", args=[busiest.lower()])], False),
        ("Home", [reverse("home")], False),
        ("Meeting list", [reverse("meeting_list")], True),
        (
            f"Meetings by country ({busiest})",
            [f"{reverse('meeting_list')}?country={busiest}"],
            True,
        ),
        ("Agreement list", [reverse("agreement_list")], True),
        (
            f"Agreements by country ({busiest})",
            [f"{reverse('agreement_list')}?country={busiest}"],
            True,
        ),
        ("Country list", [reverse("country_list")], True),
    ]
    client = Client()
    results = []
    load_before = os.getloadavg()[0]
    for name, urls, is_list in pages:
        cache.clear()
        cold, _ = timed(client, urls[0])
        for index in range(options.warmup):
            timed(client, urls[index % len(urls)])
        times = [
            timed(client, urls[(options.warmup + index) % len(urls)])[0]
            for index in range(options.requests)
        ]
        with CaptureQueriesContext(connection) as captured:
            _, response = timed(client, urls[0])
        results.append(
            {
                "name": name,
                "url": urls[0],
                "list": is_list,
                "cold_ms": round(cold, 2),
                "median_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 0.95), 2),
                "queries": len(captured.captured_queries),
                "bytes": len(response.content),
            }
        )
    print(
        json.dumps(
            {
                "visits": total,
                "busiest": busiest,
                "busiest_share": involving / total if total else 0,
                "search_share": matches / total if total else 0,
                "visit_pages": len(visit_urls),
                # Other work on the machine shows here: the 1-minute load average around the run.
                "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "pages": results,
            }
        )
    )


def import_rate(path):
    """Run import_hsg on a path in this process; print JSON with the records a second."""
    setup_django()
    import contextlib
    import io

    from django.core.management import CommandError, call_command

    from visits.models import Visit

    started = time.monotonic()
    # CommandError: some records were rejected (and listed); the others are imported.
    with contextlib.suppress(CommandError):
        call_command("import_hsg", path, stdout=io.StringIO())
    seconds = time.monotonic() - started
    records = Visit.objects.count()
    print(json.dumps({"records": records, "seconds": seconds, "per_second": records / seconds}))


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Skip the 1,000,000 size.")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(size.replace("_", "")) for size in text.split(",")],
        default=SIZES,
        help="Comma-separated numbers of visits (default: 10000,100000,1000000; 1000000 runs "
        "on PostgreSQL only).",
    )
    parser.add_argument(
        "--engines",
        type=lambda text: text.split(","),
        default=ENGINES,
        help="sqlite, postgresql or both (the default).",
    )
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=3, help="Requests before timing.")
    parser.add_argument("--seed", type=int, default=1, help="generate_demo's seed.")
    parser.add_argument("--keep", action="store_true", help="Keep the databases made.")
    parser.add_argument(
        "--reuse", action="store_true", help="Measure databases kept by --keep again."
    )
    parser.add_argument("--skip-import", action="store_true", help="Skip import_hsg.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import-rate", metavar="PATH", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.quick:
        options.sizes = [size for size in options.sizes if size < 1_000_000]
    unknown = set(options.engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine: {', '.join(sorted(unknown))}")
    return options


if __name__ == "__main__":
    options = parse()
    if options.measure:
        measure(options)
    elif options.import_rate:
        import_rate(options.import_rate)
    else:
        main(options)
