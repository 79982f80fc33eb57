"""An editor enters the whole seed article through the admin, from a database that holds only
the countries: the bodies, the people and the source first, then the visit with its delegation,
its two meetings with their participants and the programme signed with its signatories, all on
the visit's page, and the treaty the article refers to on the agreement page. The records saved
then equal the seed fixture's, field by field."""

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import serializers
from playwright.sync_api import Page, expect

from .conftest import REPO_ROOT
from .test_screenshots import keep

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FIXTURE = REPO_ROOT / "fixtures" / "azertac-2025-09-25-prosecutor-general-visit.json"
# What tells two records of a model apart in the fixture (a slug, unless named here).
KEYS = {
    "visits.delegation": ["visit"],
    "visits.meetingparticipant": ["meeting", "person"],
    "visits.signatory": ["agreement", "person"],
}
PASSWORD = "a-long-pass-phrase-1"


def key(entry):
    return (
        entry["model"],
        *(json.dumps(entry["fields"][name]) for name in KEYS.get(entry["model"], ["slug"])),
    )


def article():
    """The fixture's records by model and key, and their fields."""
    return {key(entry): entry["fields"] for entry in json.loads(FIXTURE.read_text())}


def records():
    """The records in the database, as the fixture writes them (natural keys)."""
    from visits import models

    saved = []
    for model in (
        models.Organization,
        models.Person,
        models.Source,
        models.Visit,
        models.Delegation,
        models.Meeting,
        models.MeetingParticipant,
        models.Agreement,
        models.Signatory,
    ):
        saved += json.loads(
            serializers.serialize(
                "json",
                model.objects.all(),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
    return {key(entry): entry["fields"] for entry in saved}


def same(value):
    """A field's value, with the members of a many-to-many field in one order."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        return sorted(value)
    return value


def choose(page: Page, select_id: str, search: str, option: str | None = None):
    """Pick an option of an autocomplete list (select2) as an editor does: open it, type a
    few words of the name (the search reads an apostrophe as a quote: words after it), click
    the option. Each request is awaited: one that the browser drops is still served, and the
    live server's in-memory SQLite cannot serve two requests at once."""

    def answer(term):
        def matches(response):
            query = parse_qs(urlparse(response.url).query, keep_blank_values=True)
            return "/autocomplete/" in response.url and query.get("term", [""]) == [term]

        return page.expect_response(matches)

    with answer(""):
        page.locator(f"#{select_id} + .select2 .select2-selection").click()
    with answer(search):
        page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(
        "li.select2-results__option",
        has_text=re.compile(rf"^{re.escape(option or search)}$"),
    ).click()
    expect(page.locator(f"#{select_id} option:checked", has_text=option or search)).to_have_count(1)


def choose_body(page: Page, select_id: str, name: str):
    """Pick an organization, found by the last words of its name."""
    choose(page, select_id, " ".join(name.split()[-2:]), name)


def fill(page: Page, fields: dict, prefix=""):
    """Type into text fields; a slug first, as the article gives it, so that the admin does
    not fill it from the title meanwhile."""
    for name, value in sorted(fields.items(), key=lambda item: item[0] != "slug"):
        page.locator(f"#id_{prefix}{name}").fill(value)
    for name, value in fields.items():
        expect(page.locator(f"#id_{prefix}{name}")).to_have_value(value)


def save(page: Page):
    page.locator("input[name=_save]").click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()


def add_organization(page: Page, url, facts, country=None, parent=None):
    page.goto(f"{url}/admin/visits/organization/add/")
    fill(page, {name: facts[name] for name in ("name", "slug", "short_name")})
    page.locator("#id_classification").select_option(facts["classification"])
    if country:
        choose(page, "id_country", country)
    if parent:
        choose(page, "id_parent", parent)
    save(page)


def add_row(page: Page, group: str, model: str):
    """Add a row to a section of the visit's page ("Add another …")."""
    page.locator(f"#{group}-group .djn-add-handler.djn-model-visits-{model}").click()


def test_an_editor_enters_the_seed_article_through_the_admin(
    page: Page, live_server, artifacts_dir
):
    from django.contrib.auth.models import User

    from visits import models

    facts = article()

    def fact(model, slug):
        return facts[(f"visits.{model}", json.dumps(slug))]

    org = {
        slug: fact("organization", slug)
        for slug in (
            "azertac",
            "prosecutor-generals-office-of-azerbaijan",
            "general-prosecutors-office-of-uzbekistan",
            "organization-of-turkic-states",
            "general-prosecutors-council-of-the-organization-of-turkic-states",
        )
    }
    visit = fact("visit", "2025-09-24-azerbaijan-uzbekistan-prosecutor-general")
    bilateral = fact(
        "meeting", "2025-09-azerbaijan-uzbekistan-prosecutors-general-bilateral-meeting"
    )
    council = fact(
        "meeting", "4th-meeting-general-prosecutors-council-organization-of-turkic-states"
    )
    programme = fact("agreement", "azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027")
    treaty = fact("agreement", "2024-08-23-azerbaijan-uzbekistan-treaty-on-allied-relations")
    assert not models.Person.objects.exists() and not models.Organization.objects.exists()
    User.objects.create_superuser("editor", "e@example.org", PASSWORD)
    url = live_server.url

    page.goto(f"{url}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Beforehand: the bodies, one of the people and the source, each on its own add page.
    add_organization(page, url, org["azertac"])
    add_organization(page, url, org["prosecutor-generals-office-of-azerbaijan"], "Azerbaijan")
    add_organization(page, url, org["general-prosecutors-office-of-uzbekistan"], "Uzbekistan")
    add_organization(page, url, org["organization-of-turkic-states"])
    add_organization(
        page,
        url,
        org["general-prosecutors-council-of-the-organization-of-turkic-states"],
        parent="Organization of Turkic States",
    )
    page.goto(f"{url}/admin/visits/person/add/")
    fill(page, {"name": "Kamran Aliyev", "slug": "kamran-aliyev"})
    choose(page, "id_country", "Azerbaijan")
    save(page)
    page.goto(f"{url}/admin/visits/source/add/")
    fill(
        page,
        {"slug": "azertac-2025-09-25-prosecutor-general-visit", "dateline": "Baku"}
        | {"published_on": "2025-09-25"},
    )
    choose(page, "id_publisher", "AZERTAC")
    save(page)
    source = "AZERTAC, Baku, 25 September 2025"

    # The visit's page: everything the article says about the visit.
    page.goto(f"{url}/admin/visits/visit/add/")
    fill(page, {name: visit[name] for name in ("title", "slug", "places", "summary")})
    fill(page, {"start_date": visit["start_date"]})
    page.locator("#id_kind").select_option(visit["kind"])
    choose(page, "id_guest_country", "Azerbaijan")
    choose(page, "id_host_country", "Uzbekistan")
    choose(page, "id_sources", "AZERTAC", source)
    choose(page, "id_delegation-0-head", "Kamran", "Kamran Aliyev")
    fill(page, {"delegation-0-head_office": "Prosecutor General"})

    for index, meeting in enumerate((bilateral, council)):
        prefix = f"meetings-{index}-"
        add_row(page, "meetings", "meeting")
        fill(page, {name: meeting[name] for name in ("title", "slug", "place", "summary")}, prefix)
        fill(page, {"date": "2025-09", "position": str(meeting["position"])}, prefix)
        page.locator(f"#id_{prefix}kind").select_option(meeting["kind"])
        choose(page, f"id_{prefix}country", "Uzbekistan")
        choose(page, f"id_{prefix}sources", "AZERTAC", source)
        for _row in range(2):
            add_row(page, f"meetings-{index}-participants", "meetingparticipant")
    choose_body(
        page, "id_meetings-0-host_organization", "General Prosecutor's Office of Uzbekistan"
    )
    choose_body(
        page,
        "id_meetings-1-body",
        org["general-prosecutors-council-of-the-organization-of-turkic-states"]["name"],
    )
    fill(page, {"meetings-1-ordinal": "4"})

    # Nigmatilla Yuldashev is new: added with the "+" beside the list, in a popup window, the
    # editor staying on the visit's page.
    with page.expect_popup() as opened:
        page.locator("#add_id_meetings-0-participants-0-person").click()
    popup = opened.value
    fill(popup, {"name": "Nigmatilla Yuldashev", "slug": "nigmatilla-yuldashev"})
    choose(popup, "id_country", "Uzbekistan")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")
    expect(page.locator("#id_meetings-0-participants-0-person option:checked")).to_have_text(
        "Nigmatilla Yuldashev"
    )
    participants = [
        ("general-prosecutors-office-of-uzbekistan", "Nigmatilla Yuldashev", "organizer"),
        ("prosecutor-generals-office-of-azerbaijan", "Kamran Aliyev", "speaker"),
    ]
    for meeting in range(2):
        for row, (body, name, role) in enumerate(participants):
            prefix = f"meetings-{meeting}-participants-{row}-"
            if (meeting, row) != (0, 0):
                choose(page, f"id_{prefix}person", name.split()[0], name)
            fill(page, {"office": "Prosecutor General"}, prefix)
            choose_body(page, f"id_{prefix}organization", org[body]["name"])
            if meeting == 1:
                page.locator(f"#id_{prefix}role").select_option(role)

    add_row(page, "agreements", "agreement")
    prefix = "agreements-0-"
    fill(page, {name: programme[name] for name in ("title", "slug", "summary")}, prefix)
    fill(page, {"signed_on": "2025-09", "valid_from": "2026", "valid_until": "2027"}, prefix)
    page.locator(f"#id_{prefix}kind").select_option(programme["kind"])
    for body in (
        "prosecutor-generals-office-of-azerbaijan",
        "general-prosecutors-office-of-uzbekistan",
    ):
        choose_body(page, f"id_{prefix}party_organizations", org[body]["name"])
    choose(page, f"id_{prefix}sources", "AZERTAC", source)
    for row, (body, name, _role) in enumerate(participants):
        add_row(page, "agreements-0-signatories", "signatory")
        signatory = f"{prefix}signatories-{row}-"
        choose(page, f"id_{signatory}person", name.split()[0], name)
        fill(page, {"office": "Prosecutor General"}, signatory)
        choose_body(page, f"id_{signatory}organization", org[body]["name"])
    save(page)

    # The treaty the article refers to, signed before the visit: on the agreement page.
    page.goto(f"{url}/admin/visits/agreement/add/")
    fill(page, {name: treaty[name] for name in ("title", "slug", "summary", "signed_place")})
    fill(page, {"signed_on": "2024-08-23"})
    page.locator("#id_kind").select_option(treaty["kind"])
    for country in ("Azerbaijan", "Uzbekistan"):
        choose(page, "id_party_countries", country)
    choose(page, "id_signed_country", "Uzbekistan")
    choose(page, "id_sources", "AZERTAC", source)
    save(page)

    # The visit's page as the editor finds it again, kept for the README.
    page.goto(f"{url}/admin/visits/visit/{models.Visit.objects.get().pk}/change/")
    expect(page.locator("#id_meetings-1-ordinal")).to_have_value("4")
    page.screenshot(path=artifacts_dir / "admin-visit-page.png", full_page=True)
    keep(artifacts_dir / "admin-visit-page.png")
    # Its rows fit beside the admin's sidebar at 1280 px: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    saved = records()
    assert sorted(saved) == sorted(facts)
    for record, fields in facts.items():
        for name, value in fields.items():
            assert same(saved[record][name]) == same(value), (record, name)
