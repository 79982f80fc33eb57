"""One page per source document: the visit's change page holds its delegation with the members,
its meetings with their participants, the agreements signed during it with their signatories;
and dates are typed as YYYY-MM-DD, YYYY-MM or YYYY, the precision stored."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories
from tests.admin.test_admin_concurrency import form_data
from visits.admin_dates import parse_partial
from visits.models import (
    Agreement,
    DelegationMember,
    Meeting,
    MeetingParticipant,
    Signatory,
    Visit,
)
from visits.models.base import DatePrecision

pytestmark = pytest.mark.django_db

VISIT = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
DATE_ERROR = "Enter a date as YYYY-MM-DD, YYYY-MM or YYYY."


class Controls(HTMLParser):
    """The values of a page's form controls by name: an input's value, a list's chosen
    options' texts (an autocomplete list holds only those)."""

    def __init__(self):
        super().__init__()
        self.values = {}
        self.select = None
        self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs.get("name")
            self.values.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.option = []

    def handle_data(self, data):
        if self.option is not None:
            self.option.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            self.values[self.select].append("".join(self.option).strip())
            self.option = None
        elif tag == "select":
            self.select = None


def controls(response):
    reader = Controls()
    reader.feed(response.content.decode())
    return reader.values


def change_url(visit):
    return reverse("admin:visits_visit_change", args=[visit.pk])


def test_the_visit_page_holds_the_whole_article(admin_client, article, django_assert_num_queries):
    visit = Visit.objects.get(slug=VISIT)
    admin_client.get(change_url(visit))  # the session and the user, read once
    # 61 for the seed visit (a delegation, two meetings, one agreement): the edit guard's
    # fingerprint reads the nested rows (members, participants, signatories) of each section.
    with django_assert_num_queries(61):
        response = admin_client.get(change_url(visit))
    assert response.status_code == 200
    values = controls(response)
    bilateral, council = (f"meetings-{index}" for index in (0, 1))
    assert values["delegation-0-head"] == ["Kamran Aliyev"]
    assert values["delegation-0-head_office"] == "Prosecutor General"
    assert values["delegation-0-members-TOTAL_FORMS"] == "0"
    # The dates as the source gives them: the month of the meetings and the signature, the
    # years of the validity.
    assert values[f"{bilateral}-date"] == "2025-09"
    assert values[f"{council}-body"] == [
        "General Prosecutors' Council of the Organization of Turkic States"
    ]
    assert values[f"{council}-ordinal"] == "4"
    people = {
        values[f"{meeting}-participants-{index}-person"][0]
        for meeting in (bilateral, council)
        for index in (0, 1)
    }
    assert people == {"Kamran Aliyev", "Nigmatilla Yuldashev"}
    assert values["agreements-TOTAL_FORMS"] == "1"
    assert values["agreements-0-slug"] == (
        "azerbaijan-uzbekistan-prosecutors-cooperation-program-2026-2027"
    )
    assert values["agreements-0-signed_on"] == "2025-09"
    assert (values["agreements-0-valid_from"], values["agreements-0-valid_until"]) == (
        "2026",
        "2027",
    )
    assert sorted(values["agreements-0-party_organizations"]) == [
        "General Prosecutor's Office of Uzbekistan",
        "Prosecutor General's Office of Azerbaijan",
    ]
    assert {values[f"agreements-0-signatories-{index}-person"][0] for index in (0, 1)} == {
        "Kamran Aliyev",
        "Nigmatilla Yuldashev",
    }
    page = response.content.decode()
    assert "YYYY-MM-DD, YYYY-MM or YYYY" in page
    assert reverse("admin:visits_agreement_add") in page


def nested_rows(data, prefix, *rows):
    """The rows of a section (its management form and its fields) added to a form's data."""
    data[f"{prefix}-TOTAL_FORMS"] = [str(len(rows))]
    data[f"{prefix}-INITIAL_FORMS"] = ["0"]
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value if isinstance(value, list) else [value]
    return data


def test_one_save_of_the_visit_page_creates_members_participants_and_signatories(admin_client):
    visit = factories.sourced_visit()
    source = visit.sources.get()
    head, member, host = (factories.person(name) for name in ("Head", "Member", "Host"))
    office = factories.organization("Prosecutor General's Office")
    data = form_data(admin_client.get(change_url(visit)))
    data["delegation-0-head"] = [str(head.pk)]
    data["delegation-0-head_office"] = ["Prosecutor General"]
    nested_rows(
        data,
        "delegation-0-members",
        {"person": str(member.pk), "office": "Deputy", "organization": str(office.pk)},
    )
    nested_rows(
        data,
        "meetings",
        {
            "title": "Talks",
            "slug": "talks",
            "kind": "bilateral",
            "date": "2025-09",
            "position": "1",
            "sources": str(source.pk),
        },
    )
    nested_rows(
        data,
        "meetings-0-participants",
        {"person": str(head.pk), "role": "guest", "office": "Prosecutor General"},
        {"person": str(host.pk), "role": "host", "office": "Prosecutor General"},
    )
    nested_rows(
        data,
        "agreements",
        {
            "title": "Programme",
            "slug": "programme",
            "kind": "cooperation-programme",
            "party_organizations": [str(office.pk)],
            "signed_on": "2025-09",
            "valid_from": "2026",
            "valid_until": "2027",
            "sources": str(source.pk),
        },
    )
    nested_rows(data, "agreements-0-signatories", {"person": str(head.pk), "office": "PG"})

    response = admin_client.post(change_url(visit), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    member_row = DelegationMember.objects.get(delegation__visit=visit)
    assert (member_row.person, member_row.office, member_row.organization) == (
        member,
        "Deputy",
        office,
    )
    meeting = Meeting.objects.get(visit=visit)
    assert {(row.person, row.role) for row in meeting.participants.all()} == {
        (head, "guest"),
        (host, "host"),
    }
    # "2025-09": the 1st of September, known to the month.
    assert (meeting.date, meeting.date_precision) == (datetime.date(2025, 9, 1), "month")
    agreement = Agreement.objects.get(visit=visit)
    assert list(agreement.party_organizations.all()) == [office]
    assert list(agreement.sources.all()) == [source]
    assert (agreement.signed_on, agreement.signed_precision) == (datetime.date(2025, 9, 1), "month")
    assert (agreement.valid_from, agreement.valid_until, agreement.validity_precision) == (
        datetime.date(2026, 1, 1),
        datetime.date(2027, 12, 31),
        "year",
    )
    assert Signatory.objects.get(agreement=agreement).person == head

    # Shown again as typed, and saved again unchanged.
    again = admin_client.get(change_url(visit))
    values = controls(again)
    assert (values["meetings-0-date"], values["agreements-0-valid_until"]) == ("2025-09", "2027")
    assert admin_client.post(change_url(visit), form_data(again)).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.date_precision) == (datetime.date(2025, 9, 1), "month")


