"""generate_demo: synthetic records that keep every rule of the database, the same for the same
seed, searchable, and that every page can show; and --clear, which removes them all."""

import datetime
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.urls import reverse

from tests import factories
from visits import models
from visits.demo.tables import SLUGGED

pytestmark = pytest.mark.django_db

VISITS = 200
DEMO = {"slug__startswith": "demo-"}


def generate(seed=5, *options):
    out = io.StringIO()
    call_command(
        "generate_demo", "--visits", str(VISITS), "--seed", str(seed), *options, stdout=out
    )
    return out.getvalue()


def snapshot():
    """Everything a seed decides, keyed by slug (primary keys depend on what came before)."""
    visits = models.Visit.objects.filter(**DEMO).order_by("slug")
    return {
        "visits": list(
            visits.values_list(
                "slug",
                "title",
                "kind",
                "guest_country__code",
                "host_country__code",
                "start_date",
                "end_date",
                "places",
                "summary",
                "search_text",
                "delegation__head__name",
                "delegation__head_office",
                "delegation__organization__slug",
            )
        ),
        "members": sorted(
            models.DelegationMember.objects.filter(delegation__visit__slug__startswith="demo-")
            .values_list("delegation__visit__slug", "person__slug", "office")
            .order_by()
        ),
        "meetings": list(
            models.Meeting.objects.filter(**DEMO)
            .order_by("slug")
            .values_list("slug", "title", "kind", "date", "place", "body__slug", "ordinal")
        ),
        "participants": sorted(
            models.MeetingParticipant.objects.filter(meeting__slug__startswith="demo-")
            .values_list("meeting__slug", "person__slug", "office", "role")
            .order_by()
        ),
        "agreements": list(
            models.Agreement.objects.filter(**DEMO)
            .order_by("slug")
            .values_list("slug", "title", "signed_on", "valid_from", "valid_until", "visit__slug")
        ),
        "sources": list(
            models.Source.objects.filter(**DEMO)
            .order_by("slug")
            .values_list("slug", "title", "url")
        ),
    }


@pytest.fixture
def demo():
    generate()


@pytest.mark.usefixtures("demo")
def test_it_makes_the_visits_asked_for_with_what_surrounds_them():
    visits = models.Visit.objects.filter(**DEMO)
    assert visits.count() == VISITS
    assert models.Visit.objects.count() == VISITS  # nothing else in this database
    assert models.Delegation.objects.filter(visit__in=visits).count() > VISITS * 0.9
    assert models.Delegation.objects.filter(head__isnull=False).count() > VISITS * 0.85
    assert models.DelegationMember.objects.filter(delegation__visit__in=visits).exists()
    assert models.Meeting.objects.filter(visit__in=visits).count() > VISITS * 0.5
    assert models.MeetingParticipant.objects.filter(meeting__visit__in=visits).count() > VISITS
    assert models.Agreement.objects.filter(visit__in=visits).count() > VISITS * 0.1
    assert models.Signatory.objects.filter(agreement__visit__in=visits).exists()
    assert visits.filter(sources__isnull=False).count() == VISITS
    assert set(models.Meeting.objects.filter(**DEMO).values_list("kind", flat=True)) >= {
        models.Meeting.Kind.BILATERAL,
        models.Meeting.Kind.MULTILATERAL,
    }
    # Series of recurring bodies, numbered from 1 without gaps.
    series = (
        models.Meeting.objects.filter(ordinal__isnull=False)
        .values("body")
        .annotate(n=Count("pk"), first=Count("pk", filter=Q(ordinal=1)))
    )
    assert series
    for body in series:
        ordinals = set(
            models.Meeting.objects.filter(body=body["body"]).values_list("ordinal", flat=True)
        )
        assert ordinals == set(range(1, body["n"] + 1))
    assert models.Organization.objects.filter(
        classification=models.Organization.Classification.INTERGOVERNMENTAL_BODY,
        parent__isnull=False,
    ).exists()


