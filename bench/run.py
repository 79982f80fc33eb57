"""Benchmarks: how fast every page type is, through gunicorn as `make serve` runs it and in
process, cached and uncached, cold and warm, and how many queries each makes, on SQLite and on
PostgreSQL with demo visits; how fast generate_demo and import_hsg write.

    .venv/bin/python bench/run.py [--reuse] [--keep] [--quick] [--sizes 10000,100000]
                                  [--engines sqlite,postgresql] [--no-http] [--no-datasette]

`make bench` runs it. Without --sizes or --engines it measures the two databases the targets
are set on: SQLite with 100,000 visits and PostgreSQL with 1,000,000 (--quick leaves the
million out). Each gets a database of its own, made here and removed at the end (--keep leaves
them; --reuse measures databases left by an earlier --keep run again): SQLite files under
bench-results/, PostgreSQL databases named bench_<size>. Every step runs in a process of its
own with DATABASE_URL pointing at that database: migrate, generate_demo, then this script
again with --measure, which picks the pages (bench/pages.py) and renders each through Django's
test client in process, with DEBUG off and persistent database connections, the process's
memory as the cache: once after the cache is cleared ("cold"), WARMUP times more, then
REQUESTS times timed, with the queries it makes. Then the same pages through gunicorn
(bench/served.py): uncached cold and warm, cached requests a second with wrk against a static
file, the worker settings compared, and Datasette's table view of the same SQLite file. The
results go to bench-results/bench.md and bench-results/bench.json (bench/tables.py). The
databases and processes are tests/servers.py's, which the tests keep working.
"""

import argparse
import json
import os
import time

import reference
import served
import tables
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
# The databases the targets are set on (tables.TARGET_MS), measured when no size or engine is
# chosen.
TARGETS = [("sqlite", 100_000), ("postgresql", 1_000_000)]


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


def pairs(options):
    """The (engine, size) databases to measure, in order."""
    if options.sizes is None and options.engines is None:
        chosen = TARGETS
    else:
        chosen = [
            (engine, size)
            for engine in options.engines or ENGINES
            for size in options.sizes or SIZES
            if not (engine == "sqlite" and size in POSTGRES_ONLY)
        ]
    if options.quick:
        chosen = [(engine, size) for engine, size in chosen if size < 1_000_000]
    if any(engine == "postgresql" for engine, _ in chosen) and not postgres_available():
        chosen = [(engine, size) for engine, size in chosen if engine != "postgresql"]
    return chosen


def bench_size(engine, size, options, run):
    """Generates (or reuses) the database, measures it in process, then through gunicorn; the
    worker settings and Datasette on the first database that `run` still wants them for."""
    database = database_for(engine, f"{options.prefix}_{size}")
    result = {"engine": engine, "size": size}
    if options.reuse and database.exists():
        log(f"== {tables.NAMES[engine]}, {size:,} visits: reusing {database.name}")
        migrate(database)
    else:
        log(f"== {tables.NAMES[engine]}, {size:,} visits: creating {database.name}")
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
    blocks = result["blocks"] = []
    log("-- in process (Django's test client)")
    with served.Block("in process", blocks):
        result |= measured(
            database,
            *("--measure", "--requests", str(options.requests), "--warmup", str(options.warmup)),
            DJANGO_CONN_MAX_AGE=600,
            DJANGO_PAGE_CACHE=0,  # the pages rendered, as before the page cache
        )
    for page in result["pages"]:
        log(
            f"   {page['name']:<40} median {page['median_ms']:7.1f} ms   p95 "
            f"{page['p95_ms']:7.1f} ms   cold {page['cold_ms']:7.1f} ms   "
            f"{page['queries']} queries"
        )
    if options.http:
        log("-- through gunicorn")
        static = run.setdefault("static", served.collect_static(database.url))
        result["http"] = served.through_gunicorn(database, result["pages"], static, options, blocks)
        if "workers" not in run and options.workers:
            log("-- worker settings (page cache on)")
            run["workers"] = served.worker_settings(
                database, result["pages"], static, options, blocks
            )
            run["workers_on"] = [engine, size]
        if engine == "sqlite" and "datasette" not in run and options.datasette:
            log("-- Datasette (reference)")
            run["datasette"] = reference.datasette(database, options, blocks) | {
                "engine": engine,
                "size": size,
            }
    if not options.keep and not options.reuse:
        database.drop()
    return result


