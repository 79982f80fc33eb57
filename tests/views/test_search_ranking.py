"""A text search lists the visits with the most of its words in their title first, each level
newest first, and pages through the levels without losing or repeating a visit: the page is
read level by level (visits.paginator.ListPaginator.levels), and on SQLite a common word is
searched without the trigram index (visits.searching.common). The order is the same on both
databases and whichever way the search is made."""

import datetime
import re

import pytest
from django.urls import reverse

from tests import factories
from visits import searching
from visits.models import Visit

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'<th scope="row"><a href="/visits/([^/]+)/">')


@pytest.fixture
def harvest():
    """Visits a week apart: some with "harvest" in the title (and "ports" in the summary),
    some with it in the summary only, five with "harvest" and "ports" in the title, and some
    without the word."""
    day = datetime.date(2001, 1, 1)
    made = {"title": [], "summary": [], "both": [], "none": []}
    for index in range(95):
        start = day + datetime.timedelta(days=7 * index)
        if index % 19 == 3 and len(made["both"]) < 5:
            group, title, summary = "both", f"Harvest and ports talks {index}", "Talks."
        elif len(made["title"]) < 30 and index % 3 == 0:
            group, title, summary = "title", f"Harvest talks {index}", "Talks on ports."
        elif len(made["summary"]) < 40 and index % 3 == 1:
            group, title, summary = "summary", f"Talks {index}", "Talks on the harvest."
        else:
            group, title, summary = "none", f"Talks {index}", "Nothing of note."
        made[group].append(factories.visit("FR", "UZ", start, title=title, summary=summary))
    return made


def newest_first(visits):
    return [
        visit.slug for visit in sorted(visits, key=lambda v: (-v.start_date.toordinal(), v.slug))
    ]


def listed(client, query, pages):
    slugs = []
    for page in range(1, pages + 1):
        suffix = f"&page={page}" if page > 1 else ""
        response = client.get(f"{reverse('visit_list')}?{query}&per_page=25{suffix}")
        assert response.status_code == 200
        slugs += ROW_LINK.findall(response.content.decode())
    return slugs


def test_title_matches_first_then_the_rest_each_newest_first(client, harvest):
    expected = newest_first(harvest["title"] + harvest["both"]) + newest_first(harvest["summary"])
    first_level = len(harvest["title"]) + len(harvest["both"])
    assert 25 < first_level < 50 < len(expected) <= 75, "the levels' boundary is inside page 2"
    slugs = listed(client, "q=harvest", pages=3)
    assert slugs == expected, "pages 1 to 3 cross the level boundary without a gap or repeat"
    response = client.get(f"{reverse('visit_list')}?q=harvest")
    assert response.context["paginator"].count == len(expected)


def test_two_words_in_the_title_come_before_one(client, harvest):
    both = newest_first(harvest["both"])
    one = newest_first(
        [v for v in harvest["title"] + harvest["summary"] if "ports" in v.summary.lower()]
    )
    slugs = listed(client, "q=harvest+ports", pages=1)
    assert slugs[: len(both)] == both
    assert slugs[len(both) :] == one[: 25 - len(both)]


def test_a_common_word_is_found_without_the_index_in_the_same_order(client, harvest, monkeypatch):
    with_index = listed(client, "q=harvest", pages=3)
    monkeypatch.setattr(searching, "COMMON_SHARE", 0.0)  # every word counts as common
    from django.core.cache import cache

    cache.clear()
    assert listed(client, "q=harvest", pages=3) == with_index
    assert Visit.objects.count() == 95


def test_a_chosen_order_replaces_the_ranking(client, harvest):
    slugs = listed(client, "q=harvest&sort=-date", pages=3)
    assert slugs == newest_first(harvest["title"] + harvest["both"] + harvest["summary"])
