"""A country pair's page in a real browser: its figures, its chart, its timeline."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def relationship(seed_data):
    """The article's visit, plus earlier visits both ways to give the chart some years."""
    from tests import factories

    for year, guest, host in [(2019, "UZ", "AZ"), (2021, "AZ", "UZ"), (2022, "UZ", "AZ")]:
        factories.visit(guest, host, datetime.date(year, 4, 10), title=f"Talks of {year}")


def test_pair_page_with_its_chart(page, live_server, relationship, artifacts_dir):
    page.goto(live_server.url + "/countries/az/")
    page.get_by_role("link", name="Azerbaijan and Uzbekistan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Azerbaijan and Uzbekistan")
    expect(page.get_by_text("Visits from Azerbaijan to Uzbekistan")).to_be_visible()

    chart = page.get_by_role("img", name="Visits per year between Azerbaijan and Uzbekistan")
    expect(chart).to_be_visible()
    bars = page.locator("svg.timeline-chart rect.bar")
    counts = {
        bars.nth(i).get_attribute("data-period"): bars.nth(i).get_attribute("data-count")
        for i in range(bars.count())
    }
    assert counts == {
        "2019": "1",
        "2020": "0",
        "2021": "1",
        "2022": "1",
        "2023": "0",
        "2024": "0",
        "2025": "1",
    }
    box = bars.first.bounding_box()
    assert box["height"] > 10 and box["width"] > 2, "the bars are drawn"

    page.get_by_text("The figures as a table").click()
    expect(page.locator(".timeline-figures table")).to_be_visible()
    in_force = page.locator(
        "section", has=page.get_by_role("heading", name="Agreements in force today")
    )
    expect(in_force.get_by_role("link", name="Treaty on Allied Relations")).to_be_visible()
    events = page.locator("ol.events > li")
    expect(events.first).to_contain_text("Official visit of Prosecutor General Kamran Aliyev")
