"""The database keeps the rules, on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from tests import factories
from visits.models import (
    Country,
    DelegationMember,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    Signatory,
    Visit,
)

pytestmark = pytest.mark.django_db


def rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_countries_current_and_former_exist_in_a_fresh_database():
    assert Country.objects.current().count() == 249
    assert Country.objects.get(code="AZ").name == "Azerbaijan"
    assert Country.objects.get(code="AZ").official_name == "Republic of Azerbaijan"
    former = dict(Country.objects.filter(status=Country.Status.FORMER).values_list("code", "name"))
    assert "Soviet" in former["SUHH"]
    assert "Yugoslavia" in former["YUCS"]
    assert "Czechoslovakia" in former["CSHH"]
    assert former["DDDE"] == "German Democratic Republic"
    other = Country.objects.filter(status=Country.Status.OTHER)
    assert set(other.values_list("name", flat=True)) >= {"Kosovo", "Kingdom of Hawaii"}


def test_country_natural_key_is_its_code():
    assert Country.objects.get_by_natural_key("az") == Country.objects.get(code="AZ")


def test_visit_end_before_start_is_rejected():
    rejected(
        lambda: factories.visit(
            start=datetime.date(2025, 9, 24), end_date=datetime.date(2025, 9, 23)
        )
    )


def test_visit_to_own_country_is_rejected():
    rejected(lambda: factories.visit(guest="AZ", host="AZ"))


def test_visit_with_same_day_end_and_unknown_end_are_accepted():
    factories.visit(start=datetime.date(2025, 9, 24), end_date=datetime.date(2025, 9, 24))
    factories.visit(start=datetime.date(2025, 9, 24), end_date=None)
    assert Visit.objects.count() == 2


def test_duplicate_slugs_are_rejected():
    made = factories.visit()
    rejected(
        lambda: Visit.objects.create(
            slug=made.slug,
            title="Copy",
            guest_country=made.guest_country,
            host_country=made.host_country,
            start_date=made.start_date,
        )
    )
    rejected(lambda: Person.objects.create(name="Copy", slug=factories.person().slug))


def test_dataset_record_is_unique_but_blank_ids_may_repeat():
    factories.visit(dataset="hsg-travels", record_id="3290")
    rejected(lambda: factories.visit(dataset="hsg-travels", record_id="3290"))
    factories.visit(dataset="", record_id="")
    factories.visit(dataset="", record_id="")


def test_country_code_must_be_upper_case():
    rejected(lambda: Country.objects.create(code="xx", name="Lower", status="other"))


def test_organization_cannot_be_its_own_parent():
    body = factories.organization()
    body.parent = body
    rejected(body.save)


def test_meeting_ordinal_needs_a_body_and_is_unique_in_its_series():
    rejected(lambda: factories.meeting(ordinal=4))
    council = factories.organization(classification=Organization.Classification.INTERGOVERNMENTAL)
    factories.meeting(body=council, ordinal=4)
    rejected(lambda: factories.meeting(body=council, ordinal=4))
    rejected(lambda: factories.meeting(body=council, ordinal=0))


def test_agreement_validity_cannot_end_before_it_starts():
    rejected(
        lambda: factories.agreement(
            valid_from=datetime.date(2027, 1, 1), valid_until=datetime.date(2026, 1, 1)
        )
    )


def test_a_person_takes_part_once_per_record():
    someone = factories.person()
    meeting = factories.meeting()
    MeetingParticipant.objects.create(meeting=meeting, person=someone)
    rejected(lambda: MeetingParticipant.objects.create(meeting=meeting, person=someone))
    agreement = factories.agreement()
    Signatory.objects.create(agreement=agreement, person=someone)
    rejected(lambda: Signatory.objects.create(agreement=agreement, person=someone))
    delegation = factories.visit(head=factories.person()).delegation
    DelegationMember.objects.create(delegation=delegation, person=someone)
    rejected(lambda: DelegationMember.objects.create(delegation=delegation, person=someone))


def test_reference_data_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    factories.visit(guest="AZ", host="UZ")
    with pytest.raises(ProtectedError):
        Country.objects.get(code="AZ").delete()


def test_queryset_vocabulary():
    az, uz, fr = (factories.country(code) for code in ("AZ", "UZ", "FR"))
    to_uz = factories.visit(
        guest="AZ", host="UZ", start=datetime.date(2025, 9, 20), end_date=datetime.date(2025, 9, 25)
    )
    to_fr = factories.visit(guest="UZ", host="FR", start=datetime.date(2025, 10, 1))
    assert set(Visit.objects.involving(az)) == {to_uz}
    assert set(Visit.objects.involving(uz)) == {to_uz, to_fr}
    assert set(Visit.objects.involving(fr)) == {to_fr}
    overlap = Visit.objects.in_period(datetime.date(2025, 9, 22), datetime.date(2025, 9, 30))
    assert set(overlap) == {to_uz}
    assert set(Visit.objects.in_period(datetime.date(2025, 10, 1), None)) == {to_fr}


def test_partial_dates_are_shown_with_their_precision():
    meeting = factories.meeting(date=datetime.date(2025, 9, 1), date_precision="month")
    assert meeting.date_display == "September 2025"
    assert factories.meeting(date=None).date_display == "date unknown"
    meeting = factories.meeting(date=datetime.date(2025, 9, 24))
    assert meeting.date_display == "24 September 2025"
    assert str(Meeting.objects.get(pk=meeting.pk)) == meeting.title
