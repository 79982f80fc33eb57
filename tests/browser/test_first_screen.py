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
