"""The README's screenshots, taken from what a fresh clone serves (the article and the
Office of the Historian's travels), at a desk and on a phone. Kept as test artifacts; with
UPDATE_SCREENSHOTS=1 they replace those in docs/screenshots."""

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from .conftest import REPO_ROOT

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# name: (address, viewport, what the page must show before it is taken)
SHOTS = {
    "visit-list": ("/visits/", DESK, re.compile(r"4272 visits")),
    "visit-list-phone": ("/visits/", PHONE, re.compile(r"4272 visits")),
    "visit-page": (
        "/visits/2025-09-24-azerbaijan-uzbekistan-prosecutor-general/",
        DESK,
        re.compile("Official visit of Prosecutor General Kamran Aliyev"),
    ),
    "country-pair": ("/countries/us/fr/", DESK, re.compile("France")),
}


@pytest.mark.parametrize("name", SHOTS)
def test_screenshot_of_the_default_data(browser, live_server, default_data, artifacts_dir, name):
    address, viewport, shown = SHOTS[name]
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(live_server.url + address)
        expect(page.locator("main")).to_contain_text(shown)
        shot = artifacts_dir / f"{name}.png"
        page.screenshot(path=shot, full_page=not name.startswith("visit-list"))
    finally:
        context.close()
    assert shot.stat().st_size > 0
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        docs = REPO_ROOT / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, docs / f"{name}.png")