@pytest.mark.parametrize("typed", ["24/09/2025", "2025-13", "2025-02-30", "September 2025", "25"])
def test_a_date_not_in_the_editors_format_is_refused_beside_its_field(admin_client, typed):
    visit = factories.sourced_visit()
    source = visit.sources.get()
    person = factories.person()
    data = form_data(admin_client.get(change_url(visit)))
    nested_rows(
        data,
        "meetings",
        {"title": "Talks", "slug": "talks", "kind": "bilateral", "date": typed, "position": "0"}
        | {"sources": str(source.pk)},
    )
    nested_rows(data, "meetings-0-participants", {"person": str(person.pk), "role": "guest"})

    response = admin_client.post(change_url(visit), data)

    assert response.status_code == 200
    meeting_form = response.context["inline_admin_formsets"][1].formset.forms[0]
    assert meeting_form.errors["date"] == [DATE_ERROR]
    assert DATE_ERROR in response.content.decode()
    assert not Meeting.objects.exists()
    assert not MeetingParticipant.objects.exists()


def test_a_validity_typed_to_two_precisions_is_refused(admin_client):
    source = factories.source()
    data = {
        "title": "Programme",
        "slug": "programme",
        "kind": "cooperation-programme",
        "valid_from": "2026-01-01",
        "valid_until": "2027",
        "sources": [source.pk],
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:visits_agreement_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["valid_until"] == [
        "Give both dates to the same precision (day, month or year)."
    ]
    assert not Agreement.objects.exists()

    response = admin_client.post(
        reverse("admin:visits_agreement_add"), {**data, "valid_from": "2026"}
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.valid_from, agreement.valid_until, agreement.validity_precision) == (
        datetime.date(2026, 1, 1),
        datetime.date(2027, 12, 31),
        DatePrecision.YEAR,
    )


def test_a_visits_dates_are_typed_and_shown_as_iso(admin_client):
    visit = factories.sourced_visit(start=datetime.date(2025, 9, 24))
    response = admin_client.get(change_url(visit))
    assert controls(response)["start_date"] == "2025-09-24"
    response = admin_client.post(change_url(visit), form_data(response, start_date="24.09.2025"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["start_date"] == [
        "Enter a date as YYYY-MM-DD."
    ]


@pytest.mark.parametrize(
    ("typed", "end", "expected"),
    [
        ("2025-09-24", False, (datetime.date(2025, 9, 24), DatePrecision.DAY)),
        ("2025-09", False, (datetime.date(2025, 9, 1), DatePrecision.MONTH)),
        ("2024-02", True, (datetime.date(2024, 2, 29), DatePrecision.MONTH)),
        (" 2025 ", False, (datetime.date(2025, 1, 1), DatePrecision.YEAR)),
        ("2027", True, (datetime.date(2027, 12, 31), DatePrecision.YEAR)),
        ("2025-9-4", False, (datetime.date(2025, 9, 4), DatePrecision.DAY)),
        ("0000", False, None),
        ("2025-00", False, None),
        ("2025-09-31", False, None),
        ("2025/09", False, None),
    ],
)
def test_partial_dates_are_read_with_their_precision(typed, end, expected):
    date = parse_partial(typed, end=end)
    assert (None if date is None else (date, date.precision)) == expected


def test_a_form_sent_without_a_section_leaves_its_rows_as_they_are(admin_client):
    """A page opened before the agreements and the members were on it still saves."""
    visit = factories.sourced_visit(title="Old title", head=factories.person("Head"))
    agreement = factories.agreement(visit=visit, title="Programme")
    member = DelegationMember.objects.create(
        delegation=visit.delegation, person=factories.person("Member")
    )
    data = form_data(admin_client.get(change_url(visit)), title="New title")
    sent = {
        name: value
        for name, value in data.items()
        if not name.startswith(("agreements-", "delegation-0-members-"))
    }
    assert admin_client.post(change_url(visit), sent).status_code == 302
    visit.refresh_from_db()
    assert visit.title == "New title"
    assert Agreement.objects.get(visit=visit) == agreement
    assert DelegationMember.objects.get(delegation__visit=visit) == member
