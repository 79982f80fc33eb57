"""A journey's itinerary in a real browser, on a phone and at a desk: Warren Christopher's
sixteen stops of April 1996 in order, a stop followed to its visit page and back, and a page
never wider than the screen."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from tests.test_journeys import PRESIDENT, SECRETARY

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOUR = "/journeys/christopher-warren-minor-1996-04-15/"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 900}}


@pytest.fixture
def travels(live_server, transactional_db):
    cache.clear()
    call_command("import_hsg", str(SECRETARY), str(PRESIDENT), stdout=io.StringIO())
    yield
    cache.clear()


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.usefixtures("travels")
@pytest.mark.parametrize("size", VIEWPORTS)
def test_an_itinerary_on_a_phone_and_a_desk(browser, live_server, artifacts_dir, size):
    viewport = VIEWPORTS[size]
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(live_server.url + TOUR)
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text("Warren Minor Christopher's journey to South Korea")
        itinerary = page.get_by_role("region", name="Itinerary")
        expect(itinerary.locator("tbody tr")).to_have_count(16)
        assert page_width(page) <= viewport["width"]
        page.screenshot(path=artifacts_dir / f"journey-{size}.png", full_page=True)

        # The third stop, to its visit page, which says where it comes, and back.
        stop = itinerary.locator("tbody tr").nth(2).get_by_role("link").first
        title = stop.inner_text()
        stop.click()
        expect(page).to_have_url(re.compile(r"/visits/hsg-travels-\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator("dl.facts")).to_contain_text("Stop 3 of 16 of")
        assert page_width(page) <= viewport["width"]
        page.go_back()
        expect(page).to_have_url(re.compile(re.escape(TOUR) + "$"))
        expect(heading).to_contain_text("journey")
        traveller = page.locator("dl.facts").get_by_role("link", name="Warren Minor Christopher")
        expect(traveller).to_be_visible()
    finally:
        context.close()
