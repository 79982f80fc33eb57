"""The benchmark through the real server: gunicorn as `make serve` runs it (-c
python:visits.gunicorn, production settings: debug off, whitenoise serving collectstatic's
hashed, compressed files, DJANGO_CONN_MAX_AGE=600, each worker's memory as the cache), on one
benchmark database. Imported by bench/run.py.

- Uncached (DJANGO_PAGE_CACHE=0), cold: for each page type, gunicorn started afresh with one
  worker (an empty cache, nothing rendered yet), asked for /healthz until it answers, then the
  page once.
- Uncached, warm: one gunicorn with make serve's workers; one client on one keep-alive
  connection (as a browser), WARMUP requests then REQUESTS timed, per page type.
- Cached (the page cache on): requests a second with `wrk -t1 -c4 -d5s` on each list and on a
  static file (the ratio list / static is the target), after a few requests that fill the cache.
- Worker settings: the cached visit list and the static file with sync and gthread workers.
- Datasette's table view of the same SQLite file, as a reference (bench/reference.py).

Every request says Accept-Encoding: gzip, as browsers do. The 1-minute load average is noted
before and after each block.
"""

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import threading
import time

from rootpath import ROOT

from tests.servers import Server, environment, manage

RESULTS = ROOT / "bench-results"
CONFIG = "python:visits.gunicorn"
HEADERS = {"Accept-Encoding": "gzip"}
CONNECTIONS = 4  # wrk -c4, and the in-tree client's threads
# Compared: sync workers, and make serve's threaded workers with 4 and 8 threads.
WORKER_THREADS = [4, 8]
STATIC = "Static file"
STATIC_AFTER = "Static file, after the lists"
STATIC_FILE = "css/site.css"
BUDGET = 15  # seconds per page, after which a slow page is timed MIN_TIMED times only
MIN_TIMED = 3


def log(message):
    print(message, flush=True)


def load():
    return round(os.getloadavg()[0], 2)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, round(fraction * len(ordered) + 0.5) - 1)]


def series(get, urls, warmup, requests, budget=BUDGET):
    """`warmup` requests, then `requests` timed, rotating over `urls`; `get(url)` returns
    (ms, ...). A slow page stops warming up once `budget` seconds have gone, and stops being
    timed then once MIN_TIMED requests are: [(ms, ...)] of the timed ones."""
    deadline = time.monotonic() + budget
    done, timed = 0, []
    while len(timed) < requests:
        over = time.monotonic() > deadline
        if over and (done >= 1 if done < warmup else len(timed) >= MIN_TIMED):
            if done >= warmup:
                break
            done = warmup  # enough warming up for a page this slow
            continue
        answer = get(urls[done % len(urls)])
        if done >= warmup:
            timed.append(answer)
        done += 1
    return timed


def summary(times, requested):
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "timed": len(times),
        "requested": requested,
    }


def serve_settings():
    """make serve's workers, as visits/gunicorn.py has them: (class, workers, threads)."""
    from visits import gunicorn

    return gunicorn.worker_class, gunicorn.workers, gunicorn.threads


def describe(worker_class, workers, threads):
    if worker_class == "sync":
        return f"sync, {workers} workers"
    return f"{worker_class}, {workers} workers × {threads} threads"


