"""The benchmark's report, as markdown: bench-results/bench.md and what bench/run.py prints."""

import os
import platform
import time

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
STATIC = "Static file"  # the cached rows whose names start so are the static file's
TARGET_MS = 50  # every page type's median, uncached and warm, through gunicorn
TARGET_SHARE = 0.25  # a cached list's requests a second, as a share of a static file's
# The databases the targets hold on.
TARGET_PAIRS = {("sqlite", 100_000), ("postgresql", 1_000_000)}


def static_rps(rates):
    """The static file's requests a second: the mean of its runs (before and after)."""
    figures = [found["rps"] for name, found in rates.items() if name.startswith(STATIC)]
    return sum(figures) / len(figures) if figures else 0


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def rate(value):
    """Requests a second: whole numbers, one decimal under ten."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def column(result):
    return f"{NAMES[result['engine']]} {result['size']:,}"


def targeted(result):
    return (result["engine"], result["size"]) in TARGET_PAIRS


def timing(page, mark=""):
    figures = f"{page['median_ms']:.1f} / {page['p95_ms']:.1f} ({page['cold_ms']:.0f})"
    if page.get("timed", 0) < page.get("requested", 0):
        figures += f" [{page['timed']} timed]"  # a slow page, timed fewer times
    statuses = [*page.get("statuses", [page.get("status", 200)]), page.get("cold_status", 200)]
    wrong = sorted({s for s in statuses if s != 200})
    if wrong:
        figures += " " + ", ".join(f"HTTP {s}" if s else "no answer" for s in wrong)
    return figures + mark


def served_pages(results, missed):
    """Uncached through gunicorn: median / p95 (cold) per page type and database."""
    measured = [r for r in results if "http" in r]
    if not measured:
        return []
    rows = []
    for index, page in enumerate(measured[0]["http"]["pages"]):
        row = [page["name"]]
        for result in measured:
            found = result["http"]["pages"][index]
            over = found["median_ms"] > TARGET_MS or found["statuses"] != [200]
            mark = " ✗" if over and targeted(result) else ""
            if mark:
                missed.append(f"{found['name']} uncached on {column(result)}")
            row.append(timing(found, mark))
        rows.append(row)
    hits = [
        f"{page['name']} ({column(result)})"
        for result in measured
        for page in result["http"]["pages"]
        if "hit" in page["x_cache"]
    ]
    note = (
        ["The page cache answered (X-Cache: hit) although it was off, for: " + "; ".join(hits), ""]
        if hits
        else []
    )
    return [
        "## Through gunicorn, uncached",
        "",
        f"gunicorn as `make serve` runs it ({measured[0]['http']['server']}), the page cache off "
        "(DJANGO_PAGE_CACHE=0). Milliseconds: median / 95th percentile of the requests of one "
        "client on one keep-alive connection, after the warm-up, and in brackets the first "
        "request to a gunicorn just started (one worker, empty cache: cold). Target: every "
        f"page type within {TARGET_MS} ms (median) on "
        + " and ".join(
            f"{NAMES[e]} {s:,}" for e, s in sorted(TARGET_PAIRS, key=lambda pair: pair[1])
        )
        + " (✗: missed).",
        "",
        *table(["Page", *map(column, measured)], rows),
        "",
        *note,
    ]


def served_rates(results, missed, seconds):
    """Cached through gunicorn: requests a second per list and for the static file."""
    measured = [r for r in results if "http" in r]
    if not measured:
        return []
    names = list(measured[0]["http"]["cached"])
    rows, misses = [], []
    for name in names:
        row = [name]
        for result in measured:
            rates = result["http"]["cached"]
            found, static = rates[name], static_rps(rates)
            ratio = found["rps"] / static if static else 0
            text = rate(found["rps"])
            if not name.startswith(STATIC):
                text += f" ({ratio:.0%})"
                if ratio < TARGET_SHARE and targeted(result):
                    text += " ✗"
                    missed.append(f"{name} cached on {column(result)}")
            if found["failed"] or found["errors"] or found["status"] != 200:
                text += f" [HTTP {found['status']}, {found['failed']} failed {found['errors']}]"
            if not name.startswith(STATIC) and found["x_cache"] != "hit":
                misses.append(f"{name} ({column(result)}: X-Cache {found['x_cache']})")
            row.append(text)
        rows.append(row)
    tool = measured[0]["http"]["cached"][STATIC]["tool"]
    how = (
        f"`wrk -t1 -c4 -d{seconds}s -H 'Accept-Encoding: gzip'`"
        if tool == "wrk"
        else "this script's own client (4 threads; wrk is not installed: these understate "
        "the server)"
    )
    lines = [
        "## Through gunicorn, cached",
        "",
        f"Requests a second with {how}, the page cache on, after a few requests that fill "
        "it; in brackets, the share of the static file's requests a second (whitenoise, the "
        "same gunicorn; the mean of its two runs, before and after the lists: far apart, they "
        f"say the machine's load changed). Target: every list at {TARGET_SHARE:.0%} or more.",
        "",
        *table(["Page", *map(column, measured)], rows),
        "",
    ]
    if misses:
        lines += [
            "The page cache did not answer (no `X-Cache: hit` after filling it) for: "
            + "; ".join(misses)
            + ".",
            "",
        ]
    return lines


def workers(run):
    if not run.get("workers"):
        return []
    engine, size = run["workers_on"]
    rows = [
        [
            w["settings"],
            rate(w["list_rps"]),
            rate(w["static_rps"]),
            f"{w['list_rps'] / w['static_rps']:.0%}" if w["static_rps"] else "–",
        ]
        for w in run["workers"]
    ]
    return [
        "## gunicorn's workers",
        "",
        f"The cached visit list and the static file (the mean of a run before and one after "
        f"the list), requests a second as above, on {NAMES[engine]} {size:,}, with each "
        "worker setting.",
        "",
        *table(["Workers", "Visit list", "Static file", "List / static"], rows),
        "",
    ]


def datasette(run, results):
    found = run.get("datasette")
    if not found:
        return []
    if "skipped" in found:
        return ["## Datasette (reference)", "", f"Skipped: {found['skipped']}", ""]
    ours = next(
        (
            r
            for r in results
            if (r["engine"], r["size"]) == (found["engine"], found["size"]) and "http" in r
        ),
        None,
    )
    rows = [
        [f"{found['version']} ({v['label']}): `{found['url']}`", timing(v), rate(v["rps"])]
        for v in found["variants"]
    ]
    if ours:
        page = next(p for p in ours["http"]["pages"] if p["name"] == "Visit list")
        cached = ours["http"]["cached"]["Visit list"]["rps"]
        rows.append(["This site: `/visits/` (uncached; cached)", timing(page), rate(cached)])
    return [
        "## Datasette (reference)",
        "",
        f"Datasette's table view of the visits (50 rows), serving the same SQLite file "
        f"({NAMES[found['engine']]} {found['size']:,}) read-only (`datasette serve "
        "--immutable`), measured as above: one client, then requests a second. As it "
        "starts, Datasette tries facet suggestions on every table view; the second row has "
        "them off.",
        "",
        *table(["Server", "Median / p95 (cold), ms", "Requests a second"], rows),
        "",
    ]


def in_process(results):
    if not results:
        return []
    rows = []
    for index, page in enumerate(results[0]["pages"]):
        queries = {result["pages"][index]["queries"] for result in results}
        rows.append(
            [
                page["name"],
                *(timing(result["pages"][index]) for result in results),
                str(queries.pop())
                if len(queries) == 1
                else "varies: " + ", ".join(map(str, sorted(queries))),
            ]
        )
    first = results[0]
    return [
        "## In process",
        "",
        "The same pages rendered by Django's test client in one process (no server, no "
        "network), as the earlier benchmark did: median / 95th percentile (first request "
        "after the cache is cleared), and the queries each page makes.",
        "",
        *table(["Page", *map(column, results), "Queries"], rows),
        "",
        f"Busiest country: {first['busiest']} (in {first['busiest_share']:.0%} of visits); "
        f"`q={first['common_word']}` matches {first['common_share']:.1%} of visits and "
        f"`q={first['rare_word']}` {first['rare_share']:.1%}; each record page is measured over "
        f"up to {first['record_pages']} records."
        + (
            f" No page for {', '.join(first['no_records'])}: no such records in these databases."
            if first["no_records"]
            else ""
        ),
        "",
    ]


def loads(results):
    rows = [
        [
            column(result),
            block["block"],
            f"{block['seconds']:.0f}",
            " → ".join(f"{value:.1f}" for value in block["load"]),
        ]
        for result in results
        for block in result.get("blocks", [])
    ]
    return [
        "## The machine's load",
        "",
        "The 1-minute load average before and after each block: above the number of CPUs, "
        "other work was competing with the measurement.",
        "",
        *table(["Database", "Block", "Seconds", "Load"], rows),
        "",
    ]


def generation(results, imports):
    lines = [
        "## Generating and importing",
        "",
        *table(
            ["Database", "Visits", "Seconds", "Visits a second", "Database size"],
            [
                [
                    NAMES[r["engine"]],
                    f"{r['size']:,}",
                    str(r.get("generate_seconds") or "–"),
                    f"{r['size'] / r['generate_seconds']:,.0f}"
                    if r.get("generate_seconds")
                    else "reused",
                    f"{r['database_bytes'] / 2**20:,.0f} MB",
                ]
                for r in results
            ],
        ),
        "",
    ]
    if imports:
        rows = [
            [NAMES[r["engine"]], f"skipped: {r['skipped']}", "", ""]
            if "skipped" in r
            else [
                NAMES[r["engine"]],
                f"{r['records']:,}",
                f"{r['seconds']:.1f}",
                f"{r['per_second']:,.0f}",
            ]
            for r in imports
        ]
        lines += [
            "import_hsg of the Historian's travels into an empty database:",
            "",
            *table(["Database", "Records", "Seconds", "Records a second"], rows),
            "",
        ]
    return lines


def report(results, imports, run, options):
    """Everything, as markdown."""
    missed = []
    body = (
        served_pages(results, missed)
        + served_rates(results, missed, options.seconds)
        + workers(run)
        + datasette(run, results)
        + in_process(results)
        + loads(results)
        + generation(results, imports)
    )
    lines = [
        "# Benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; {options.requests} timed requests per page after "
        f"{options.warmup} to warm up; {run['seconds'] / 60:.1f} minutes in all. Reproduce: "
        f"`.venv/bin/python {run['command'].strip()}` (`make bench BENCH_ARGS='...'`).",
        "",
        "Targets missed: " + ("; ".join(missed) if missed else "none") + ".",
        "",
    ]
    return "\n".join(lines + body) + "\n"
