"""Start from the source: the proposals read from the seed article match the fixtures' facts
(the fields filled are right, the others empty), the rules on a text of their own, and the
admin page that shows the proposals, refuses bad input and saves what the editor confirms."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests import factories
from visits.models import (
    Agreement,
    Delegation,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    PlaceName,
    Signatory,
    Source,
    Visit,
)
from visits.proposals import Lexicon, Proposal, ambiguous, propose, unambiguous

TEXT = (
    Path(__file__).parent.parent / "data" / "azertac-2025-09-25-prosecutor-general-visit.txt"
).read_text()
PUBLISHED = datetime.date(2025, 9, 25)
PAGE = "admin:visits_source_propose"
TREATY = (
    "Treaty on Allied Relations between the Republic of Azerbaijan and the Republic of Uzbekistan"
)
PROGRAMME = (
    "Cooperation Program between the Prosecutor General's Office of Azerbaijan and the General "
    "Prosecutor's Office of Uzbekistan for 2026–2027"
)
COUNCIL_MEETING = (
    "4th Meeting of the General Prosecutors' Council of the Organization of Turkic States"
)
BILATERAL = "Bilateral meeting of the Prosecutors General of Azerbaijan and Uzbekistan"


def value(proposal):
    return None if proposal is None else proposal.value


def values(proposals):
    return {proposal.value for proposal in proposals}


@pytest.mark.django_db
def test_the_seed_article_proposals_match_the_fixtures(article):
    """Every field the rules fill holds the fixtures' value, the words it came from are in the
    text, and the fields the article does not state (the day of the meetings, when the
    programme was signed, the bilateral meeting's title, which is editorial) stay empty."""
    proposals = propose(TEXT, PUBLISHED, Lexicon.from_database())
    visit = Visit.objects.get(slug="2025-09-24-azerbaijan-uzbekistan-prosecutor-general")
    delegation = visit.delegation
    treaty, programme = (Agreement.objects.get(title=title) for title in (TREATY, PROGRAMME))
    council = Meeting.objects.get(ordinal=4)
    bilateral = Meeting.objects.get(kind="bilateral")
    aliyev, yuldashev = Person.objects.order_by("slug")  # kamran-aliyev, nigmatilla-yuldashev

    assert [agreement.title.value for agreement in proposals.agreements] == [TREATY, PROGRAMME]
    proposed_treaty, proposed_programme = proposals.agreements
    assert [value(meeting.kind) for meeting in proposals.meetings] == ["bilateral", "multilateral"]
    proposed_bilateral, proposed_council = proposals.meetings
    people = {person.pk: person for person in proposals.people}

    def participants(meeting):
        return {row.person_id for row in meeting.participants.all()}

    filled = [
        ("visit guest", value(proposals.guest_country), visit.guest_country.code),
        ("visit host", value(proposals.host_country), visit.host_country.code),
        ("visit kind", value(proposals.kind), visit.kind),
        ("visit start", value(proposals.start_date), visit.start_date),
        ("visit title", value(proposals.title), visit.title),
        ("visit places", value(proposals.places), visit.places),
        ("delegation head", value(proposals.head), delegation.head_id),
        ("head's office", value(proposals.head_office), delegation.head_office),
        ("Aliyev's office", value(people[aliyev.pk].office), "Prosecutor General"),
        ("Yuldashev's office", value(people[yuldashev.pk].office), "Prosecutor General"),
        ("treaty title", value(proposed_treaty.title), treaty.title),
        ("treaty kind", value(proposed_treaty.kind), treaty.kind),
        ("treaty signed", value(proposed_treaty.signed_on), treaty.signed_on),
        ("treaty place", value(proposed_treaty.signed_place), treaty.signed_place),
        ("treaty country", value(proposed_treaty.signed_country), treaty.signed_country.code),
        (
            "treaty parties",
            values(proposed_treaty.party_countries),
            {country.code for country in treaty.party_countries.all()},
        ),
        ("programme title", value(proposed_programme.title), programme.title),
        ("programme kind", value(proposed_programme.kind), programme.kind),
        ("programme from", value(proposed_programme.valid_from), programme.valid_from),
        ("programme until", value(proposed_programme.valid_until), programme.valid_until),
        (
            "programme parties",
            values(proposed_programme.party_organizations),
            {body.pk for body in programme.party_organizations.all()},
        ),
        (
            "programme signatories",
            values(proposed_programme.signatories),
            {row.person_id for row in programme.signatories.all()},
        ),
        ("council title", value(proposed_council.title), council.title),
        ("council kind", value(proposed_council.kind), council.kind),
        ("council ordinal", value(proposed_council.ordinal), council.ordinal),
        ("council body", value(proposed_council.body), council.body_id),
        ("council place", value(proposed_council.place), council.place),
        ("council country", value(proposed_council.country), council.country.code),
        ("council participants", values(proposed_council.participants), participants(council)),
        ("bilateral kind", value(proposed_bilateral.kind), bilateral.kind),
        ("bilateral place", value(proposed_bilateral.place), bilateral.place),
        ("bilateral country", value(proposed_bilateral.country), bilateral.country.code),
        (
            "bilateral host",
            value(proposed_bilateral.host_organization),
            bilateral.host_organization_id,
        ),
    ]
    wrong = [(name, got, expected) for name, got, expected in filled if got != expected]
    assert wrong == []
    assert len(filled) == 33
    # Named in the meeting's paragraph: Yuldashev, not Aliyev (who speaks in the next one).
    assert values(proposed_bilateral.participants) == {yuldashev.pk}
    assert values(proposed_bilateral.participants) < participants(bilateral)

    empty = {
        "bilateral title": proposed_bilateral.title,
        "bilateral date": proposed_bilateral.date,
        "bilateral ordinal": proposed_bilateral.ordinal,
        "bilateral body": proposed_bilateral.body,
        "council date": proposed_council.date,
        "council host": proposed_council.host_organization,
        "programme signed": proposed_programme.signed_on,
        "programme place": proposed_programme.signed_place,
        "programme country": proposed_programme.signed_country,
        "treaty from": proposed_treaty.valid_from,
        "treaty until": proposed_treaty.valid_until,
    }
    assert {name: proposal for name, proposal in empty.items() if proposal is not None} == {}
    assert proposed_treaty.party_organizations == proposed_treaty.signatories == []
    assert proposed_programme.party_countries == []

    # Every proposal shows words that are in the text.
    assert proposals.head.words == "led by Prosecutor General Kamran Aliyev"
    assert proposals.start_date.words == "on September 24"
    assert proposed_treaty.signed_on.words == "on August 23, 2024"
    assert proposed_council.ordinal.words == "4th"
    assert people[yuldashev.pk].office.words == (
        "Prosecutor General of Uzbekistan Nigmatilla Yuldashev"
    )
    for proposal in [proposals.guest_country, proposals.host_country, proposals.kind]:
        assert proposal.words in TEXT
    # What the text names: the two countries, its two people, and the five bodies.
    assert [country.value for country in proposals.countries] == ["AZ", "UZ"]
    assert [country.words for country in proposals.countries] == ["Azerbaijani", "Uzbekistan"]
    assert [person.pk for person in proposals.people] == [aliyev.pk, yuldashev.pk]
    assert values(proposals.organizations) == set(Organization.objects.values_list("pk", flat=True))
    assert [date.value for date in proposals.dates] == [
        datetime.date(2025, 9, 25),
        datetime.date(2025, 9, 24),
        datetime.date(2024, 8, 23),
    ]


def lexicon():
    """A lexicon made by hand: the rules without a database."""
    return Lexicon(
        countries={("france",): "FR", ("french",): "FR", ("germany",): "DE", ("german",): "DE"},
        country_names={"FR": "France", "DE": "Germany"},
        people={("emmanuel", "macron"): 1, ("olaf", "scholz"): 2},
        person_names={1: "Emmanuel Macron", 2: "Olaf Scholz"},
    )


def test_the_rules_on_a_text_of_their_own():
    text = (
        "Yesterday Emmanuel Macron, the French President, paid a state visit to Germany on "
        '3 May. He met Federal Chancellor Olaf Scholz. They signed the "Joint Declaration on '
        'Energy" in Berlin.'
    )
    proposals = propose(text, datetime.date(2026, 5, 4), lexicon())
    assert value(proposals.host_country) == "DE"
    assert value(proposals.guest_country) == "FR"
    assert proposals.guest_country.words.startswith("French")
    assert value(proposals.kind) == "state"
    assert value(proposals.start_date) == datetime.date(2026, 5, 3)
    assert proposals.start_date.words == "on 3 May"  # the full stop ends the sentence
    assert value(proposals.head) == 1
    # "Yesterday" is no office; a capitalized word after a comma is not read as one either.
    assert proposals.head_office is None
    assert proposals.title is None
    scholz = proposals.people[1]
    assert value(scholz.office) == "Federal Chancellor"
    [declaration] = proposals.agreements
    assert value(declaration.title) == "Joint Declaration on Energy"
    assert value(declaration.kind) == "declaration"
    assert value(declaration.signed_place) == "Berlin"
    assert declaration.signed_country is None  # the gazetteer of this lexicon is empty
    assert declaration.signed_on is None


def test_a_name_two_people_share_is_not_guessed():
    pairs = [("Kamran Aliyev", 1), ("Kamran Aliyev", 3), ("Olaf Scholz", 2), ("O. Scholz", 2)]
    shared = Lexicon(
        people=unambiguous(pairs),
        shared_names=ambiguous(pairs),
        person_names={1: "Kamran Aliyev", 2: "Olaf Scholz", 3: "Kamran Aliyev"},
    )
    text = "A delegation led by Prosecutor General Kamran Aliyev visited Germany."
    proposals = propose(text, None, shared)
    assert proposals.people == []
    assert proposals.head is None
    assert proposals.shared_names == [Proposal((1, 3), "Kamran Aliyev")]


def test_a_day_without_a_year_needs_the_source_date():
    proposals = propose("Talks were held on 3 May and on June 4, 2024.", None, lexicon())
    assert [date.value for date in proposals.dates] == [datetime.date(2024, 6, 4)]
    assert propose("", None, lexicon()) == propose("Nothing here.", None, lexicon())


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("editor", password="a-long-pass-phrase"))
    return client