# HTTP --------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection, as a browser keeps one; opened again when the server closes
    it (sync workers close every connection)."""

    def __init__(self, port, timeout=120):
        self.port = port
        self.timeout = timeout
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def get(self, path):
        """(milliseconds, status, headers with lower-case names, body bytes)."""
        reused = self.connection is not None
        if not reused:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, self.timeout)
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=HEADERS)
            response = self.connection.getresponse()
            body = response.read()
        except (http.client.RemoteDisconnected, ConnectionError):
            self.close()
            if not reused:
                raise
            return self.get(path)  # the server had closed the kept connection: once more
        elapsed = (time.perf_counter() - started) * 1000
        if response.will_close:
            self.close()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return elapsed, response.status, headers, len(body)


def fetch(client, path):
    """client.get(path), or status 0 (no answer) when the server does not answer in time."""
    started = time.perf_counter()
    try:
        return client.get(path)
    except OSError:
        client.close()
        return (time.perf_counter() - started) * 1000, 0, {}, 0


def wrk_available():
    return shutil.which("wrk") is not None


def wrk(port, path, seconds):
    """Requests a second over CONNECTIONS connections for `seconds`, by wrk."""
    result = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",  # a slower answer counts (wrk's default leaves out those over 2 s)
            "60s",
            *(item for name, value in HEADERS.items() for item in ("-H", f"{name}: {value}")),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    found = re.search(r"Requests/sec:\s*([\d.]+)", result.stdout)
    if result.returncode != 0 or not found:
        raise AssertionError(f"wrk failed on {path}:\n{result.stdout}\n{result.stderr}")
    failed = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", result.stdout)
    errors = re.search(r"Socket errors:(.*)", result.stdout)
    return {
        "rps": round(float(found.group(1)), 1),
        "failed": int(failed.group(1)) if failed else 0,
        "errors": errors.group(1).strip() if errors else "",
    }


def python_client(port, path, seconds):
    """wrk's figure from CONNECTIONS threads of this process: slower than wrk (one Python
    process makes every request), so it understates the server."""
    deadline = time.monotonic() + seconds
    counts = [[0, 0] for _ in range(CONNECTIONS)]

    def run(count):
        client = Client(port, timeout=30)
        while time.monotonic() < deadline:
            status = client.get(path)[1]
            count[0 if status == 200 else 1] += 1
        client.close()

    threads = [threading.Thread(target=run, args=(count,)) for count in counts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "rps": round(sum(ok for ok, _ in counts) / seconds, 1),
        "failed": sum(bad for _, bad in counts),
        "errors": "",
    }


def throughput(port, path, seconds):
    result = wrk(port, path, seconds) if wrk_available() else python_client(port, path, seconds)
    return result | {"tool": "wrk" if wrk_available() else "python"}


# The server --------------------------------------------------------------------------------


def collect_static(database_url):
    """collectstatic into STATIC_ROOT (staticfiles/, as `make serve` does); the hashed address
    of STATIC_FILE from its manifest."""
    manage(environment(database_url, DJANGO_PLAIN_STATIC=None), "collectstatic", "--no-input")
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][STATIC_FILE]


def site_env(database, page_cache):
    return environment(
        database.url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_PLAIN_STATIC=None,  # whitenoise serves collectstatic's files, as in production
        DJANGO_CONN_MAX_AGE=600,
        DJANGO_PAGE_CACHE=None if page_cache else "0",
    )


def gunicorn(env, workers, worker_class, threads):
    RESULTS.mkdir(exist_ok=True)
    return Server(
        env,
        RESULTS,
        workers=workers,
        name="bench-gunicorn",
        worker_class=worker_class,
        threads=threads,
        config=CONFIG,
        access_log=False,  # as make serve: the site logs each request itself
        ready_path="/healthz",
    ).start(timeout=120)


class Block:
    """A block of measurements: the load average before and after it, and its seconds."""

    def __init__(self, name, into):
        self.name, self.into = name, into

    def __enter__(self):
        self.started, self.before = time.monotonic(), load()
        return self

    def __exit__(self, *exc):
        self.into.append(
            {
                "block": self.name,
                "load": [self.before, load()],
                "seconds": round(time.monotonic() - self.started, 1),
            }
        )


# The measurements --------------------------------------------------------------------------


def cold(env, pages, settings):
    """Each page's first request to a gunicorn just started (one worker, empty cache)."""
    worker_class, _, threads = settings
    found = {}
    for page in pages:
        server = gunicorn(env, 1, worker_class, threads)
        try:
            client = Client(server.port)
            elapsed, status, _, _ = fetch(client, page["urls"][0])
            client.close()
        finally:
            server.stop()
        found[page["name"]] = {"cold_ms": round(elapsed, 1), "cold_status": status}
    return found