@pytest.mark.usefixtures("demo")
def test_the_records_keep_the_rules():
    visits = models.Visit.objects.filter(**DEMO)
    if connection.vendor == "sqlite":
        connection.check_constraints()  # SQLite checks foreign keys at commit: check them now
    assert not visits.filter(guest_country=F("host_country")).exists()
    assert not visits.filter(end_date__lt=F("start_date")).exists()
    assert visits.filter(end_date__isnull=True).exists()
    lengths = [
        (end - start).days
        for start, end in visits.exclude(end_date=None).values_list("start_date", "end_date")
    ]
    assert sum(1 <= days <= 5 for days in lengths) > len(lengths) * 0.6
    years = visits.values_list("start_date__year", flat=True)
    assert min(years) >= 1950
    assert max(years) <= 2025
    assert max(years) - min(years) > 40
    assert set(visits.values_list("kind", flat=True)) <= set(models.Visit.Kind.values)
    assert len(set(visits.values_list("kind", flat=True))) >= 4
    used = models.Country.objects.filter(Q(visits_made__in=visits) | Q(visits_received__in=visits))
    assert set(used.values_list("status", flat=True)) == {models.Country.Status.CURRENT}
    assert not models.Agreement.objects.filter(valid_until__lt=F("valid_from")).exists()
    # Some countries are much busier than others.
    counts = sorted(
        models.Country.objects.annotate(made=Count("visits_made")).values_list("made", flat=True),
        reverse=True,
    )
    assert counts[0] > 5 * counts[30]


@pytest.mark.usefixtures("demo")
def test_every_slug_is_a_demo_slug_and_new_records_still_get_keys():
    for model in SLUGGED:
        assert model.objects.filter(**DEMO).exists(), model
        assert not model.objects.exclude(**DEMO).exists(), model
    # The primary key sequences were moved past the keys the generator chose.
    made = factories.visit(guest="FR", host="DE")
    assert made.pk > models.Visit.objects.filter(**DEMO).order_by("-pk").first().pk


@pytest.mark.usefixtures("demo")
def test_the_search_text_is_what_refresh_search_text_builds():
    visits = models.Visit.objects.filter(**DEMO)
    assert not visits.filter(search_text="").exists()
    before = dict(visits.values_list("pk", "search_text"))
    vectors = dict(visits.values_list("pk", "search_vector"))
    visits.refresh_search_text()
    assert dict(visits.values_list("pk", "search_text")) == before
    if connection.vendor == "postgresql":
        assert all(vectors.values())
        assert dict(visits.values_list("pk", "search_vector")) == vectors
        expected = dict(
            visits.annotate(expected=models.SEARCH_VECTOR).values_list("pk", "expected")
        )
        assert expected == vectors


def test_the_same_seed_makes_the_same_records():
    generate(7)
    first = snapshot()
    generate(7, "--clear")
    assert snapshot() == first
    generate(8, "--clear")
    other = snapshot()
    assert other["visits"] != first["visits"]
    assert len(other["visits"]) == VISITS


def test_it_refuses_to_add_to_demo_data_and_clear_removes_only_demo_records(client):
    kept = factories.visit(guest="AZ", host="UZ", title="A visit of our own")
    generate()
    with pytest.raises(CommandError, match="--clear"):
        generate()
    # A record of our own that refers to a demo visit keeps existing, without the link.
    ours = factories.agreement(visit=models.Visit.objects.filter(**DEMO).first())
    out = io.StringIO()
    call_command("generate_demo", "--clear", "--visits", "10", stdout=out)
    assert "Deleted" in out.getvalue()
    assert models.Visit.objects.filter(**DEMO).count() == 10
    from visits.demo import clear

    deleted = clear()
    assert deleted["visits"] == 10
    for model in SLUGGED:
        assert not model.objects.filter(**DEMO).exists(), model
    assert models.Visit.objects.get() == kept
    ours.refresh_from_db()
    assert ours.visit is None


