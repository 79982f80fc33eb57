"""Load test: the site under gunicorn on PostgreSQL, many clients at once, an editor saving in
the admin meanwhile; then the same with PostgreSQL restarted in the middle.

    .venv/bin/python bench/load.py [--clients 32] [--seconds 30] [--visits 20000] [--no-fault]

`make load` runs it. It needs a local PostgreSQL it may create a database in (LOAD_POSTGRES_URL,
default postgres://postgres@127.0.0.1:5432) and, for the second phase, the right to restart it
with pg_ctlcluster (run as root or postgres).

1. Set up: a fresh database (load_test), migrated and filled with `generate_demo --visits N`
   (or, where that command does not exist, the article's fixtures and `import_hsg` of the
   Office of the Historian's travels), `collectstatic`, and a staff account for the editor.
2. Serve: gunicorn visits.wsgi:application on 127.0.0.1 with --workers (default
   WEB_CONCURRENCY, or 4), debug off, the options of `make serve`, and the cache CACHE_URL
   names (each worker's memory without it); the server and the database set-up are
   tests/servers.py's, which tests/test_processes.py runs in CI.
3. Phase "steady": CLIENTS threads request a mix for SECONDS: the visit list with random filters
   (country, dates, year, text, sort, page), visit, country and country-pair pages, small
   filtered CSV and JSON exports and the Atom feed (bench/load_clients.py). An editor thread
   signs in to the admin and saves a new summary on a different visit each time through the
   change form, posting it as rendered; at the end the database must hold every edit the site
   acknowledged.
4. Phase "fault": the same load, and PostgreSQL is stopped for RESTART_PAUSE seconds and
   started again. Reported: the requests that failed during the outage and whether each was a
   clean 503 page (the site's layout, "temporarily unavailable", no traceback), and how long
   the site took to answer 200 again after PostgreSQL accepted connections.

The figures go to bench-results/load.md (bench/load_report.py). gunicorn and the database are
removed at the end, also on Ctrl-C, and a PostgreSQL stopped here is always started again.
"""

import argparse
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from load_clients import EDITOR, Editor, Targets, client
from load_report import report
from rootpath import ROOT

from tests.servers import (
    GUNICORN,
    REQUEST_TIMEOUT,
    PostgresDatabase,
    Server,
    create_editor,
    environment,
    manage,
    postgres_reachable,
)

RESULTS = ROOT / "bench-results"
HSG_TRAVELS = ROOT / "fixtures" / "hsg" / "travels"
POSTGRES = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = "load_test"
FAULT_AT = 8  # seconds into the fault phase
RESTART_PAUSE = 3  # seconds PostgreSQL stays down


def log(message):
    print(message, flush=True)


# Set-up -------------------------------------------------------------------------------------


def has_command(name):
    return (ROOT / "visits" / "management" / "commands" / f"{name}.py").exists()


def set_up(env, database, visits, password):
    """A fresh database, filled; returns how it was filled."""

    def run(*args, **options):
        log(f"   manage.py {' '.join(args)}")
        manage(env, *args, timeout=None, **options)

    log(f"== Setting up the database {database.name}")
    database.create()
    run("migrate", "--no-input", "-v", "0")
    run("loaddata", "azertac-2025-09-25-prosecutor-general-visit", "-v", "0")
    if has_command("generate_demo"):
        filled = f"generate_demo --visits {visits}"
        run("generate_demo", "--visits", str(visits))
    else:
        filled = f"the article's fixtures and import_hsg {HSG_TRAVELS.name}"
        run("import_hsg", str(HSG_TRAVELS))
    run("collectstatic", "--no-input", "-v", "0")
    create_editor(run, EDITOR, password)
    return filled


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