def warm(env, pages, settings, requests, warmup):
    """Median and 95th percentile of `requests` sequential requests per page, after `warmup`."""
    server = gunicorn(env, settings[1], settings[0], settings[2])
    found = {}
    try:
        client = Client(server.port)
        for page in pages:
            answers = series(lambda url: fetch(client, url), page["urls"], warmup, requests)
            found[page["name"]] = summary([ms for ms, *_ in answers], requests) | {
                "statuses": sorted({status for _, status, _, _ in answers}),
                "x_cache": sorted({headers.get("x-cache", "-") for _, _, headers, _ in answers}),
                "bytes": answers[-1][3],
            }
        client.close()
    finally:
        server.stop()
    return found


def fill(port, path, times=2 * CONNECTIONS):
    """Requests on fresh connections, so that every worker has the page (and the last one's
    X-Cache header, which says whether the page cache answered)."""
    for _ in range(times):
        client = Client(port)
        _, status, headers, _ = client.get(path)
        client.close()
    return status, headers.get("x-cache", "-")


def cached(env, targets, settings, seconds):
    """Requests a second on each of `targets` [(name, path)], with the page cache on."""
    server = gunicorn(env, settings[1], settings[0], settings[2])
    found = {}
    try:
        for name, path in targets:
            status, x_cache = fill(server.port, path)
            found[name] = throughput(server.port, path, seconds) | {
                "status": status,
                "x_cache": x_cache,
                "path": path,
            }
            log(
                f"   {name:<40} {found[name]['rps']:8.1f} requests/s "
                f"(X-Cache: {x_cache}, failed {found[name]['failed']})"
            )
    finally:
        server.stop()
    return found


def through_gunicorn(database, pages, static, options, blocks):
    """Every measurement through gunicorn on `database`; `pages` from bench/pages.py."""
    settings = serve_settings()
    log(f"   gunicorn -c {CONFIG}: {describe(*settings)}")
    uncached = site_env(database, page_cache=False)
    with Block("gunicorn, uncached, cold", blocks):
        colds = cold(uncached, pages, settings)
    with Block("gunicorn, uncached, warm", blocks):
        warms = warm(uncached, pages, settings, options.requests, options.warmup)
    rows = []
    for page in pages:
        row = {"name": page["name"], "url": page["urls"][0], "list": page["list"]}
        row |= colds[page["name"]] | warms[page["name"]]
        rows.append(row)
        log(
            f"   {row['name']:<40} median {row['median_ms']:7.1f} ms   p95 {row['p95_ms']:7.1f} "
            f"ms   cold {row['cold_ms']:7.1f} ms   HTTP {','.join(map(str, row['statuses']))}"
        )
    # The static file before and after the lists: their ratio is to the mean of the two, and
    # two figures far apart say that the machine's load changed meanwhile.
    lists = [(p["name"], p["urls"][0]) for p in pages if p["list"]]
    targets = [(STATIC, static), *lists, (STATIC_AFTER, static)]
    with Block("gunicorn, cached, requests/s", blocks):
        rates = cached(site_env(database, page_cache=True), targets, settings, options.seconds)
    return {"server": describe(*settings), "pages": rows, "cached": rates}


def static_rps(rates):
    """The static file's requests a second: the mean of its figures before and after."""
    figures = [rates[name]["rps"] for name in (STATIC, STATIC_AFTER) if name in rates]
    return sum(figures) / len(figures)


def worker_settings(database, pages, static, options, blocks):
    """The cached visit list, between two runs on the static file, with sync workers and
    with make serve's threaded workers and WORKER_THREADS threads."""
    visits = next(p["urls"][0] for p in pages if p["name"] == "Visit list")
    worker_class, workers, _ = serve_settings()
    found = []
    with Block("gunicorn, worker settings", blocks):
        for settings in [("sync", workers, 1)] + [
            (worker_class, workers, threads) for threads in WORKER_THREADS
        ]:
            log(f"   {describe(*settings)}")
            rates = cached(
                site_env(database, page_cache=True),
                [(STATIC, static), ("Visit list", visits), (STATIC_AFTER, static)],
                settings,
                options.seconds,
            )
            found.append(
                {
                    "settings": describe(*settings),
                    "list_rps": rates["Visit list"]["rps"],
                    "static_rps": round(static_rps(rates), 1),
                    "static_each": [rates[STATIC]["rps"], rates[STATIC_AFTER]["rps"]],
                    "tool": rates["Visit list"]["tool"],
                }
            )
    return found