def test_it_reports_what_it_made_and_how_long_it_took():
    output = generate()
    assert f"{VISITS} of {VISITS} visits" in output
    assert f"{VISITS} visits," in output
    assert "meeting participants" in output
    assert "Done in" in output


@pytest.mark.usefixtures("demo")
def test_the_pages_show_demo_records(client):
    busiest = (
        models.Country.objects.annotate(made=Count("visits_made"))
        .order_by("-made")
        .values_list("code", flat=True)
        .first()
    )
    visit = models.Visit.objects.filter(
        **DEMO, meetings__isnull=False, agreements__isnull=False
    ).first()
    series = models.Meeting.objects.filter(ordinal__isnull=False).first()
    agreement = models.Agreement.objects.filter(**DEMO).first()
    person = visit.delegation.head
    urls = {
        reverse("home"): "Diplomatic visits",
        reverse("visit_list"): f"{VISITS}</strong> visits match",
        reverse("visit_list") + f"?country={busiest}": "visits match",
        reverse("visit_list") + "?date_after=1990-01-01&date_before=1994-12-31": "match",
        reverse("visit_list") + f"?q={visit.delegation.head.name.split()[0]}": "match",
        visit.get_absolute_url(): visit.title,
        series.get_absolute_url(): series.title,
        agreement.get_absolute_url(): agreement.title,
        person.get_absolute_url(): person.name,
        models.Country.objects.get(code=busiest).get_absolute_url(): "Partner countries",
        visit.sources.first().get_absolute_url(): visit.get_absolute_url(),
        reverse("meeting_list"): "meetings match",
        reverse("agreement_list"): "agreements match",
        reverse("organization_list"): "match",
        reverse("person_list"): "match",
        reverse("country_list"): "match",
    }
    for url, text in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


@pytest.mark.usefixtures("demo")
def test_a_visit_page_shows_its_delegation_meetings_and_agreements(client):
    visit = models.Visit.objects.filter(
        **DEMO, meetings__isnull=False, agreements__isnull=False, delegation__head__isnull=False
    ).first()
    page = client.get(visit.get_absolute_url()).content.decode()
    assert visit.delegation.head.get_absolute_url() in page
    for meeting in visit.meetings.all():
        assert meeting.get_absolute_url() in page
    for agreement in visit.agreements.all():
        assert agreement.get_absolute_url() in page
    assert visit.sources.get().get_absolute_url() in page
    assert visit.start_date <= datetime.date(2025, 12, 31)


def test_a_failure_midway_leaves_nothing_behind(monkeypatch):
    """Batches are made in a thread of their own while the one before is written: a write
    that fails stops it, and the transaction leaves no demo record."""
    from visits.demo import tables

    written = []
    original = tables.Table.write

    def write(self, rows):
        if self.model is models.Visit and rows:
            written.append(len(rows))
            if len(written) == 2:
                raise RuntimeError("the disk is full")
        return original(self, rows)

    monkeypatch.setattr(tables.Table, "write", write)
    with pytest.raises(RuntimeError, match="disk is full"):
        call_command("generate_demo", "--visits", "200", "--batch-size", "50", stdout=io.StringIO())
    assert written == [50, 50]
    for model in SLUGGED:
        assert not model.objects.filter(**DEMO).exists(), model
    assert not [thread for thread in threading.enumerate() if thread.name == "generate_demo"]


def test_clear_empties_a_database_of_demo_records_alone():
    """With nothing but demo records (on PostgreSQL: one TRUNCATE of every demo table)."""
    from visits.demo import clear

    generate()
    made = {
        "visits": VISITS,
        "meetings": models.Meeting.objects.count(),
        "people": models.Person.objects.count(),
    }
    deleted = clear()
    assert {name: deleted[name] for name in made} == made
    for model in (*SLUGGED, models.Delegation):
        assert not model.objects.exists(), model
    assert factories.visit(guest="AZ", host="UZ").pk  # the tables still take new records
