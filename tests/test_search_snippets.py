"""Search that reads well: the title and an extract of the summary with the words marked, never
the search index's run-together text; quoted phrases on SQLite and PostgreSQL; the header's
search keeps the list's filters."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from visits.models import Delegation
from visits.searching import words
from visits.snippets import highlight, snippet

pytestmark = pytest.mark.django_db


# (name, host, year, title, summary): only the first holds the phrase "Camp David".
CAMP_DAVID = [
    ("talks", "FR", 1978, "Summit talks", "Reviewed the Camp David Accords with the <President>."),
    ("apart", "UZ", 1979, "David in Camp Verde", "Met David at the camp."),
    ("reversed", "AZ", 1980, "Other", "David Camp was there."),
]


@pytest.fixture
def camp_david():
    made = {
        name: factories.visit("US", host, datetime.date(year, 1, 1), title=title, summary=summary)
        for name, host, year, title, summary in CAMP_DAVID
    }
    Delegation.objects.create(visit=made["talks"], head=factories.person("Cyrus Vance"))
    return made


def test_words_and_phrases():
    assert words('"Camp  David" accords') == ["Camp David", "accords"]
    assert words('"Camp David') == ["Camp David"], "an unclosed quote runs to the end"
    assert words('""  x"') == ["x"]


def test_a_snippet_marks_the_words_and_escapes_the_rest():
    text = "Talks on <b>energy</b> & the railway corridor."
    assert snippet(text, ["railway"]) == (
        "Talks on &lt;b&gt;energy&lt;/b&gt; &amp; the <mark>railway</mark> corridor."
    )
    assert snippet(text, ["missing"]) == ""
    assert highlight("Camp David Accords", ["camp david"]) == "<mark>Camp David</mark> Accords"


def test_a_quoted_phrase_matches_the_words_adjacent_and_in_order(client, camp_david):
    response = client.get(reverse("visit_list"), {"q": '"Camp David"'})
    assert list(response.context["object_list"]) == [camp_david["talks"]]
    response = client.get(reverse("visit_list"), {"q": "Camp David"})
    assert set(response.context["object_list"]) == set(camp_david.values())


def test_results_show_the_summary_with_marks_never_the_index_text(client, camp_david):
    html = client.get(reverse("visit_list"), {"q": '"camp david" vance'}).content.decode()
    assert (
        '<span class="snippet">Reviewed the <mark>Camp David</mark> Accords with the '
        "&lt;President&gt;.</span>" in html
    )
    assert "Summit talks Paris" not in html and "United States France" not in html
    html = client.get(reverse("visit_list"), {"q": "verde"}).content.decode()
    assert "David in Camp <mark>Verde</mark>" in html, "the title's match is marked"
    assert 'class="snippet"' not in html, "no extract when the summary does not match"


def test_the_header_search_keeps_the_lists_filters(client, camp_david):
    response = client.get(
        reverse("visit_list"), {"guest": "US", "q": "camp", "page": "1"}, follow=True
    )
    html = response.content
    html = html.decode()
    form = html[
        html.index('class="site-search"') : html.index("</form>", html.index("site-search"))
    ]
    assert '<input type="hidden" name="guest" value="US">' in form
    assert 'name="page"' not in form and 'type="hidden" name="q"' not in form
    home = client.get(reverse("home")).content.decode()
    assert 'type="hidden" name="guest"' not in home
