"""On a phone, the visit list's first result is on the first screen: results come before the
filters, the map and the timeline."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONES = [(320, 568), (390, 844)]
ADDRESSES = ["/visits/", "/visits/?country=FR", "/visits/?q=treaty"]


def test_the_first_visit_is_on_the_first_screen_of_a_phone(browser, live_server, default_data):
    late = []
    for width, height in PHONES:
        context = browser.new_context(viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            for address in ADDRESSES:
                page.goto(live_server.url + address)
                box = page.locator("table.records tbody tr").first.bounding_box()
                if box is None or box["y"] + 40 > height:
                    late.append((width, address, box and round(box["y"])))
        finally:
            context.close()
    assert late == [], "first result below the first screen (width, address, top)"


def test_at_a_desk_a_visit_whose_title_fits_takes_one_line(browser, live_server, default_data):
    """At 1280 px the real list's rows are one line each: compact dates, the countries as
    codes, the head named only where the title does not name them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/visits/?per_page=100")
        results = page.locator("table.records").first
        heights = [row.bounding_box()["height"] for row in results.locator("tbody tr").all()]
        # An inline link has one client rect per line it takes.
        lines = results.locator("tbody th").evaluate_all(
            "cells => cells.map(cell => cell.firstElementChild.getClientRects().length)"
        )
    finally:
        context.close()
    assert len(heights) == 100
    one_line = min(heights)
    tall = [round(height) for height in heights if height > one_line * 1.4]
    assert len(tall) <= 5, f"rows of two lines or more: {tall}"
    assert sum(1 for count in lines if count > 1) <= 5, f"titles over several lines: {lines}"
