"""How much memory and time the importers take on large files: a CSV of a million visits and an
Office of the Historian XML file of 300 MB.

    .venv/bin/python bench/import_memory.py [--rows 1000000] [--xml-mb 300] [--only csv|xml]
        [--database-url URL] [--keep]

It writes the files under /tmp (bench-imports/), makes a fresh database (an SQLite file there
unless --database-url names another; a PostgreSQL one must be empty, and is left as it is),
migrates it, then runs each import in a process of its own and reports its wall time and peak
resident memory (the child's ru_maxrss, read with os.wait4). Run once more over the same
database, the CSV import finds every visit unchanged: that run is reported too. Expect about
ten minutes for the default sizes on SQLite.
"""

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path("/tmp/bench-imports")
LIMIT_MB = 300
WORDS = [
    *("talks", "cooperation", "energy", "trade", "security", "agreement", "minister"),
    *("summit", "delegation", "fisheries", "railway", "corridor", "investment", "culture"),
    *("education", "health", "climate", "border", "customs", "transit"),
]
COUNTRIES = [
    ("france", "France"),
    ("germany", "Germany"),
    ("united-kingdom", "United Kingdom"),
    ("japan", "Japan"),
    ("mexico", "Mexico"),
    ("russia", "U.S.S.R."),
    ("sri-lanka", "Ceylon"),
    ("china", "China, People's Republic of"),
]
CODES = ["AZ", "UZ", "FR", "DE", "GB", "JP", "MX", "TR", "KZ", "GE", "IT", "ES", "BR", "IN"]


def sentence(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def visit_columns():
    """The CSV format's columns (read from the project, with Django set up for it)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visits.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    import django

    django.setup()
    from visits.csvformat import VISIT_COLUMNS

    return VISIT_COLUMNS


def write_csv(path, rows, seed=1):
    """rows visits in the export's format, with heads, organizations and sources shared by
    several of them, and a dataset record each."""
    columns = visit_columns()
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for number in range(rows):
            guest, host = rng.sample(CODES, 2)
            year = rng.randint(1950, 2025)
            values = {
                "slug": f"bench-visit-{number}",
                "title": f"{sentence(rng, 6)[:-1]} ({number})",
                "kind": rng.choice(["official", "working", "state", "unspecified"]),
                "guest": guest,
                "host": host,
                "start_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "places": "Capital, Second City",
                "head": f"Bench Person {rng.randrange(rows // 20 + 1)}",
                "head_office": "Minister of Foreign Affairs",
                "organization": f"Bench Ministry {rng.randrange(500)}",
                "summary": sentence(rng, 30),
                "source_title": f"Report {number // 10}",
                "source_publisher": "Bench News Agency",
                "source_url": f"https://news.example.org/report/{number // 10}",
                "dataset": "bench",
                "record_id": str(number),
            }
            writer.writerow([values.get(name, "") for name in columns])


def write_xml(path, megabytes, seed=1):
    """Trips in the Office of the Historian's format until the file is that large."""
    rng = random.Random(seed)
    target = megabytes * 1_000_000
    with path.open("w", encoding="utf-8") as stream:
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<trips>\n')
        number = 0
        while stream.tell() < target:
            number += 1
            who = f"bench-traveller-{rng.randrange(300)}"
            country_id, country = rng.choice(COUNTRIES)
            year = rng.randint(1900, 2025)
            start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 20):02d}"
            end = f"{start[:8]}{int(start[8:]) + rng.randint(0, 7):02d}"
            stream.write(
                f'    <trip role="secretary" who="{who}">\n'
                f"        <id>{number}</id>\n        <role>secretary</role>\n"
                f"        <name>Bench Traveller {who[16:]}</name>\n"
                f"        <start-date>{start}</start-date>\n        <end-date>{end}</end-date>\n"
                f'        <country id="{country_id}">{country}</country>\n'
                f"        <locale>Capital, Second City</locale>\n"
                f"        <remarks>{sentence(rng, 25)}</remarks>\n"
                "        <created-by>bench</created-by>\n"
                "        <created-datetime>2013-12-16T07:25:22.673-04:00</created-datetime>\n"
                "        <last-modified-by>bench</last-modified-by>\n"
                "        <last-modified-datetime>2013-12-16T07:25:22.673-04:00"
                "</last-modified-datetime>\n    </trip>\n"
            )
        stream.write("</trips>\n")
    return number


def run(env, *args):
    """Run manage.py with args in a child process: (seconds, peak RSS in MB, exit status, the
    last lines of its output)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    return seconds, usage.ru_maxrss / 1024, process.returncode, output.strip().splitlines()[-3:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="visits in the CSV file")
    parser.add_argument("--xml-mb", type=int, default=300, help="size of the XML file, in MB")
    parser.add_argument("--only", choices=["csv", "xml"], help="measure only one importer")
    parser.add_argument("--database-url", help="an empty database (default: an SQLite file)")
    parser.add_argument("--keep", action="store_true", help="keep the files and database")
    options = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    database = options.database_url or f"sqlite:///{WORK / 'bench.sqlite3'}"
    if not options.database_url:
        for suffix in ["", "-wal", "-shm"]:
            (WORK / f"bench.sqlite3{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_DEBUG": ""}
    env.setdefault("DJANGO_SECRET_KEY", "bench")
    seconds, _, status, output = run(env, "migrate", "--verbosity", "0")
    if status:
        sys.exit("migrate failed:\n" + "\n".join(output))

    results = []
    if options.only in (None, "csv"):
        path = WORK / "visits.csv"
        started = time.monotonic()
        write_csv(path, options.rows)
        print(f"Wrote {path} ({options.rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB) in "
              f"{time.monotonic() - started:.0f} s")  # fmt: skip
        for run_name in ["import_csv", "import_csv again (unchanged)"]:
            results.append((run_name, path, *run(env, "import_csv", str(path))))
    if options.only in (None, "xml"):
        path = WORK / "trips.xml"
        started = time.monotonic()
        trips = write_xml(path, options.xml_mb)
        print(f"Wrote {path} ({trips:,} trips, {path.stat().st_size / 1e6:,.0f} MB) in "
              f"{time.monotonic() - started:.0f} s")  # fmt: skip
        results.append(("import_hsg", path, *run(env, "import_hsg", str(path))))

    print()
    print("| Import | File | Seconds | Peak RSS (MB) | Exit status |")
    print("| --- | --- | --- | --- | --- |")
    for name, path, seconds, peak, status, _ in results:
        size = f"{path.name}, {path.stat().st_size / 1e6:,.0f} MB"
        print(f"| {name} | {size} | {seconds:,.1f} | {peak:,.0f} | {status} |")
    print()
    for name, _, _, peak, status, output in results:
        print(f"{name}: " + " / ".join(output))
        if status or peak > LIMIT_MB:
            print(f"  over the limit of {LIMIT_MB} MB or failed")
    if not options.keep:
        shutil.rmtree(WORK)
    sys.exit(1 if any(status or peak > LIMIT_MB for *_, peak, status, _ in results) else 0)


if __name__ == "__main__":
    main()
