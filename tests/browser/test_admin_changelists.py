"""The admin's lists in Chromium at 1280 px, with 5,000 visits: the dates in the first screen,
the country filter typed into (the admin's autocomplete) or, without JavaScript, chosen from a
plain select; axe-core finds nothing on the lists the project customises; the icon loads."""

from collections import defaultdict

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.admin.test_changelists import many_visits

from .test_audit import AXE, audit, report, require

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 1280
DATE_CELLS = (
    "#result_list th.column-start_date, #result_list th.column-end_date, "
    "#result_list td.field-start_date, #result_list td.field-end_date"
)
BOXES = "cells => cells.map(cell => { const box = cell.getBoundingClientRect(); "
BOXES += "return [box.left, box.right, box.top, box.bottom]; })"


def sign_in(context, live_server):
    """The browser's context signed in as an editor with every right (a superuser)."""
    user = User.objects.create_superuser("editor", password="a-long-pass-phrase")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def visit_list(live_server, **query):
    address = live_server.url + reverse("admin:visits_visit_changelist")
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()))


def test_5000_visits_at_1280_px_dates_in_the_first_screen_and_a_country_typed(page, live_server):
    many_visits(5000)
    sign_in(page.context, live_server)
    page.goto(visit_list(live_server))
    boxes = page.eval_on_selector_all(DATE_CELLS, BOXES)
    assert len(boxes) == 2 + 2 * 100  # the headers and a page of rows
    outside = [box for box in boxes if box[0] < 0 or box[1] > WIDTH]
    assert not outside, f"date cells beyond {WIDTH} px: {outside[:3]}"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    # A title is one line, however long: the first row's height is one line's.
    title, start = page.eval_on_selector_all(
        "#result_list tbody tr:first-child .field-title, "
        "#result_list tbody tr:first-child .field-start_date",
        BOXES,
    )
    assert title[3] - title[2] <= 2 * (start[3] - start[2])
    assert page.locator("#result_list tbody tr:first-child .one-line").get_attribute("title")

    # The guest country, typed into the admin's autocomplete and chosen.
    page.locator("#filter-guest_country + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill("Afghan")
    page.locator(".select2-results__option", has_text="Afghanistan").click()
    page.locator("#filter-guest_country").locator("xpath=ancestor::form").get_by_role(
        "button", name="Filter"
    ).click()
    page.wait_for_url("**guest_country__id__exact=*")
    guests = page.locator("#result_list td.field-guest_country abbr").all_inner_texts()
    assert guests and set(guests) == {"AF"}

    # The icon the admin's pages name, and the one browsers ask for.
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200
    favicon = page.request.get(live_server.url + "/favicon.ico")
    assert favicon.status == 200
    assert favicon.headers["content-type"].startswith("image/svg+xml")


def test_without_javascript_the_country_is_chosen_from_a_select(page_no_js, live_server):
    factories.visit(guest="AZ", host="UZ")
    factories.visit(guest="FR", host="UZ")
    sign_in(page_no_js.context, live_server)
    page_no_js.goto(visit_list(live_server))
    page_no_js.select_option("#filter-guest_country", label="France")
    form = page_no_js.locator("#filter-guest_country").locator("xpath=ancestor::form")
    form.get_by_role("button", name="Filter").click()
    page_no_js.wait_for_url("**guest_country__id__exact=*")
    guests = page_no_js.locator("#result_list td.field-guest_country abbr").all_inner_texts()
    assert guests == ["FR"]


def test_axe_finds_no_violation_on_the_customised_lists(browser, live_server, seed_data):
    require(AXE, "axe-core")
    records = factories.many_records(count=3)
    records[0].dataset = "hsg-travels"
    records[0].save()
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, bypass_csp=True)
    problems = defaultdict(list)
    try:
        sign_in(context, live_server)
        page = context.new_page()
        for model, query in [
            ("visit", ""),
            (
                "visit",
                f"?guest_country__id__exact={records[0].guest_country_id}"
                "&start_date__gte=nope&dataset=-",
            ),
            ("meeting", ""),
            ("agreement", ""),
            ("person", ""),
        ]:
            page.goto(live_server.url + reverse(f"admin:visits_{model}_changelist") + query)
            page.wait_for_selector("#changelist-filter .select2-container")
            audit(page, f"{model} list{query}", problems)
    finally:
        context.close()
    if problems:
        pytest.fail("axe-core found violations:\n" + report(problems), pytrace=False)