@pytest.fixture
def known(db):
    """The people and bodies of the seed article, without its visit, and its city."""
    body = "government-body"
    records = {
        "azertac": factories.organization("AZERTAC", classification="news-agency"),
        "aliyev": factories.person("Kamran Aliyev", country=factories.country("AZ")),
        "yuldashev": factories.person("Nigmatilla Yuldashev", country=factories.country("UZ")),
        "az_office": factories.organization(
            "Prosecutor General's Office of Azerbaijan", classification=body
        ),
        "uz_office": factories.organization(
            "General Prosecutor's Office of Uzbekistan", classification=body
        ),
    }
    records["ots"] = factories.organization(
        "Organization of Turkic States", short_name="OTS", classification="intergovernmental"
    )
    records["council"] = factories.organization(
        "General Prosecutors' Council of the Organization of Turkic States",
        classification="intergovernmental-body",
        parent=records["ots"],
    )
    # The gazetteer knows Tashkent, in Uzbekistan.
    PlaceName.objects.create(
        place="Tashkent", name="Toshkent", language="uz", country=factories.country("UZ")
    )
    return records


def source_data(publisher_record, **overrides):
    return {
        "publisher": publisher_record.pk,
        "dateline": "Baku",
        "published_on": "2025-09-25",
        "url": "",
        "title": "",
        "text": TEXT,
        "proposed_for": "",
        "action": "propose",
        **overrides,
    }