def note_when_accepting(events, timeout=120):
    """Poll, while PostgreSQL starts, for the moment it accepts a connection again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if postgres_reachable(POSTGRES):
            break
        time.sleep(0.02)
    events["accepting"] = time.monotonic()


def other_sessions(database):
    """Sessions on other databases than ours (someone else's work a restart would break)."""
    rows = database.admin(
        "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
        "AND datname NOT IN (%s, 'postgres') AND pid <> pg_backend_pid() GROUP BY datname",
        [database.name],
    )
    return dict(rows)


# Phases -------------------------------------------------------------------------------------


@dataclass
class Site:
    server: Server
    database: PostgresDatabase
    password: str
    targets: Targets | None = None
    stopped_postgres: bool = False  # to be started again at the end, whatever happens


@dataclass
class Phase:
    name: str
    seconds: float
    results: list
    editor: Editor
    started: float
    events: dict = field(default_factory=dict)  # monotonic times: stop, stopped, start, accepting


def restart_postgres(site, phase):
    """Stops PostgreSQL for RESTART_PAUSE seconds and starts it again, noting when."""
    phase.events["stop"] = time.monotonic()
    log("   stopping PostgreSQL")
    site.stopped_postgres = True
    pg_ctl("stop")
    phase.events["stopped"] = time.monotonic()
    time.sleep(RESTART_PAUSE)
    phase.events["start"] = time.monotonic()
    log("   starting PostgreSQL")
    poller = threading.Thread(target=note_when_accepting, args=(phase.events,))
    poller.start()
    pg_ctl("start")
    poller.join()
    up = phase.events["accepting"] - phase.started
    log(f"   PostgreSQL accepts connections again ({up:.1f} s into the phase)")


def run_phase(name, site, options, visit_ids, fault=False):
    log(
        f"== Phase {name}: {options.clients} clients for {options.seconds} s"
        + (f", PostgreSQL stopped at {FAULT_AT} s for {RESTART_PAUSE} s" if fault else "")
    )
    stop = threading.Event()
    results = []
    editor = Editor(site.server, site.database, site.password, visit_ids, stop)
    threads = [
        threading.Thread(
            target=client,
            args=(site.server, site.targets, f"{name}-{index}", stop, results),
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
            restart_postgres(site, phase)
        time.sleep(max(0, started + options.seconds - time.monotonic()))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
    phase.seconds = time.monotonic() - started
    return phase


def warm_up(site):
    """A few requests of every kind, not counted: caches are built on first use."""
    rng = random.Random("warm-up")
    for _ in range(40):
        site.server.get(site.targets.request(rng)[1])


# Main ---------------------------------------------------------------------------------------


def interrupted(signum, frame):
    raise KeyboardInterrupt


def parse():
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
        parser.error("pg_ctlcluster is not installed: run with --no-fault")
    if not GUNICORN.exists():
        parser.error("gunicorn is not installed in .venv (make install)")
    return options


def run_phases(site, options, visit_ids):
    """The steady phase, then the fault phase unless it is skipped."""
    phases = [run_phase("steady", site, options, visit_ids[:1000])]
    if options.no_fault:
        return phases
    busy = other_sessions(site.database)
    if busy and not options.force_fault:
        log(
            f"   other databases are in use ({busy}): the restart is skipped "
            "(--force-fault restarts anyway)"
        )
        return phases
    return [*phases, run_phase("fault", site, options, visit_ids[1000:], fault=True)]


def main():
    options = parse()
    begun = time.monotonic()
    password = secrets.token_urlsafe(16)
    database = PostgresDatabase(DATABASE, POSTGRES)
    cache_url = os.environ.get("CACHE_URL", "")
    env = environment(
        database.url,
        cache_url,
        DJANGO_PLAIN_STATIC=None,  # served from collectstatic's manifest, as in production
        WEB_CONCURRENCY=options.workers,
    )
    RESULTS.mkdir(exist_ok=True)
    server = Server(env, RESULTS, options.workers, name="load-gunicorn")
    site = Site(server, database, password)
    # Ctrl-C and a kill both end in the finally below, which removes what was made here.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        filled = set_up(env, database, options.visits, password)
        site.targets = Targets(database)
        setup = {
            "filled": filled,
            "visits": site.targets.count,
            "cache": "Redis" if cache_url.startswith("redis") else "each worker's memory",
        }
        visit_ids = [
            pk
            for (pk,) in database.rows("SELECT id FROM visits_visit ORDER BY random() LIMIT 2000")
        ]
        log(f"== gunicorn, {options.workers} workers")
        server.start()
        log(f"   on 127.0.0.1:{server.port}")
        warm_up(site)
        phases = run_phases(site, options, visit_ids)
        text = report(database, setup, phases, options, time.monotonic() - begun)
        (RESULTS / "load.md").write_text(text + "\n")
        log(f"\n{text}\n\nWritten to {(RESULTS / 'load.md').relative_to(ROOT)}")
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
        server.stop()
        if site.stopped_postgres and not postgres_reachable(POSTGRES):
            log("   PostgreSQL is down: starting it again")
            pg_ctl("start")
        if not options.keep:
            try:
                database.drop()
            except Exception as error:
                log(f"Could not drop {database.name}: {error}")


if __name__ == "__main__":
    sys.exit(main())
