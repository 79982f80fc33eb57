"""The world map in a real browser, on the real data: a country on the map leads to the list
of as many visits as the map says, at a phone's width and a desktop's."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_map_country_leads_to_as_many_visits(browser, live_server, default_data, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    svg = page.locator("svg.world-map-chart")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # France's shape holds French Guiana: the middle of it is sea. A keyboard follows links.
    follow_country(page, "France", r"/visits/\?country=FR$")
    # The list's own map, of host countries for the visits involving France (the Historian
    # records the United States' visits, so France's are visits it received).
    follow_country(page, "France", r"country=FR&host=FR$")
    context.close()


def follow_country(page, name, address):
    """Follow a country's link on the page's map, by the keyboard, to a list of as many visits
    as the map gives it."""
    link = page.locator("svg.world-map-chart a", has=page.locator("title", has_text=f"{name}:"))
    expected = re.search(r": (\d+) visits?", link.locator("title").text_content()).group(1)
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(address))
    expect(page.locator(".result-count strong")).to_have_text(expected)
