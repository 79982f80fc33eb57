"""What a reader and an editor see in a real browser: filtering visits, following the records
from a visit to its agreement and signatories, the keyboard path, editing in the admin, and
screenshots kept as test artifacts."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VISIT_TITLE = "Official visit of Prosecutor General Kamran Aliyev to Uzbekistan"
VISIT_SLUG = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
AGREEMENT_TITLE = (
    "Cooperation Program between the Prosecutor General's Office of Azerbaijan and the "
    "General Prosecutor's Office of Uzbekistan for 2026–2027"
)
AGREEMENT_SLUG = "azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027"
MEETING_TITLE = "Bilateral meeting of the Prosecutors General of Azerbaijan and Uzbekistan"
MEETING_SLUG = "2025-09-azerbaijan-uzbekistan-prosecutors-general-bilateral-meeting"
EDITED_MEETING_TITLE = "Bilateral meeting in Tashkent (edited)"


def h1(page: Page):
    return page.get_by_role("heading", level=1)


def filter_visits(page: Page, country: str, date_after: str, date_before: str):
    """Fill the filter form of the visit list as a reader would, and submit it."""
    form = page.locator("form.filters")
    box = form.get_by_label("Country", exact=True)
    box.fill(country)
    if box.get_attribute("role") == "combobox":  # with JavaScript: choose from the list
        form.get_by_role("option", name=re.compile(rf"^{country}\b")).click()
    form.get_by_label("From", exact=True).fill(date_after)
    form.get_by_label("To", exact=True).fill(date_before)
    form.get_by_role("button", name="Apply filters").click()


def open_visit_list_from_home(page: Page, base_url: str):
    page.goto(base_url + "/")
    expect(page.get_by_label("Search visits")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Visits", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/visits/$"))
    expect(h1(page)).to_have_text("Visits")


def check_filter_flow(page: Page, base_url: str):
    open_visit_list_from_home(page, base_url)
    filter_visits(page, "Azerbaijan", "2025-09-01", "2025-09-30")

    # The code with JavaScript (the combobox's choice), the name as typed without it.
    expect(page).to_have_url(re.compile(r"[?&]country=(AZ|Azerbaijan)(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]date_after=2025-09-01(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]date_before=2025-09-30(&|$)"))
    expect(page.locator("p.result-count")).to_have_text("1 visit matches.")
    # The form shows the filters in use.
    form = page.locator("form.filters")
    country = form.get_by_label("Country", exact=True)
    if country.get_attribute("role") == "combobox":
        expect(form.get_by_role("button", name="Remove Azerbaijan")).to_be_visible()
    else:
        expect(country).to_have_value("Azerbaijan")
    expect(form.get_by_label("From", exact=True)).to_have_value("2025-09-01")
    expect(form.get_by_label("To", exact=True)).to_have_value("2025-09-30")
    active = page.locator(".active-filters")
    expect(active.get_by_role("link", name="Remove filter Country: Azerbaijan")).to_be_visible()
    expect(active).to_contain_text("From: 1 September 2025")
    expect(active).to_contain_text("To: 30 September 2025")

    # From the list to the visit, its agreement, and a signatory.
    page.locator("table.records").get_by_role("link", name=VISIT_TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/visits/{VISIT_SLUG}/$"))
    expect(h1(page)).to_have_text(VISIT_TITLE)

    page.get_by_role("link", name=AGREEMENT_TITLE, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/agreements/{AGREEMENT_SLUG}/$"))
    expect(h1(page)).to_have_text(AGREEMENT_TITLE)

    signatories = page.get_by_role("region", name="Signatories")
    signatories.get_by_role("link", name="Kamran Aliyev", exact=True).click()
    expect(page).to_have_url(re.compile(r"/people/kamran-aliyev/$"))
    expect(h1(page)).to_have_text("Kamran Aliyev")


def check_empty_result(page: Page, base_url: str):
    page.goto(base_url + "/visits/")
    filter_visits(page, "Azerbaijan", "2025-10-01", "2025-10-31")

    expect(page).to_have_url(re.compile(r"[?&]date_after=2025-10-01(&|$)"))
    expect(page.locator("p.result-count")).to_have_text("0 visits match.")
    expect(page.locator("table.records")).to_have_count(0)
    explanation = page.locator(".empty-explanation")
    expect(explanation).to_contain_text("No visits match all these filters together.")
    items = explanation.get_by_role("listitem")
    expect(items).to_have_text(
        [
            re.compile(r"without Country: Azerbaijan, 0 visits"),
            re.compile(r"without From: 1 October 2025, 1 visit\b"),
            re.compile(r"without To: 31 October 2025, 0 visits"),
        ]
    )

    # Removing the filter that excludes the visit brings it back.
    explanation.get_by_role("listitem").nth(1).get_by_role("link", name="remove it").click()
    expect(page).not_to_have_url(re.compile(r"date_after="))
    expect(page.locator("p.result-count")).to_have_text("1 visit matches.")
    expect(page.locator("table.records").get_by_role("link", name=VISIT_TITLE)).to_be_visible()


def test_filter_visits_and_follow_the_records(page, live_server, seed_data):
    check_filter_flow(page, live_server.url)
    check_empty_result(page, live_server.url)


def test_filter_visits_without_javascript(page_no_js, live_server, seed_data):
    check_filter_flow(page_no_js, live_server.url)
    check_empty_result(page_no_js, live_server.url)


def test_active_filter_link_removes_the_filter(page, live_server, seed_data):
    page.goto(live_server.url + "/visits/?country=AZ&date_after=2025-10-01")
    expect(page.locator("p.result-count")).to_have_text("0 visits match.")
    page.locator(".active-filters").get_by_role("link", name="Remove filter From").click()
    expect(page).to_have_url(re.compile(r"/visits/\?country=AZ$"))
    expect(page.locator("p.result-count")).to_have_text("1 visit matches.")
    expect(page.locator("form.filters").get_by_label("From", exact=True)).to_have_value("")


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server, seed_data):
    page.goto(live_server.url + "/visits/")
    skip_link = page.get_by_role("link", name="Skip to content")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/visits/#content$"))
    expect(page.locator("main")).to_be_focused()


def test_edit_a_meeting_in_the_admin(page, live_server, seed_data):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "e@example.org", "a-long-pass-phrase-1")

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-pass-phrase-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(live_server.url + "/admin/visits/meeting/")
    page.locator("#result_list").get_by_role("link", name=MEETING_TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/visits/meeting/\d+/change/$"))

    # The admin's labels end with a colon.
    title = page.get_by_label("Title:", exact=True)
    expect(title).to_have_value(MEETING_TITLE)
    title.fill(EDITED_MEETING_TITLE)
    page.locator("input[name=_save]").click()

    expect(page).to_have_url(re.compile(r"/admin/visits/meeting/$"))
    expect(page.locator("ul.messagelist li.success")).to_contain_text(
        f"“{EDITED_MEETING_TITLE}” was changed successfully"
    )

    page.goto(f"{live_server.url}/meetings/{MEETING_SLUG}/")
    expect(h1(page)).to_have_text(EDITED_MEETING_TITLE)
