"""The benchmark's report and choices (bench/run.py, served.py, tables.py): what an operator
reads from `make bench` — which databases it measures, which targets it marks as missed, and
what it makes of wrk's output. The measuring itself runs in `make bench`."""

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).resolve().parent.parent / "bench"))

import run
import served
import tables


def page(name, median, is_list=True, statuses=(200,), x_cache=("miss",)):
    return {
        "name": name,
        "url": "/x/",
        "list": is_list,
        "cold_ms": 300.0,
        "cold_status": 200,
        "median_ms": median,
        "p95_ms": median + 5,
        "queries": 2,
        "statuses": list(statuses),
        "x_cache": list(x_cache),
    }


def rate(rps, status=200, x_cache="hit", failed=0):
    return {"rps": rps, "failed": failed, "errors": "", "status": status, "x_cache": x_cache}


def result(engine, size, list_ms=20.0, list_rps=900.0, static_rps=1000.0, statuses=(200,)):
    pages = [page("Visit list", list_ms, statuses=statuses), page("Visit page", 12.0, False)]
    return {
        "engine": engine,
        "size": size,
        "database_bytes": 2**20,
        "busiest": "US",
        "busiest_share": 0.24,
        "common_word": "trade",
        "common_share": 0.33,
        "rare_word": "fisheries",
        "rare_share": 0.04,
        "record_pages": 40,
        "no_records": ["Journey page"],
        "pages": pages,
        "blocks": [{"block": "in process", "load": [1.0, 1.2], "seconds": 30}],
        "http": {
            "server": "gthread, 2 workers × 4 threads",
            "pages": pages,
            "cached": {
                "Visit list": rate(list_rps) | {"tool": "wrk"},
                "Static file": rate(static_rps, x_cache="-") | {"tool": "wrk"},
            },
        },
    }


def report(results, **run_facts):
    options = run.parse(["--requests", "30"])
    facts = {"command": "bench/run.py --reuse", "seconds": 600, "wrk": True} | run_facts
    return tables.report(results, [], facts, options)


def test_a_page_over_50_ms_on_a_target_database_is_marked_and_listed_as_missed():
    text = report([result("sqlite", 100_000, list_ms=72.4)])
    assert "| Visit list | 72.4 / 77.4 (300) ✗ |" in text
    assert "Targets missed: Visit list uncached on SQLite 100,000." in text


def test_the_same_time_on_a_database_without_a_target_is_not_marked():
    text = report([result("sqlite", 10_000, list_ms=72.4)])
    assert "| Visit list | 72.4 / 77.4 (300) |" in text
    assert "Targets missed: none." in text


def test_a_page_that_did_not_answer_200_shows_its_status_and_misses_the_target():
    text = report([result("postgresql", 1_000_000, list_ms=10.0, statuses=(200, 500))])
    assert "10.0 / 15.0 (300) HTTP 500 ✗" in text
    assert "Visit list uncached on PostgreSQL 1,000,000" in text


def test_a_cached_list_under_a_quarter_of_the_static_file_is_marked():
    text = report([result("sqlite", 100_000, list_rps=14.0, static_rps=1135.0)])
    assert "| Visit list | 14 (1%) ✗ |" in text
    assert "| Static file | 1,135 |" in text
    assert "Targets missed: Visit list cached on SQLite 100,000." in text


def test_a_cached_list_at_a_quarter_or_more_passes():
    text = report([result("sqlite", 100_000, list_rps=300.0, static_rps=1000.0)])
    assert "| Visit list | 300 (30%) |" in text
    assert "Targets missed: none." in text


def test_the_share_is_of_the_mean_of_the_static_file_before_and_after_the_lists():
    measured = result("sqlite", 100_000, list_rps=280.0, static_rps=1000.0)
    measured["http"]["cached"]["Static file, after the lists"] = rate(1400.0, x_cache="-")
    text = report([measured])
    assert "| Visit list | 280 (23%) ✗ |" in text
    assert "| Static file, after the lists | 1,400 |" in text


def test_a_list_the_page_cache_did_not_answer_is_named():
    measured = result("sqlite", 100_000)
    measured["http"]["cached"]["Visit list"]["x_cache"] = "-"
    assert "did not answer (no `X-Cache: hit`" in report([measured])


def test_the_report_says_how_to_reproduce_it_and_the_load():
    text = report([result("sqlite", 100_000)])
    assert "Reproduce: `.venv/bin/python bench/run.py --reuse`" in text
    assert "| SQLite 100,000 | in process | 30 | 1.0 → 1.2 |" in text
    assert "No page for Journey page" in text


