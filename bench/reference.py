"""Datasette's table view of the visits on the same SQLite file as the site, measured as
bench/served.py measures the site's pages: a reference row of the benchmark. Datasette is
installed on first use into a virtualenv of the benchmark's own (bench-results/.venv-datasette),
never into the project's."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from rootpath import ROOT
from served import RESULTS, Block, Client, fetch, log, series, summary, throughput

DATASETTE_VENV = RESULTS / ".venv-datasette"
# Datasette as it starts (it suggests facets on every table view), and without the suggestions.
DATASETTE_VARIANTS = [
    ("defaults", []),
    ("suggest_facets off", ["--setting", "suggest_facets", "off"]),
]


def datasette_executable():
    """Datasette in a virtualenv of the benchmark's own, installed on first use; None (and
    why) when it cannot be."""
    executable = DATASETTE_VENV / "bin" / "datasette"
    if executable.exists():
        return executable, ""
    log(f"   installing Datasette into {DATASETTE_VENV.relative_to(ROOT)} (pip, its own venv)")
    steps = [
        [sys.executable, "-m", "venv", str(DATASETTE_VENV)],
        [str(DATASETTE_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "datasette"],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        except (subprocess.SubprocessError, OSError) as error:
            return None, f"Datasette could not be installed ({error})"
        if done.returncode != 0:
            shutil.rmtree(DATASETTE_VENV, ignore_errors=True)
            last = (done.stderr or done.stdout).strip().splitlines()[-1:]
            return None, f"Datasette could not be installed: {' '.join(last)}"
    return executable, ""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def datasette(database, options, blocks):
    """Datasette's table view of the visits (50 rows) on the same SQLite file, read-only."""
    executable, why = datasette_executable()
    if executable is None:
        log(f"   Datasette skipped: {why}")
        return {"skipped": why}
    version = subprocess.run(
        [str(executable), "--version"], capture_output=True, text=True
    ).stdout.strip()
    path = f"/{database.path.stem}/visits_visit?_size=50"
    found = {"version": version, "url": path, "variants": []}
    with Block("Datasette", blocks):
        for label, settings in DATASETTE_VARIANTS:
            command = [str(executable), "serve", "--immutable", str(database.path), *settings]
            measured = datasette_variant(command, path, options)
            if "skipped" in measured:
                return {"skipped": f"{version} {measured['skipped']}"}
            found["variants"].append({"label": label, **measured})
            log(
                f"   {version} ({label}) {path}: median {measured['median_ms']} ms, p95 "
                f"{measured['p95_ms']} ms, cold {measured['cold_ms']} ms, "
                f"{measured['rps']} requests/s"
            )
    return found


def datasette_variant(command, path, options):
    port = free_port()
    errors = (RESULTS / "datasette-error.log").open("w")
    process = subprocess.Popen(
        [*command, "-h", "127.0.0.1", "-p", str(port)],
        stdout=errors,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Client(port, timeout=5).get("/-/versions.json")[1] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                return {"skipped": "did not start (bench-results/datasette-error.log)"}
            time.sleep(0.2)
        client = Client(port)
        cold_ms, status, _, _ = fetch(client, path)
        answers = series(lambda url: fetch(client, url), [path], options.warmup, options.requests)
        client.close()
        return (
            {"cold_ms": round(cold_ms, 1), "cold_status": status}
            | summary([ms for ms, *_ in answers], options.requests)
            | {"statuses": sorted({status for _, status, _, _ in answers})}
            | throughput(port, path, options.seconds)
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        errors.close()
