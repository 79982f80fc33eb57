"""The lists on the real data (the article and the Historian's 4,271 trips): results first,
facets whose counts are the sizes of the lists they lead to, numbered pages, sortable columns,
and the filters in a <details> that is a sidebar on a wide screen."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def result_count(page: Page) -> int:
    return int(page.locator(".result-count strong").inner_text().replace(",", ""))


def visit_rows(page: Page):
    return page.get_by_role("table", name=re.compile("^Visits, ")).locator("tbody tr")


def facet(page: Page, title: str):
    return page.get_by_role("region", name=title, exact=True)


def follow(page: Page, section, index=0):
    """Follows a facet's link; the list it leads to must hold as many records as it said."""
    link = section.locator("li a:not(.facet-active)").nth(index)
    said = int(link.locator(".count").inner_text())
    with page.expect_navigation():
        link.click()
    assert result_count(page) == said
    return said


@pytest.mark.usefixtures("default_data")
def test_facets_narrow_the_list_and_their_counts_are_the_results(page: Page, live_server):
    page.goto(live_server.url + "/visits/")
    total = result_count(page)
    assert total >= 4272
    expect(page.get_by_role("heading", name="In these visits")).to_be_visible()
    hosts = follow(page, facet(page, "Host country"))
    assert hosts < total
    assert "?host=" in page.url
    people = follow(page, facet(page, "Person"))
    assert people <= hosts
    decade = facet(page, "Decade").locator("li a:not(.facet-active)")
    if decade.count():
        follow(page, facet(page, "Decade"))
    active = facet(page, "Host country").locator("a.facet-active")
    expect(active).to_have_count(1)
    with page.expect_navigation():
        active.click()
    assert "host=" not in page.url
    assert result_count(page) >= people


@pytest.mark.usefixtures("default_data")
def test_more_shows_a_facet_in_full(page: Page, live_server):
    page.goto(live_server.url + "/visits/")
    hosts = facet(page, "Host country")
    expect(hosts.locator("li")).to_have_count(8)
    with page.expect_navigation():
        hosts.get_by_role("link", name=re.compile(r"^More values of Host country")).click()
    assert "facet=host" in page.url
    expect(facet(page, "Host country").locator("li").nth(100)).to_be_attached()
    follow(page, facet(page, "Host country"), index=120)


@pytest.mark.usefixtures("default_data")
@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_the_results_come_first_and_the_filters_fold(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/visits/")
    table = page.get_by_role("table", name=re.compile("^Visits, "))
    panel = page.locator("details.filters-panel")
    assert table.bounding_box()["y"] < panel.bounding_box()["y"]
    expect(page.locator("form.filters")).to_be_hidden()
    panel.locator("summary").click()
    expect(page.locator("form.filters")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "nothing wider than the screen"
    page.goto(live_server.url + "/visits/?host=FR")
    expect(page.locator("details.filters-panel")).to_have_attribute("open", "")
    expect(page.locator("details.filters-panel summary")).to_contain_text("(1 active)")
    page.screenshot(path=f"test-artifacts/visit-list-facets-{width}.png", full_page=False)
    context.close()


@pytest.mark.usefixtures("default_data")
def test_on_a_wide_screen_the_filters_are_a_sidebar(page: Page, live_server):
    page.goto(live_server.url + "/visits/")
    form = page.locator("form.filters")
    expect(form).to_be_visible()
    results = page.locator("section.results").bounding_box()
    sidebar = page.locator(".refine").bounding_box()
    assert sidebar["x"] > results["x"] + results["width"] - 1
    assert abs(sidebar["y"] - results["y"]) < 40
    page.screenshot(path="test-artifacts/visit-list-facets-1280.png", full_page=False)


@pytest.mark.usefixtures("default_data")
def test_numbered_pages_sizes_and_sorting(page: Page, live_server):
    page.goto(live_server.url + "/visits/")
    pages = page.get_by_role("navigation", name="Pages")
    pages.get_by_role("link", name="Page 3", exact=True).click()
    expect(pages.get_by_role("link", name="Page 3, this page")).to_have_attribute(
        "aria-current", "page"
    )
    pages.get_by_role("link", name="100 visits a page").click()
    assert page.url.endswith("/visits/?per_page=100")
    expect(visit_rows(page)).to_have_count(100)
    header = page.get_by_role("columnheader", name=re.compile("^Guest"))
    header.get_by_role("link", name="host", exact=True).click()
    expect(page.get_by_role("columnheader", name=re.compile("^Guest"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    # The route cell: the guest's and the host's links; the host (sorted A to Z) second.
    host = visit_rows(page).first.locator("td.route a").nth(1).get_attribute("title")
    assert host.startswith("A"), host


@pytest.mark.usefixtures("default_data")
def test_without_javascript_a_submitted_form_lands_on_a_clean_address(page_no_js, live_server):
    page = page_no_js
    page.goto(live_server.url + "/visits/?host=FR")
    page.locator("form.filters").get_by_role("button", name="Apply filters").click()
    assert page.url == live_server.url + "/visits/?host=FR"
    follow(page, facet(page, "Person"))