def test_the_worker_settings_and_datasette_rows():
    datasette = {
        "engine": "sqlite",
        "size": 100_000,
        "version": "datasette, version 0.65.5",
        "url": "/bench_100000/visits_visit?_size=50",
        "variants": [
            {"label": "defaults", "median_ms": 300.0, "p95_ms": 400.0, "cold_ms": 500.0}
            | rate(3.25)
        ],
    }
    workers = [
        {"settings": "sync, 2 workers", "list_rps": 500.0, "static_rps": 800.0},
        {"settings": "gthread, 2 workers × 4 threads", "list_rps": 1100.0, "static_rps": 1200.0},
    ]
    text = report(
        [result("sqlite", 100_000)],
        datasette=datasette,
        workers=workers,
        workers_on=["sqlite", 100_000],
    )
    assert "| sync, 2 workers | 500 | 800 | 62% |" in text
    assert "| gthread, 2 workers × 4 threads | 1,100 | 1,200 | 92% |" in text
    assert "(defaults): `/bench_100000/visits_visit?_size=50` | 300.0 / 400.0 (500) | 3.2 |" in text
    assert "| This site: `/visits/` (uncached; cached) | 20.0 / 25.0 (300) | 900 |" in text


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], [("sqlite", 100_000), ("postgresql", 1_000_000)]),
        (["--quick"], [("sqlite", 100_000)]),
        (["--sizes", "10000"], [("sqlite", 10_000), ("postgresql", 10_000)]),
        (["--engines", "sqlite"], [("sqlite", 10_000), ("sqlite", 100_000)]),
        (["--sizes", "1000000", "--engines", "sqlite,postgresql"], [("postgresql", 1_000_000)]),
    ],
)
def test_which_databases_are_measured(monkeypatch, argv, expected):
    monkeypatch.setattr(run, "postgres_available", lambda: True)
    assert run.pairs(run.parse(argv)) == expected


def test_an_unknown_engine_is_refused_with_a_message(capsys):
    with pytest.raises(SystemExit):
        run.parse(["--engines", "mysql"])
    assert "unknown engine: mysql" in capsys.readouterr().err


WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/visits/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.10ms    1.20ms  20.00ms   90.00%
  6000 requests in 5.00s, 30.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 12
Requests/sec:   1199.52
Transfer/sec:      6.00MB
"""


def test_wrk_figures_and_failures_are_read(monkeypatch):
    monkeypatch.setattr(
        served.subprocess,
        "run",
        lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, WRK_OUTPUT, ""),
    )
    assert served.wrk(8000, "/visits/", 5) == {
        "rps": 1199.5,
        "failed": 12,
        "errors": "connect 0, read 0, write 0, timeout 2",
    }


def test_wrk_that_fails_stops_the_run_with_its_output(monkeypatch):
    monkeypatch.setattr(
        served.subprocess,
        "run",
        lambda *args, **kwargs: subprocess.CompletedProcess(args, 1, "", "unable to connect"),
    )
    with pytest.raises(AssertionError, match="unable to connect"):
        served.wrk(8000, "/visits/", 5)


class Clock:
    """time.monotonic for served.series: each request takes `seconds`."""

    def __init__(self, seconds):
        self.now, self.seconds, self.asked = 0.0, seconds, []

    def monotonic(self):
        return self.now

    def get(self, url):
        self.asked.append(url)
        self.now += self.seconds
        return (self.seconds * 1000, url)


def test_a_fast_page_is_warmed_up_then_timed_as_often_as_asked(monkeypatch):
    clock = Clock(0.02)
    monkeypatch.setattr(served.time, "monotonic", clock.monotonic)
    timed = served.series(clock.get, ["/a/", "/b/"], warmup=3, requests=30)
    assert len(clock.asked) == 33
    assert len(timed) == 30
    assert [url for _, url in timed[:2]] == ["/b/", "/a/"]  # the rotation goes on after warm-up


def test_a_page_of_seconds_is_timed_fewer_times_and_the_report_says_so(monkeypatch):
    clock = Clock(9.0)
    monkeypatch.setattr(served.time, "monotonic", clock.monotonic)
    timed = served.series(clock.get, ["/api/visits/"], warmup=3, requests=30)
    assert len(clock.asked) == 2 + served.MIN_TIMED  # two warm-ups fill the 15 s budget
    assert len(timed) == served.MIN_TIMED
    measured = result("postgresql", 1_000_000)
    measured["http"]["pages"][0] |= served.summary([ms for ms, _ in timed], 30)
    assert "| Visit list | 9000.0 / 9000.0 (300) [3 timed] ✗ |" in report([measured])
