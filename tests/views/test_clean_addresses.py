"""Clean addresses: a submitted form's empty fields and the defaults never stay in an address;
every link the lists make is clean."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("asked", "clean"),
    [
        ("/visits/?q=&country=US&guest=&date_before=&sort=-date", "/visits/?country=US"),
        ("/visits/?country=AZ&country=&country=UZ&page=1", "/visits/?country=AZ&country=UZ"),
        ("/visits/?per_page=50&sort=-date&page=1", "/visits/"),
        ("/visits/?q=+&host=FR&host=", "/visits/?host=FR"),
        ("/meetings/?sort=-date&kind=", "/meetings/"),
        ("/agreements/?in_force_on=&sort=title", "/agreements/?sort=title"),
        ("/people/?q=&page=1", "/people/"),
    ],
)
def test_a_form_with_empty_fields_redirects_to_its_clean_address(client, asked, clean):
    response = client.get(asked)
    assert response.status_code == 302
    assert response["Location"] == clean
    assert client.get(clean).status_code == 200


@pytest.mark.parametrize(
    "address",
    ["/visits/?q=trade&sort=-date", "/visits/?sort=date", "/visits/?per_page=100&page=2"],
)
def test_an_address_that_says_something_is_not_redirected(client, address):
    """With a search, newest first is a choice (the default is the best match)."""
    assert client.get(address).status_code == 200


def test_a_bad_value_is_still_a_400_after_the_clean_up(client):
    response = client.get("/visits/?country=ZZ&q=", follow=True)
    assert response.redirect_chain == [("/visits/?country=ZZ", 302)]
    assert response.status_code == 400


def links(page):
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', page)]


@pytest.mark.parametrize(
    "address",
    [
        "/visits/?host=UZ&sort=guest&page=2",
        "/visits/?q=City&sort=-date",
        "/visits/?date_after=2001-01-01&facet=person&per_page=25",
        "/meetings/?country=UZ&sort=title",
        "/agreements/?country=UZ",
    ],
)
def test_every_link_of_a_list_is_clean(client, address):
    factories.many_records(count=60, hosts=("UZ", "FR"))
    page = client.get(address).content.decode()
    lists = [
        link
        for link in links(page)
        if link.startswith(("/visits/", "/meetings/", "/agreements/")) and "?" in link
    ]
    assert len(lists) > 20
    for link in lists:
        query = link.split("?", 1)[1].split("#")[0]
        parameters = query.split("&")
        assert all(not parameter.endswith("=") for parameter in parameters), link
        assert "page=1" not in parameters, link
        assert "per_page=50" not in parameters, link
        if "q=" not in query:
            assert "sort=-date" not in parameters, link
        if "export" in link or "feed" in link:
            assert "facet=" not in query and "per_page=" not in query and "page=" not in query


def test_exports_and_the_feed_link_the_clean_filters(client):
    factories.many_records(count=3, hosts=("UZ",))
    page = client.get("/visits/?host=UZ&sort=guest&per_page=25&facet=kind").content.decode()
    assert 'href="/visits/export.csv?host=UZ&amp;sort=guest"' in page
    assert 'href="/visits/feed/?host=UZ"' in page
    assert 'href="/visits/feed/?host=UZ"' in page.split("</head>")[0]


def test_removing_a_filter_leaves_a_clean_address(client):
    factories.many_records(count=3, hosts=("UZ",))
    response = client.get("/visits/?q=City&sort=-date")
    removal = next(active for active in response.context["active_filters"] if active.name == "q")
    assert removal.remove_query == "", "without the search, newest first is the default again"


def test_pages_are_numbered_with_first_previous_next_last_and_sizes(client):
    factories.many_records(count=130, hosts=("UZ",))
    response = client.get(reverse("visit_list"), {"per_page": "25", "page": "3"})
    assert len(response.context["object_list"]) == 25
    bar = response.content.decode().split('<nav class="pagination"')[1].split("</nav>")[0]
    assert 'href="/visits/?per_page=25">First</a>' in bar
    assert 'href="/visits/?per_page=25&amp;page=2" rel="prev">Previous</a>' in bar
    assert 'href="/visits/?per_page=25&amp;page=3" aria-current="page"' in bar
    assert 'href="/visits/?per_page=25&amp;page=6">Last</a>' in bar
    assert 'href="/visits/?per_page=25&amp;page=4" rel="next">Next</a>' in bar
    numbers = [link.label for link in response.context["pagination"]["numbers"] if link]
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    assert '<strong aria-current="true">25</strong>' in bar
    assert 'href="/visits/?page=3"' not in bar, "a new page size starts from the first page"
    assert 'href="/visits/"' in bar, "50 a page is the default: no per_page"
    far = client.get(reverse("visit_list"), {"per_page": "25", "page": "1"}, follow=True)
    assert far.redirect_chain == [("/visits/?per_page=25", 302)]
