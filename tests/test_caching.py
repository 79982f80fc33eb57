"""One truth in every process: the data version lives in the database and moves with every
write, whoever makes it; cached values and HTTP validators are keyed on it."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from visits import caching
from visits.models import Agreement, Delegation, Meeting, Visit

pytestmark = pytest.mark.django_db


def version():
    return caching.read_version()


@pytest.fixture
def visit():
    return factories.visit("AZ", "UZ", datetime.date(2025, 9, 24), title="Prosecutor in Tashkent")


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda visit: Visit.objects.filter(pk=visit.pk).update(title="x"), id="update"
        ),
        pytest.param(lambda visit: visit.delete(), id="delete"),
        pytest.param(
            lambda visit: Delegation.objects.bulk_create([Delegation(visit=visit)]),
            id="bulk_create",
        ),
        pytest.param(
            lambda visit: Meeting.objects.create(
                slug="m", title="m", kind="bilateral", visit=visit
            ),
            id="child",
        ),
        pytest.param(
            lambda visit: Agreement.objects.create(
                slug="a", title="a", kind="treaty"
            ).party_countries.add(visit.guest_country),
            id="many-to-many",
        ),
    ],
)
def test_every_kind_of_write_moves_the_version(visit, write):
    before = version()
    write(visit)
    assert version() > before


def test_raw_sql_moves_the_version(visit):
    before = version()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE visits_visit SET title = %s", ["Renamed behind Django's back"])
    assert version() > before


def test_reading_pages_does_not_move_it(client, visit):
    before = version()
    client.get(reverse("visit_list"))
    client.get(visit.get_absolute_url())
    assert version() == before


def test_a_request_reads_the_version_once(client, visit):
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("visit_list"), {"country": "AZ"})
    reads = [query for query in captured if caching.VERSION_TABLE in query["sql"]]
    assert len(reads) == 1


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="deferred triggers are PostgreSQL's"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_the_version_moves_when_the_transaction_commits():
    factories.visit("AZ", "UZ", datetime.date(2025, 9, 24))
    other = connection.copy()
    try:

        def seen_elsewhere():
            with other.cursor() as cursor:
                cursor.execute(f"SELECT version FROM {caching.VERSION_TABLE}")
                return cursor.fetchone()[0]

        before = seen_elsewhere()
        with transaction.atomic():
            Visit.objects.update(title="Changed")
            assert seen_elsewhere() == before, "no other process sees a version before commit"
        assert seen_elsewhere() > before
    finally:
        other.close()


def test_counts_and_choices_follow_a_write_the_signals_never_see(client, visit):
    """A bulk write sends no signal: the version moves all the same, so the cached count,
    timeline and country choices of the list follow at once."""
    response = client.get(reverse("visit_list"))
    assert response.context["paginator"].count == 1
    assert 'data-value="FR"' not in response.content.decode()
    Visit.objects.bulk_create(
        [
            Visit(
                slug="bulk",
                title="Made in bulk",
                guest_country=factories.country("FR"),
                host_country=factories.country("JP"),
                start_date=datetime.date(2026, 3, 1),
            )
        ]
    )
    response = client.get(reverse("visit_list"))
    html = response.content.decode()
    assert response.context["paginator"].count == 2
    assert '<option value="France" data-value="FR">' in html
    assert response.context["timeline"].bars[-1].start == datetime.date(2026, 3, 1)


def test_remember_computes_once_per_version(visit):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert caching.remember("figure", compute) == 1
    assert caching.remember("figure", compute) == 1
    Visit.objects.update(title="changed")
    assert caching.remember("figure", compute) == 2


def test_remember_keeps_a_value_per_language(visit):
    """What is kept may be drawn text in the reader's language: another language's value is
    never served (nor its ETag)."""
    from django.utils import translation

    with translation.override("en"):
        assert caching.remember("drawn", lambda: "in English") == "in English"
    with translation.override("ru"):
        assert caching.remember("drawn", lambda: "по-русски") == "по-русски"
    with translation.override("en"):
        assert caching.remember("drawn", lambda: "again") == "in English"


def test_a_cache_that_fails_never_breaks_a_page(client, visit, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache server is down")

    monkeypatch.setattr(caching.cache, "get", broken)
    monkeypatch.setattr(caching.cache, "set", broken)
    response = client.get(reverse("visit_list"))
    assert response.status_code == 200
    assert response.context["paginator"].count == 1


# Conditional GET ----------------------------------------------------------------------------


PAGES = [
    ("home", {}),
    ("visit_list", {}),
    ("visit_list", {"country": "AZ"}),
    ("visit_feed", {}),
    ("meeting_list", {}),
    ("country_list", {}),
]


@pytest.mark.parametrize(("name", "query"), PAGES)
def test_conditional_get(client, visit, name, query):
    url = reverse(name)
    first = client.get(url, query)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"]

    again = client.get(url, query, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert not again.templates, "a 304 renders nothing"

    factories.visit("FR", "JP", datetime.date(2026, 1, 1))
    changed = client.get(url, query, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_record_pages_and_exports_have_validators(client, visit):
    for url in (visit.get_absolute_url(), "/visits/export.csv", "/countries/az/uz/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert client.get(url, headers={"if-none-match": response.headers["ETag"]}).status_code == (
            304
        )


def test_each_address_has_its_own_validator(client, visit):
    one = client.get(reverse("visit_list"), {"country": "AZ"}).headers["ETag"]
    other = client.get(reverse("visit_list"), {"country": "UZ"}).headers["ETag"]
    assert one != other


def test_staff_and_visitors_get_different_validators(client, visit):
    anonymous = client.get(reverse("visit_list"))
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    staff = client.get(reverse("visit_list"), headers={"if-none-match": anonymous.headers["ETag"]})
    assert staff.status_code == 200, "the staff page has a link to the admin the visitor's lacks"
    assert staff.headers["ETag"] != anonymous.headers["ETag"]
    assert "Cookie" in staff.headers["Vary"]


def test_errors_get_no_validator(client, visit):
    response = client.get(reverse("visit_list"), {"date_after": "yesterday"})
    assert response.status_code == 400
    assert "ETag" not in response.headers
    assert client.get("/visits/no-such-visit/").status_code == 404