def bench_import(engine, options):
    if not HSG_TRAVELS.is_dir():
        return {"engine": engine, "skipped": f"no data at {HSG_TRAVELS}"}
    database = database_for(engine, "bench_import")
    log(f"== {tables.NAMES[engine]}: import_hsg of {HSG_TRAVELS}")
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


def main(options, argv):
    started = time.monotonic()
    RESULTS.mkdir(exist_ok=True)
    if options.http and not served.wrk_available():
        log(
            "wrk is not installed: requests a second are counted by this script's own client, "
            "which understates the server. Install wrk (Debian: apt-get install wrk) for the "
            "real figures."
        )
    chosen = pairs(options)
    run = {"command": "bench/run.py " + " ".join(argv), "wrk": served.wrk_available()}
    results = [bench_size(engine, size, options, run) for engine, size in chosen]
    engines = list(dict.fromkeys(engine for engine, _ in chosen))
    imports = [] if options.skip_import else [bench_import(e, options) for e in engines]
    elapsed = time.monotonic() - started
    run["seconds"] = round(elapsed)
    markdown = tables.report(results, imports, run, options)
    (RESULTS / "bench.md").write_text(markdown)
    (RESULTS / "bench.json").write_text(
        json.dumps({**run, "results": results, "imports": imports}, indent=2) + "\n"
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


def measure(options):
    """Time each page in this process (DATABASE_URL names the database); print JSON: what
    bench/pages.py says of the data, and each page with its addresses and figures."""
    setup_django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pages import site_pages

    pages, facts = site_pages()
    client = Client()
    for page in pages:
        urls = page["urls"]
        cache.clear()
        cold, _ = timed(client, urls[0])
        answers = served.series(
            lambda url: timed(client, url), urls, options.warmup, options.requests
        )
        with CaptureQueriesContext(connection) as captured:
            _, response = timed(client, urls[0])
        page |= served.summary([ms for ms, _ in answers], options.requests) | {
            "url": urls[0],
            "cold_ms": round(cold, 1),
            "queries": len(captured.captured_queries),
            "bytes": len(response.content),
        }
    print(json.dumps({**facts, "pages": pages}))


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
        help="Comma-separated numbers of visits (with --engines, or alone: 10000,100000,1000000 "
        "on both engines; 1000000 runs on PostgreSQL only). Without either: SQLite 100000 and "
        "PostgreSQL 1000000.",
    )
    parser.add_argument(
        "--engines", type=lambda text: text.split(","), help="sqlite, postgresql or both."
    )
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=3, help="Requests before timing.")
    parser.add_argument(
        "--seconds", type=int, default=5, help="How long wrk runs on each cached page."
    )
    parser.add_argument("--seed", type=int, default=1, help="generate_demo's seed.")
    parser.add_argument("--keep", action="store_true", help="Keep the databases made.")
    parser.add_argument(
        "--reuse", action="store_true", help="Measure databases kept by --keep again."
    )
    parser.add_argument("--skip-import", action="store_true", help="Skip import_hsg.")
    parser.add_argument(
        "--no-http", dest="http", action="store_false", help="In process only, no gunicorn."
    )
    parser.add_argument(
        "--no-workers",
        dest="workers",
        action="store_false",
        help="Skip comparing gunicorn's worker settings.",
    )
    parser.add_argument(
        "--no-datasette", dest="datasette", action="store_false", help="Skip Datasette."
    )
    parser.add_argument(
        "--prefix", default="bench", help="The databases' names: <prefix>_<size> (bench)."
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import-rate", metavar="PATH", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    unknown = set(options.engines or []) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine: {', '.join(sorted(unknown))}")
    return options


if __name__ == "__main__":
    import sys

    options = parse()
    if options.measure:
        measure(options)
    elif options.import_rate:
        import_rate(options.import_rate)
    else:
        main(options, sys.argv[1:])
