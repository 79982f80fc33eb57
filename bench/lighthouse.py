"""Lighthouse, in mobile mode, on the home page, the visit list and a visit page of what a fresh
clone serves (the article and the Office of the Historian's travels), served as in production.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--pages home,visits,visit]

`make audit` installs Lighthouse (pinned, into .audit/) and runs it. The site runs on an SQLite
file of its own, filled by `populate`, with `collectstatic` (whitenoise's compressed, hashed
files) and gunicorn with the options of `make serve` (tests/servers.py, as bench/load.py). Each
page is measured --runs times in Debian's Chromium (CHROME_PATH, default /usr/bin/chromium,
headless); the table gives the median of each score, and the audits of accessibility and SEO
that did not pass. Printed, and written to bench-results/lighthouse.md with each run's report
as JSON beside it. Performance on this machine is noisy: compare runs, not single figures.

The server speaks plain HTTP on 127.0.0.1, which browsers count as a secure origin; HTTPS,
HSTS and the secure cookies of a deployment are not measured here.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from rootpath import ROOT

from tests.servers import Server, SqliteDatabase, environment, manage

RESULTS = ROOT / "bench-results"
LIGHTHOUSE = ROOT / ".audit" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
PAGES = {
    "home": "/",
    "visits": "/visits/",
    "visit": "/visits/2025-09-24-azerbaijan-uzbekistan-prosecutor-general/",
}
CATEGORIES = ("accessibility", "seo", "best-practices", "performance")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "Speed Index",
}


def log(message):
    print(message, flush=True)


def serve(folder):
    """The default data behind gunicorn, as `make serve` runs it; the running server."""
    database = SqliteDatabase(folder, "lighthouse")
    env = environment(database.url, DJANGO_PLAIN_STATIC=None)
    steps = [("migrate", "--no-input", "-v", "0"), ("populate",)]
    steps.append(("collectstatic", "--no-input", "-v", "0"))
    for args in steps:
        log(f"   manage.py {' '.join(args)}")
        manage(env, *args, timeout=None)
    return Server(env, folder, workers=2, name="lighthouse").start()


def lighthouse(url, output):
    """One Lighthouse run (mobile, its default); its report."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME},
        check=True,
        timeout=300,
    )
    return json.loads(Path(output).read_text())


def failing(report, category):
    """The audits of a category that did not pass: 'id: title', with those that do not count
    towards the score (weight 0) marked."""
    audits = report["audits"]
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if audit.get("score") is not None and audit["score"] < 1:
            unscored = "" if ref.get("weight") else " (not scored)"
            found.append(f"{audit['id']}: {audit['title']}{unscored}")
    return found


def summarize(reports):
    """Median scores and metrics of several runs of one page, and what failed in any of them."""
    scores = {
        c: statistics.median(round(r["categories"][c]["score"] * 100) for r in reports)
        for c in CATEGORIES
    }
    metrics = {
        name: statistics.median(r["audits"][audit]["numericValue"] for r in reports)
        for audit, name in METRICS.items()
    }
    judged = [c for c in CATEGORIES if c != "performance"]
    failures = sorted({f"{c}: {f}" for r in reports for c in judged for f in failing(r, c)})
    return scores, metrics, failures


def metric(name, value):
    return f"{value:.3f}" if name == "CLS" else f"{value / 1000:.2f} s"


def table(rows, runs):
    lines = [
        f"Lighthouse {next((r[3] for r in rows if r[3]), '?')}, mobile, "
        f"median of {runs} run{'s' if runs > 1 else ''} per page.",
        "",
        "| Page | Address | Accessibility | SEO | Best practices | Performance | "
        + " | ".join(METRICS.values())
        + " |",
        "| --- | --- | ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in METRICS) + " |",
    ]
    for name, address, summary, _version in rows:
        if summary is None:
            lines.append(f"| {name} | `{address}` | failed to load |" + " |" * (3 + len(METRICS)))
            continue
        scores, metrics, _ = summary
        lines.append(
            f"| {name} | `{address}` | "
            + " | ".join(str(scores[c]) for c in CATEGORIES)
            + " | "
            + " | ".join(metric(m, metrics[m]) for m in METRICS.values())
            + " |"
        )
    failures = [(name, f) for name, _, summary, _ in rows if summary for f in summary[2]]
    lines += ["", "Audits that did not pass (accessibility, SEO, best practices):", ""]
    lines += [f"- {name}: {f}" for name, f in failures] or ["- none"]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help=f"which pages (default {','.join(PAGES)})"
    )
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"Lighthouse not found at {LIGHTHOUSE}: run `make audit`.")
    if not Path(CHROME).exists():
        sys.exit(f"Chromium not found at {CHROME} (install Debian's chromium, or set CHROME_PATH).")
    RESULTS.mkdir(exist_ok=True)
    reports_dir = RESULTS / "lighthouse"
    reports_dir.mkdir(exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        log("== Serving the default data")
        server = serve(folder)
        try:
            for name in options.pages.split(","):
                address = PAGES[name]
                url = f"http://127.0.0.1:{server.port}{address}"
                reports = []
                for run in range(1, options.runs + 1):
                    log(f"== Lighthouse {name} {address} ({run}/{options.runs})")
                    try:
                        reports.append(lighthouse(url, reports_dir / f"{name}-{run}.json"))
                    except subprocess.CalledProcessError:
                        log(f"   Lighthouse failed; the server's log ends:\n{server.log(last=30)}")
                version = reports[0]["lighthouseVersion"] if reports else None
                rows.append((name, address, summarize(reports) if reports else None, version))
        finally:
            server.stop()
    text = table(rows, options.runs)
    (RESULTS / "lighthouse.md").write_text("# Lighthouse\n\n" + text)
    log("\n" + text)
    log(f"Written to {RESULTS / 'lighthouse.md'}, reports in {reports_dir}/")


if __name__ == "__main__":
    main()
