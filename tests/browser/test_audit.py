"""Every page type passes the automated checks, on what a fresh clone serves (the article and
the Office of the Historian's travels): axe-core finds no accessibility violation at 390 and
1280 px, and the Nu Html Checker (vnu.jar) finds no error in the HTML as served.

The checkers come from the npm registry, pinned, into .audit/ (gitignored): `make audit-tools`
installs them, and .ci/run does too. vnu.jar needs Java (Debian's default-jre-headless). Where
they are missing the tests are skipped, except in CI (CI=true), where that is a failure.
"""

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from collections import defaultdict

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOOLS = REPO_ROOT / ".audit" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTHS = {390: 844, 1280: 900}
ARTICLE_VISIT = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"


def pages():
    """Every page type, filtered and unfiltered: (name, address, status)."""
    from visits.models import Agreement, Meeting, Organization, Person, Source, Visit

    def first(model, **lookup):
        return model.objects.filter(**lookup).order_by("pk").first().get_absolute_url()

    return [
        ("home", "/", 200),
        ("visits", "/visits/", 200),
        ("visits filtered", "/visits/?country=AZ&date_after=2020-01-01&sort=date", 200),
        ("visits searched", "/visits/?q=paris", 200),
        ("visits, nothing matches", "/visits/?country=AZ&year=1950", 200),
        ("visits page 2", "/visits/?page=2", 200),
        ("meetings", "/meetings/", 200),
        ("meetings filtered", "/meetings/?country=UZ", 200),
        ("agreements", "/agreements/", 200),
        ("agreements filtered", "/agreements/?in_force_on=2026-06-01", 200),
        ("organizations", "/organizations/", 200),
        ("organizations filtered", "/organizations/?country=AZ", 200),
        ("people", "/people/", 200),
        ("people filtered", "/people/?q=aliyev", 200),
        ("countries", "/countries/", 200),
        ("countries, all", "/countries/?all=on", 200),
        ("journeys", "/journeys/", 200),
        ("journeys filtered", "/journeys/?year=1996", 200),
        ("visit", Visit.objects.get(slug=ARTICLE_VISIT).get_absolute_url(), 200),
        ("visit of the Historian", first(Visit, slug__startswith="hsg-"), 200),
        ("meeting", first(Meeting), 200),
        ("agreement", first(Agreement), 200),
        ("organization", first(Organization, slug="general-prosecutors-office-of-uzbekistan"), 200),
        ("person", first(Person, slug="kamran-aliyev"), 200),
        ("country", "/countries/az/", 200),
        ("country with many partners", "/countries/us/", 200),
        ("source", first(Source), 200),
        ("journey", "/journeys/christopher-warren-minor-1996-04-15/", 200),
        ("country pair", "/countries/az/uz/", 200),
        ("country pair, many visits", "/countries/us/fr/", 200),
        ("bad filter (400)", "/visits/?date_after=nope", 400),
        ("bad page (400)", "/meetings/?page=x", 400),
        ("not found (404)", "/visits/no-such-visit/", 404),
        ("API documentation", "/api/", 200),
    ]


# Pages that no address gives on demand, rendered as the error handler renders them.
ERROR_TEMPLATES = {"server error (500)": "500.html", "database unreachable (503)": "503.html"}


def error_pages():
    from django.template.loader import render_to_string

    return {name: render_to_string(template) for name, template in ERROR_TEMPLATES.items()}


def unavailable(message):
    """A checker is missing: a skip on a developer's machine, a failure in CI, which installs
    them all."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require(path, what):
    if not path.exists():
        unavailable(f"{what} not found at {path} (run `make audit-tools`)")


def report(problems):
    """Problems grouped by what is wrong, each with the pages where it is."""
    lines = []
    for problem, places in sorted(problems.items()):
        lines.append(problem)
        lines += [f"    {place}" for place in places[:12]]
        if len(places) > 12:
            lines.append(f"    … and {len(places) - 12} more")
    return "\n".join(lines)


AXE_RUN = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    if (!results.passes.length) throw new Error("axe checked nothing");
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map(n => n.target.join(" ") + "  " + (n.failureSummary || "")
            .replace(/\\s+/g, " ").slice(0, 160)),
    }));
}"""


def audit(page, where, problems):
    """axe-core's violations on the page shown, added to `problems` by rule."""
    page.add_script_tag(path=AXE)
    for violation in page.evaluate(AXE_RUN):
        rule = f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for target in violation["targets"][:3]:
            problems[rule].append(f"{where}: {target}")


def test_axe_finds_no_violation_on_any_page(browser, live_server, default_data):
    require(AXE, "axe-core")
    problems = defaultdict(list)
    for width, height in WIDTHS.items():
        # The site's Content-Security-Policy forbids a script it did not send; the audit's own
        # context lets axe in.
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        try:
            page = context.new_page()
            for name, address, status in pages():
                response = page.goto(live_server.url + address)
                if response.status != status:
                    problems[f"status {response.status}, not {status}"].append(f"{name} {address}")
                    continue
                audit(page, f"{name} {address} @{width}px", problems)
            for name, html in error_pages().items():
                page.goto(live_server.url + "/")  # the address its stylesheet is read from
                page.set_content(html)
                audit(page, f"{name} @{width}px", problems)
        finally:
            context.close()
    if problems:
        pytest.fail("axe-core found violations:\n" + report(problems), pytrace=False)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_nu_html_checker_finds_no_error_on_any_page(live_server, default_data, tmp_path):
    java = shutil.which("java")
    if not java:
        unavailable("java not found (install Debian's default-jre-headless)")
    require(VNU, "vnu.jar")
    files = {}
    problems = defaultdict(list)
    for number, (name, address, status) in enumerate(pages()):
        got, body = fetch(live_server.url + address)
        if got != status:
            problems[f"status {got}, not {status}"].append(f"{name} {address}")
            continue
        path = tmp_path / f"page-{number:02}.html"
        path.write_bytes(body)
        files[f"file:{path}"] = f"{name} {address}"
    for number, (name, html) in enumerate(error_pages().items()):
        path = tmp_path / f"error-{number}.html"
        path.write_text(html)
        files[f"file:{path}"] = name
    # A page with known errors, to prove that the checker read the files.
    canary = tmp_path / "canary.html"
    canary.write_text("<!DOCTYPE html><html lang=en><title>t</title><p><span></p>")
    # One Java process for every page: the JVM's start is most of the time.
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json"]
        + [url.removeprefix("file:") for url in files]
        + [str(canary)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert any(m.get("url") == f"file:{canary}" for m in messages), result.stderr[-2000:]
    for message in messages:
        if message.get("url") == f"file:{canary}":
            continue
        where = files.get(message.get("url"), message.get("url", "?"))
        extract = " ".join(message.get("extract", "").split())[:100]
        problems[message["message"]].append(f"{where} line {message.get('lastLine')}: {extract}")
    if problems:
        pytest.fail("The Nu Html Checker found errors:\n" + report(problems), pytrace=False)
