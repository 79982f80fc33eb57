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
    keep(shot)


def keep(shot):
    """With UPDATE_SCREENSHOTS=1, the README's copy of the screenshot is replaced."""
    assert shot.stat().st_size > 0
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        docs = REPO_ROOT / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, docs / shot.name)


# The admin, for the README's editor's guide -------------------------------------------------

PASSWORD = "a-long-pass-phrase-2"


def signed_in(browser, live_server):
    """A desk-sized page of an editor signed in to the admin."""
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return context, page


def test_screenshot_of_the_admins_visit_list(browser, live_server, default_data, artifacts_dir):
    context, page = signed_in(browser, live_server)
    try:
        page.goto(live_server.url + "/admin/visits/visit/")
        expect(page.locator("#result_list")).to_be_visible()
        shot = artifacts_dir / "admin-visit-list.png"
        page.screenshot(path=shot)
    finally:
        context.close()
    keep(shot)


def test_screenshot_of_start_from_the_source(browser, live_server, seed_data, artifacts_dir):
    """The seed article pasted into "Start from the source", and what the page reads in it."""
    from tests.admin.test_proposals import TEXT

    from .test_admin_entry import choose

    context, page = signed_in(browser, live_server)
    try:
        page.goto(live_server.url + "/admin/visits/source/propose/")
        page.locator("#id_dateline").fill("Baku")
        page.locator("#id_published_on").fill("2025-09-25")
        page.locator("#id_text").fill(TEXT)
        choose(page, "id_publisher", "AZERTAC")
        page.get_by_role("button", name="Propose records").click()
        expect(page.locator("#content")).to_contain_text("Kamran Aliyev")
        shot = artifacts_dir / "admin-start-from-source.png"
        page.screenshot(path=shot, full_page=True)
    finally:
        context.close()
    keep(shot)