def confirmed(response):
    """The proposals page's forms as the editor confirms them: every value as proposed."""
    context = response.context
    source_form = context["source_form"]
    data = {name: source_form[name].value() or "" for name in source_form.fields}
    data["action"] = "save"
    meetings, agreements = context["meeting_forms"], context["agreement_forms"]
    forms = [context["visit_form"], meetings.management_form, *meetings]
    forms += [agreements.management_form, *agreements]
    for form in forms:
        shown = {form.add_prefix(name): form[name].value() for name in form.fields}
        data |= {
            name: "on" if v is True else v for name, v in shown.items() if v not in (None, False)
        }
    return data


def record_count():
    return sum(model.objects.count() for model in (Source, Visit, Meeting, Agreement, Delegation))


@pytest.mark.django_db
def test_the_page_is_linked_from_the_source_list(editor):
    response = editor.get(reverse("admin:visits_source_changelist"))
    assert response.status_code == 200
    assert f'href="{reverse(PAGE)}"' in response.content.decode()
    response = editor.get(reverse(PAGE))
    assert response.status_code == 200
    assert "Start from the source" in response.content.decode()
    assert "visit_form" not in response.context


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": "  "}, "text", "Paste the source&#x27;s text: the proposals are read from it."),
        ({"published_on": "25/09/2025"}, "published_on", "Enter the date as 2025-09-24."),
        ({"publisher": "0"}, "publisher", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_beside_its_field(editor, known, overrides, field, message):
    before = record_count()
    response = editor.post(reverse(PAGE), source_data(known["azertac"], **overrides))
    assert response.status_code == 200
    assert response.context["source_form"].errors.keys() == {field}
    page = response.content.decode()
    assert message in page
    row = page.split(f"field-{field}", 1)[1].split('class="form-row', 1)[0]
    assert message in row  # beside the field, not elsewhere
    assert record_count() == before


@pytest.mark.django_db
def test_proposals_are_shown_then_saved_as_confirmed(editor, known):
    response = editor.post(reverse(PAGE), source_data(known["azertac"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Official visit of Prosecutor General Kamran Aliyev to Uzbekistan" in page
    assert "Read from: “led by Prosecutor General Kamran Aliyev”" in page
    assert "<q>Azerbaijani</q>" in page
    assert record_count() == 0
    data = confirmed(response)

    # The bilateral meeting has no title in the text: saving asks for one, saves nothing.
    response = editor.post(reverse(PAGE), data)
    assert response.status_code == 200
    assert response.context["meeting_forms"][0].errors == {
        "title": ["Give the title, or leave this record out."]
    }
    assert record_count() == 0

    data["meetings-0-title"] = BILATERAL
    response = editor.post(reverse(PAGE), data)
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:visits_visit_change", args=[visit.pk])
    assert "Saved the source and the visit" in editor.get(response["Location"]).content.decode()

    source = Source.objects.get()
    assert (source.publisher, source.dateline, source.published_on) == (
        known["azertac"],
        "Baku",
        PUBLISHED,
    )
    assert visit.title == "Official visit of Prosecutor General Kamran Aliyev to Uzbekistan"
    assert (visit.guest_country.code, visit.host_country.code) == ("AZ", "UZ")
    assert (visit.kind, visit.start_date, visit.places) == (
        "official",
        datetime.date(2025, 9, 24),
        "Tashkent",
    )
    assert list(visit.sources.all()) == [source]
    assert (visit.delegation.head, visit.delegation.head_office) == (
        known["aliyev"],
        "Prosecutor General",
    )
    bilateral, council = visit.meetings.order_by("position")
    assert (bilateral.title, bilateral.kind, bilateral.host_organization) == (
        BILATERAL,
        "bilateral",
        known["uz_office"],
    )
    assert (council.title, council.ordinal, council.body, council.place) == (
        COUNCIL_MEETING,
        4,
        known["council"],
        "Tashkent",
    )
    assert set(council.participants.values_list("person", "office")) == {
        (known["aliyev"].pk, "Prosecutor General"),
        (known["yuldashev"].pk, "Prosecutor General"),
    }
    assert list(council.sources.all()) == [source]
    treaty = Agreement.objects.get(title=TREATY)
    assert (treaty.signed_on, treaty.signed_precision, treaty.visit) == (
        datetime.date(2024, 8, 23),
        "day",
        None,  # signed before the visit
    )
    assert (treaty.signed_place, treaty.signed_country.code) == ("Tashkent", "UZ")
    assert {country.code for country in treaty.party_countries.all()} == {"AZ", "UZ"}
    programme = Agreement.objects.get(title=PROGRAMME)
    assert programme.visit == visit
    assert (programme.valid_from, programme.valid_until, programme.validity_precision) == (
        datetime.date(2026, 1, 1),
        datetime.date(2027, 12, 31),
        "year",
    )
    assert set(programme.party_organizations.all()) == {known["az_office"], known["uz_office"]}
    assert set(Signatory.objects.filter(agreement=programme).values_list("person", flat=True)) == {
        known["aliyev"].pk,
        known["yuldashev"].pk,
    }
    assert MeetingParticipant.objects.count() == 3


@pytest.mark.django_db
def test_a_record_left_out_is_not_saved(editor, known):
    data = confirmed(editor.post(reverse(PAGE), source_data(known["azertac"])))
    del data["meetings-0-keep"]
    del data["agreements-0-keep"]
    response = editor.post(reverse(PAGE), data)
    assert response.status_code == 302
    assert list(Meeting.objects.values_list("title", flat=True)) == [COUNCIL_MEETING]
    assert list(Agreement.objects.values_list("title", flat=True)) == [PROGRAMME]


@pytest.mark.django_db
def test_others_are_sent_to_the_login(client, known):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    User.objects.create_user("reader", password="a-long-pass-phrase")
    client.force_login(User.objects.get(username="reader"))
    response = client.post(reverse(PAGE), source_data(known["azertac"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_date_in_a_proposal_is_shown_beside_it(editor, known):
    data = confirmed(editor.post(reverse(PAGE), source_data(known["azertac"])))
    data["meetings-0-title"] = BILATERAL
    data["meetings-1-date"] = "24/09/2025"
    response = editor.post(reverse(PAGE), data)
    assert response.status_code == 200
    assert response.context["meeting_forms"][1].errors == {
        "date": [
            "Enter a date as 2025-09-24, or as 2025-09 or 2025 when that is all the source gives."
        ]
    }
    assert record_count() == 0
    data["meetings-1-date"] = "2025-09"
    assert editor.post(reverse(PAGE), data).status_code == 302
    council = Meeting.objects.get(ordinal=4)
    assert (council.date, council.date_precision) == (datetime.date(2025, 9, 1), "month")


@pytest.mark.django_db
def test_a_text_changed_before_saving_is_read_again(editor, known):
    data = confirmed(editor.post(reverse(PAGE), source_data(known["azertac"])))
    data["meetings-0-title"] = BILATERAL
    data["text"] = TEXT.replace("an official visit", "a working visit")
    response = editor.post(reverse(PAGE), data)
    assert response.status_code == 200
    assert record_count() == 0
    assert response.context["visit_form"].initial["kind"] == "working"
    assert "The text changed since it was read" in response.content.decode()


@pytest.mark.django_db
def test_a_meeting_recorded_already_is_refused(editor, known):
    data = confirmed(editor.post(reverse(PAGE), source_data(known["azertac"])))
    data["meetings-0-title"] = BILATERAL
    assert editor.post(reverse(PAGE), data).status_code == 302
    before = record_count()
    response = editor.post(reverse(PAGE), data)
    assert response.status_code == 200
    assert response.context["meeting_forms"][1].errors == {
        "ordinal": ["This body's meeting with this number is recorded already."]
    }
    assert record_count() == before


@pytest.mark.django_db
def test_people_who_share_a_name_are_listed_for_the_editor(editor, known):
    namesake = factories.person("Nigmatilla Yuldashev")
    response = editor.post(reverse(PAGE), source_data(known["azertac"]))
    assert response.status_code == 200
    row = next(row for row in response.context["found"] if row[0] == "One of 2 people")
    assert row == (
        "One of 2 people",
        f"Nigmatilla Yuldashev (Uzbekistan, {known['yuldashev'].slug}); "
        f"Nigmatilla Yuldashev (country unknown, {namesake.slug})",
        "Nigmatilla Yuldashev",
    )
    # Not proposed anywhere: the editor chooses.
    assert response.context["agreement_forms"][1].initial["signatories"] == [known["aliyev"].pk]
