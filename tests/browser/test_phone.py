"""Phones and the filter inputs, in Chromium on what a fresh clone serves (the article and the
Historian's 4,271 trips): no page of any kind wider than the screen at 320 and 390 px (nor at
1280), a one-row header, and the country filter with JavaScript off and on."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (320, 390, 1280)
ARTICLE_VISIT = "/visits/2025-09-24-azerbaijan-uzbekistan-prosecutor-general/"


def page_types():
    """One address of every kind of page, found in the data the way a reader would."""
    from visits.models import Agreement, Journey, Meeting, Organization, Person, Source, Visit

    longest_url = max(Source.objects.exclude(url=""), key=lambda source: len(source.url))
    longest_title = max(Visit.objects.all(), key=lambda visit: len(visit.title))
    return {
        "home": "/",
        "visits": "/visits/",
        "visits filtered": "/visits/?country=AZ&country=UZ&date_after=2000",
        "visits by Bonaire": "/visits/?country=BQ",
        "visits by person": f"/visits/?person={Person.objects.order_by('slug').first().slug}",
        "visits searched": "/visits/?q=Secretary+of+State",
        "meetings": "/meetings/",
        "meetings filtered": "/meetings/?country=UZ&date_after=2025-09",
        "agreements": "/agreements/",
        "agreements filtered": "/agreements/?in_force_on=2026-06-01",
        "countries": "/countries/",
        "countries, all": "/countries/?all=on",
        "organizations": "/organizations/",
        "organizations filtered": "/organizations/?country=AZ",
        "people": "/people/",
        "people filtered": "/people/?country=US",
        "journeys": "/journeys/",
        "journeys filtered": "/journeys/?country=FR",
        "visit": ARTICLE_VISIT,
        "visit with the longest title": longest_title.get_absolute_url(),
        "meeting": Meeting.objects.first().get_absolute_url(),
        "agreement": Agreement.objects.first().get_absolute_url(),
        "organization": Organization.objects.first().get_absolute_url(),
        "person": Person.objects.first().get_absolute_url(),
        "person with other names": "/people/kamran-aliyev/",
        "journey": Journey.objects.order_by("-start_date").first().get_absolute_url(),
        "source": Source.objects.first().get_absolute_url(),
        "source with the longest address": longest_url.get_absolute_url(),
        "country": "/countries/us/",
        "country with a long name": "/countries/bq/",
        "country pair": "/countries/us/fr/",
        "bad filters (400)": "/visits/?date_after=21994&country=Narnia&person=nobody",
        "no such page (404)": "/visits/no-such-visit/",
        "API documentation": "/api/",
    }


def open_filters(page: Page):
    """The filters, in a <details> on phones that is open while filters are in use."""
    panel = page.locator("details:has(form.filters)")
    if panel.count() and panel.get_attribute("open") is None:
        panel.locator("summary").first.click()
    return page.locator("form.filters")


def test_no_page_is_wider_than_the_screen(browser, live_server, default_data):
    pages = page_types()
    too_wide = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status < 500, (name, path)
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > inner:
                too_wide.append(f"{name} ({path}) at {width} px: {scroll} px wide")
            if width < 1000:
                header = page.locator(".site-header").bounding_box()
                assert header["height"] < 70, f"{name}: the header takes one row at {width} px"
        context.close()
    assert too_wide == []


def test_the_menu_opens_on_a_phone_without_javascript(browser, live_server, default_data):
    context = browser.new_context(viewport={"width": 320, "height": 700}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Search visits")).to_be_visible()
    page.get_by_text("Menu", exact=True).click()
    nav.get_by_role("link", name="Journeys").click()
    expect(page).to_have_url(re.compile(r"/journeys/$"))
    context.close()


def test_the_nav_is_in_the_row_on_a_desktop(page: Page, live_server, default_data):
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Visits")).to_be_visible()


def test_several_countries_without_javascript(browser, live_server, default_data):
    context = browser.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/visits/")
    form = open_filters(page)
    form.get_by_label("Country", exact=True).fill("azerbaijan")
    form.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]country=azerbaijan(&|$)"))
    # One input per country chosen, and one more for the next.
    form = open_filters(page)
    form.get_by_label("Country (2)", exact=True).fill("UZ")
    form.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=azerbaijan&country=UZ"))
    active = page.locator(".active-filters")
    expect(active.get_by_role("link", name="Remove filter Country: Azerbaijan")).to_be_visible()
    expect(active.get_by_role("link", name="Remove filter Country: Uzbekistan")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()


def test_typing_uzb_and_choosing_uzbekistan_in_the_combobox(browser, live_server, default_data):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/visits/?country=AZ")
    form = open_filters(page)
    expect(form.get_by_role("button", name="Remove Azerbaijan")).to_be_visible()
    box = form.get_by_role("combobox", name="Country", exact=True)
    box.fill("uzb")
    expect(box).to_have_attribute("aria-expanded", "true")
    options = form.get_by_role("listbox", name="Country suggestions").get_by_role("option")
    expect(options.first).to_contain_text("Uzbekistan")
    # The keyboard: down to the first option, Enter chooses it.
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-options-0$"))
    box.press("Enter")
    expect(form.get_by_role("button", name="Remove Uzbekistan")).to_be_visible()
    expect(box).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    # And with the mouse, a guest country found by its code.
    guest = form.get_by_role("combobox", name="Guest country", exact=True)
    guest.fill("us")
    form.get_by_role("option", name=re.compile(r"^United States\b")).first.click()
    form.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/visits/\?country=AZ&country=UZ&guest=US(&sort=[^&]*)?$"))
    expect(page.locator("p.result-count")).to_contain_text("match")
    # Removing a chip and applying leaves the other.
    page.locator("form.filters").get_by_role("button", name="Remove Azerbaijan").click()
    page.locator("form.filters").get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/visits/\?country=UZ&guest=US(&sort=[^&]*)?$"))
    context.close()


def test_the_error_summary_links_to_the_field(page: Page, live_server, default_data):
    page.goto(live_server.url + "/visits/?date_after=2025-13")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    summary.get_by_role("link", name=re.compile(r"^Date from: Enter a date as 2025")).click()
    expect(page.locator("#id_date_after")).to_be_focused()
    expect(page.locator("#id_date_after")).to_have_attribute("aria-invalid", "true")
