"""The seed article's fixtures hold every fact the article states, linked as it links them."""

import datetime

import pytest
from django.core.management import call_command

from visits import models

VISIT = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
PROGRAM = (
    "Cooperation Program between the Prosecutor General's Office of Azerbaijan and the "
    "General Prosecutor's Office of Uzbekistan for 2026–2027"
)
TREATY = (
    "Treaty on Allied Relations between the Republic of Azerbaijan and the Republic of Uzbekistan"
)

pytestmark = pytest.mark.usefixtures("article")


def test_source_is_the_azertac_article():
    source = models.Source.objects.get()
    assert source.publisher.name == "AZERTAC"
    assert source.publisher.classification == models.Organization.Classification.NEWS_AGENCY
    assert source.dateline == "Baku"
    assert source.published_on == datetime.date(2025, 9, 25)
    assert source.title == "", "the article has no headline"
    assert source.url == "", "nor an address"
    assert str(source) == "AZERTAC, Baku, 25 September 2025"
    assert source.publisher.country is None, "the article does not say whose agency it is"


def test_official_visit_from_azerbaijan_to_uzbekistan():
    visit = models.Visit.objects.get(slug=VISIT)
    assert visit.kind == models.Visit.Kind.OFFICIAL
    assert visit.guest_country.code == "AZ"
    assert visit.host_country.code == "UZ"
    assert visit.start_date == datetime.date(2025, 9, 24)
    assert visit.end_date is None, "the article does not say when the visit ended"
    assert list(visit.sources.values_list("publisher__name", flat=True)) == ["AZERTAC"]


def test_delegation_led_by_the_prosecutor_general():
    delegation = models.Visit.objects.get(slug=VISIT).delegation
    assert delegation.head.name == "Kamran Aliyev"
    assert delegation.head.country.code == "AZ"
    assert delegation.head_office == "Prosecutor General"
    assert delegation.organization is None, "the article names no body it represented"
    assert delegation.country.code == "AZ"


def test_bilateral_meeting_at_the_uzbek_prosecutors_office():
    meeting = models.Meeting.objects.get(kind=models.Meeting.Kind.BILATERAL)
    assert meeting.visit.slug == VISIT
    assert meeting.host_organization.name == "General Prosecutor's Office of Uzbekistan"
    assert meeting.host_organization.country.code == "UZ"
    # The article gives no day: only the month is stored.
    assert meeting.date_precision == models.DatePrecision.MONTH
    assert meeting.date_display == "September 2025"
    # The article gives neither of them a part in it beyond taking part.
    people = {p.person.name: (p.office, p.role) for p in meeting.participants.all()}
    assert people == {
        "Nigmatilla Yuldashev": ("Prosecutor General", models.MeetingParticipant.Role.PARTICIPANT),
        "Kamran Aliyev": ("Prosecutor General", models.MeetingParticipant.Role.PARTICIPANT),
    }
    for topic in ("Karabakh", "Treaty on Allied Relations", "international organizations"):
        assert topic in meeting.summary
    assert meeting.position < models.Meeting.objects.get(ordinal=4).position, (
        "the visit began with it"
    )


def test_fourth_meeting_of_the_general_prosecutors_council():
    meeting = models.Meeting.objects.get(ordinal=4)
    assert meeting.title == (
        "4th Meeting of the General Prosecutors' Council of the Organization of Turkic States"
    )
    assert meeting.place == "Tashkent"
    assert meeting.country.code == "UZ"
    assert meeting.body.name == "General Prosecutors' Council of the Organization of Turkic States"
    assert meeting.body.classification == models.Organization.Classification.INTERGOVERNMENTAL_BODY
    assert meeting.body.parent.name == "Organization of Turkic States"
    assert meeting.body.parent.short_name == "OTS"
    assert meeting.body.parent.country is None
    roles = {p.person.name: p.role for p in meeting.participants.all()}
    assert roles == {
        "Nigmatilla Yuldashev": models.MeetingParticipant.Role.ORGANIZER,
        "Kamran Aliyev": models.MeetingParticipant.Role.SPEAKER,
    }
    for topic in ("digitalization", "e-governance", "information and communication technologies"):
        assert topic in meeting.summary


def test_cooperation_program_signed_by_both_prosecutors_general():
    program = models.Agreement.objects.get(title=PROGRAM)
    assert program.kind == models.Agreement.Kind.COOPERATION_PROGRAMME
    assert program.visit.slug == VISIT
    assert program.signed_precision == models.DatePrecision.MONTH
    assert program.signed_display == "September 2025"
    assert program.signed_place == "", "the article does not say where it was signed"
    assert program.signed_country is None, "nor in which country"
    # The article gives the years only: stored as their first and last days.
    assert program.validity_precision == models.DatePrecision.YEAR
    assert (program.valid_from, program.valid_until) == (
        datetime.date(2026, 1, 1),
        datetime.date(2027, 12, 31),
    )
    assert (program.valid_from_display, program.valid_until_display) == ("2026", "2027")
    assert set(program.party_organizations.values_list("name", flat=True)) == {
        "Prosecutor General's Office of Azerbaijan",
        "General Prosecutor's Office of Uzbekistan",
    }
    signatures = {(s.person.name, s.office, s.organization.name) for s in program.signatories.all()}
    assert signatures == {
        ("Kamran Aliyev", "Prosecutor General", "Prosecutor General's Office of Azerbaijan"),
        ("Nigmatilla Yuldashev", "Prosecutor General", "General Prosecutor's Office of Uzbekistan"),
    }


def test_treaty_referred_to_is_a_record_of_its_own():
    treaty = models.Agreement.objects.get(title=TREATY)
    assert treaty.kind == models.Agreement.Kind.TREATY
    assert treaty.signed_on == datetime.date(2024, 8, 23)
    assert treaty.signed_precision == models.DatePrecision.DAY
    assert treaty.signed_place == "Tashkent"
    assert treaty.signed_country.code == "UZ", "Tashkent, where the visit to Uzbekistan went"
    assert treaty.visit is None
    assert set(treaty.party_countries.values_list("code", flat=True)) == {"AZ", "UZ"}
    assert not treaty.signatories.exists(), "the article names no signatories"
    assert treaty.sources.get().publisher.name == "AZERTAC"


def test_nothing_beyond_the_article():
    assert models.Visit.objects.count() == 1
    assert models.Meeting.objects.count() == 2
    assert models.Agreement.objects.count() == 2
    assert set(models.Person.objects.values_list("name", "country__code")) == {
        ("Kamran Aliyev", "AZ"),
        ("Nigmatilla Yuldashev", "UZ"),
    }
    assert models.Organization.objects.count() == 5
    for model in (models.Visit, models.Meeting, models.Agreement):
        for record in model.objects.all():
            assert record.sources.exists(), f"{record} has no source"


def test_loading_twice_changes_nothing():
    record_models = (
        models.Visit,
        models.Meeting,
        models.Agreement,
        models.Organization,
        models.Person,
        models.Source,
        models.MeetingParticipant,
        models.Signatory,
    )

    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", flat=True))
            for model in record_models
        }

    before = snapshot()
    call_command("loaddata", "azertac-2025-09-25-prosecutor-general-visit", verbosity=0)
    assert snapshot() == before
