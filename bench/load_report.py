"""The load test's report (bench/load.py): figures per phase and kind of request, the editor's
saves, and what happened while PostgreSQL was down, as Markdown."""

import collections
import datetime
import os
import platform
import statistics
import subprocess

from load_clients import MIX

from tests.servers import GUNICORN


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary_row(label, results, seconds):
    latencies = [r.latency * 1000 for r in results if r.status is not None]
    errors = [r for r in results if not r.ok]
    return (
        f"| {label} | {len(results):,} | {len(results) / seconds:,.1f} | "
        f"{statistics.median(latencies) if latencies else float('nan'):,.1f} | "
        f"{percentile(latencies, 0.95):,.1f} | {max(latencies, default=float('nan')):,.0f} | "
        f"{len(errors)} | {sum(1 for r in results if r.status and r.status >= 500)} |"
    )


def phase_report(phase):
    lines = [
        f"### Phase: {phase.name}",
        "",
        "| Requests | Count | Per second | Median ms | 95th pct ms | Max ms | Errors | 5xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        summary_row("**all**", phase.results, phase.seconds),
    ]
    by_kind = collections.defaultdict(list)
    for result in phase.results:
        by_kind[result.kind].append(result)
    for kind in MIX:
        lines.append(summary_row(kind, by_kind.get(kind, []), phase.seconds))
    lines.append(summary_row("admin save (editor)", phase.editor.results, phase.seconds))
    arrived, missing = phase.editor.check()
    lines += [
        "",
        f"Editor: {len(phase.editor.acknowledged)} edits acknowledged (302), "
        f"{len(arrived)} found in the database, {len(missing)} missing"
        + (f" (visit ids {missing[:10]})" if missing else "")
        + f"; {len(phase.editor.failed)} attempts not saved and tried again.",
    ]
    kinds = collections.Counter(
        r.error if r.status is None else str(r.status) for r in phase.results if r.status != 200
    )
    if kinds:
        lines.append("Failures by kind: " + ", ".join(f"{k}: {n}" for k, n in kinds.most_common()))
    for when, visit_id, problem in phase.editor.failed[:5]:
        lines.append(f"- editor at {when - phase.started:.1f} s, visit {visit_id}: {problem}")
    if phase.events:
        lines += fault_report(phase)
    return lines


def fault_report(phase):
    events = {name: moment - phase.started for name, moment in phase.events.items()}
    down_from, up_at = phase.events["stop"], phase.events["accepting"]
    during = [r for r in phase.results if r.finished >= down_from and r.started <= up_at]
    failed = [r for r in during if r.status != 200]
    clean = sum(1 for r in failed if r.clean_503)
    other_5xx = sum(1 for r in failed if r.status and r.status >= 500 and not r.clean_503)
    no_response = sum(1 for r in failed if r.status is None)
    other_status = sum(1 for r in failed if r.status and r.status < 500)
    # The first 200 to a request that needed the database after it went down.
    first_ok = min(
        (r.finished for r in phase.results if r.status == 200 and r.started >= down_from),
        default=None,
    )
    last_failure = max(
        (r.finished for r in phase.results if r.status != 200 and r.finished > up_at),
        default=None,
    )
    if first_ok is None:
        recovery = "no 200 after PostgreSQL came back"
    else:
        recovery = f"the first 200 came {1000 * (first_ok - up_at):,.0f} ms after PostgreSQL"
        recovery += " accepted connections again"
    if last_failure is None:
        recovery += "; no request failed after that"
    else:
        recovery += f"; the last failure ended {1000 * (last_failure - up_at):,.0f} ms after it"
    lines = [
        "",
        f"PostgreSQL: stop issued at {events['stop']:.1f} s, down at {events['stopped']:.1f} s, "
        f"start issued at {events['start']:.1f} s, accepting connections at "
        f"{events['accepting']:.1f} s (outage {up_at - down_from:.1f} s).",
        "",
        "| During the outage | Requests |",
        "| --- | ---: |",
        f"| In flight or made | {len(during):,} |",
        f"| Failed | {len(failed):,} |",
        f"| … a clean 503 page (layout, “temporarily unavailable”, no traceback) | {clean:,} |",
        f"| … another 5xx | {other_5xx:,} |",
        f"| … no response (refused, reset, cut short) | {no_response:,} |",
        f"| … another status | {other_status:,} |",
        "",
        f"Recovery: {recovery}.",
        "",
        "Per second (from the start of the phase): 200 / clean 503 / other failures",
        "",
        "```",
    ]
    seconds = collections.defaultdict(collections.Counter)
    for r in phase.results:
        bucket = int(r.finished - phase.started)
        seconds[bucket]["ok" if r.status == 200 else "503" if r.clean_503 else "other"] += 1
    for second in range(int(events["stop"]) - 2, int(events["accepting"]) + 4):
        counts = seconds.get(second, {})
        lines.append(
            f"{second:3d} s  {counts.get('ok', 0):5d} {counts.get('503', 0):5d} "
            f"{counts.get('other', 0):5d}"
        )
    lines.append("```")
    return lines


def report(database, setup, phases, options, elapsed):
    [(versions,)] = database.admin("SHOW server_version")
    gunicorn_version = subprocess.run(
        [str(GUNICORN), "--version"], capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "# Load test",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s in all: "
        f"`bench/load.py --clients {options.clients} --seconds {options.seconds}`. "
        f"{os.cpu_count()} CPUs ({platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}), the load generator on the same machine.",
        f"Server: {gunicorn_version}, {options.workers} sync workers, debug off, persistent "
        f"database connections, {setup['cache']} as the cache; PostgreSQL {versions} on "
        f"loopback. Data: {setup['filled']} ({setup['visits']:,} visits).",
        "",
        "Errors are requests without a 200 (no response, or any other status). Latency is from "
        "sending the request to reading the whole body, exports included.",
        "",
    ]
    for phase in phases:
        lines += [*phase_report(phase), ""]
    return "\n".join(lines)
