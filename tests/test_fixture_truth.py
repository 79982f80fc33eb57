"""The seed article's fixtures state nothing the article does not: every date at no finer a
precision than the article gives it, every place, body, office and role as the article names
them, and every record tied to the article as its source.

The checks read the fixture file itself beside the article's text (../shared/seed/<name>.txt,
not copied into the project: the project keeps our own summaries, not the agency's text), so
they can be pointed at any version of the file; the last test proves that each of them
finds the kind of claim it is there to keep out."""

import copy
import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from visits.models import Country, DatePrecision, MeetingParticipant, Visit

NAME = "azertac-2025-09-25-prosecutor-general-visit"
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "seed" / f"{NAME}.txt"
pytestmark = pytest.mark.skipif(
    not ARTICLE.is_file(), reason=f"the seed article is not at {ARTICLE}"
)

# Words by which an article gives someone a part in a meeting. A participant takes part:
# being named as one of the meeting's people says no more than that.
ROLE_WORDS = {
    MeetingParticipant.Role.HOST: ["host"],
    MeetingParticipant.Role.ORGANIZER: ["organiz", "organis"],
    MeetingParticipant.Role.CHAIR: ["chair", "presid"],
    MeetingParticipant.Role.SPEAKER: ["address", "speech", "spoke"],
    MeetingParticipant.Role.GUEST: ["guest"],
    MeetingParticipant.Role.PARTICIPANT: [],
}


def plain(text):
    """Typographic quotes as plain ones, runs of spaces as one."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"[ \t]+", " ", text)


class Article:
    """The article's text (after its "date YYYY-MM-DD" line), its date and its sentences."""

    def __init__(self, text):
        header = re.match(r"\s*date (\d{4}-\d{2}-\d{2})\s+", text)
        self.published = datetime.date.fromisoformat(header[1])
        self.text = plain(text[header.end() :])
        self.sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", self.text) if s.strip()]

    def says(self, phrase):
        return plain(phrase) in self.text

    def about(self, name):
        """The passages on someone: each sentence naming them with the one after it (which
        goes on with "he" or "his")."""
        return [
            " ".join(self.sentences[index : index + 2])
            for index, sentence in enumerate(self.sentences)
            if name in sentence
        ]

    def states_date(self, value, precision):
        """The article gives the date at this precision: its year, its month, or its day
        (as "August 23, 2024", or "September 24" in the year of the article's dateline)."""
        year = str(value.year)
        this_year = value.year == self.published.year
        if precision == DatePrecision.YEAR:
            return this_year or year in self.text
        month = value.strftime("%B")
        if precision == DatePrecision.MONTH:
            return month in self.text and (this_year or year in self.text)
        if value == self.published:
            return True  # the dateline's date
        day = f"{month} {value.day}"
        other_day = f"{value.day} {month}"
        with_year = [f"{day}, {year}", f"{other_day} {year}"]
        return any(form in self.text for form in with_year) or (
            this_year and (day in self.text or other_day in self.text)
        )


def ordinal(number):
    """4 -> "4th", 21 -> "21st", as the article numbers a series' meetings."""
    last = number % 10 if number % 100 not in (11, 12, 13) else 0
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(last, "th")
    return f"{number}{suffix}"


def read_article():
    return Article(ARTICLE.read_text(encoding="utf-8"))


def read_fixture(text):
    """The fixture's records as {model: [fields]}."""
    records = {}
    for record in json.loads(text):
        records.setdefault(record["model"].removeprefix("visits."), []).append(record["fields"])
    return records


def key(value):
    """A natural key's single value (["AZ"] -> "AZ"), None for none."""
    return value[0] if value else None


def untold(records, article, country_names):
    """What the records state that the article does not, one line each."""
    problems = []
    organizations = {o["slug"]: o for o in records.get("organization", [])}
    people = {p["slug"]: p for p in records.get("person", [])}

    def check(condition, problem):
        if not condition:
            problems.append(problem)

    def named(slug, what):
        organization = organizations[slug]
        check(
            article.says(organization["name"])
            or (organization["short_name"] and article.says(organization["short_name"])),
            f"{what}: {organization['name']} is not named in the article",
        )

    def dated(what, value, precision):
        if value:
            check(
                article.states_date(datetime.date.fromisoformat(value), precision),
                f"{what}: {value} ({precision}) is not a date the article gives",
            )

    def place(what, value):
        for part in filter(None, (p.strip() for p in value.split(","))):
            check(article.says(part), f"{what}: the article does not give the place {part}")

    def in_role(what, person_slug, office, role=None):
        name = people[person_slug]["name"]
        passages = article.about(name)
        check(passages, f"{what}: the article does not name {name}")
        if office:
            check(
                any(office in passage for passage in passages),
                f"{what}: the article does not call {name} {office}",
            )
        if role:
            words = ROLE_WORDS[role]
            check(
                not words or any(re.search(rf"\b{w}", p, re.I) for w in words for p in passages),
                f"{what}: the article does not make {name} the meeting's {role}",
            )

    # Who and what: names verbatim; a country or a parent only where the name gives it.
    for organization in organizations.values():
        what = f"organization {organization['slug']}"
        named(organization["slug"], what)
        country = key(organization["country"])
        check(
            country is None or country_names[country] in organization["name"],
            f"{what}: its name does not say it is of {country}",
        )
        parent = key(organization["parent"])
        check(
            parent is None or organizations[parent]["name"] in organization["name"],
            f"{what}: its name does not say it is a body of {parent}",
        )
    for person in people.values():
        what = f"person {person['slug']}"
        passages = article.about(person["name"])
        check(passages, f"{what}: the article does not name {person['name']}")
        country = key(person["country"])
        check(
            country is None or any(country_names[country] in p for p in passages),
            f"{what}: the article does not say {person['name']} is of {country}",
        )

    # The source: what the article gives of itself, and no more.
    for source in records.get("source", []):
        what = f"source {source['slug']}"
        check(source["title"] == "" or article.says(source["title"]), f"{what}: made-up title")
        check(source["url"] == "", f"{what}: the article gives no address")
        named(key(source["publisher"]), what)
        place(what, source["dateline"])
        check(
            source["published_on"] == article.published.isoformat(),
            f"{what}: not published on {article.published}",
        )

    for visit in records.get("visit", []):
        what = f"visit {visit['slug']}"
        dated(what, visit["start_date"], DatePrecision.DAY)
        dated(what, visit["end_date"], DatePrecision.DAY)
        place(what, visit["places"])
        check(
            article.says(Visit.Kind(visit["kind"]).label),
            f"{what}: the article does not call it “{Visit.Kind(visit['kind']).label}”",
        )
    for delegation in records.get("delegation", []):
        what = f"delegation of {key(delegation['visit'])}"
        in_role(what, key(delegation["head"]), delegation["head_office"])
        body = key(delegation["organization"])
        if body:
            sentences = [s for s in article.sentences if "delegation" in s.lower()]
            check(
                any(organizations[body]["name"] in s for s in sentences),
                f"{what}: the article does not say it represented {body}",
            )
    for member in records.get("delegationmember", []):
        in_role(f"member of {key(member['delegation'])}", key(member["person"]), member["office"])

    for meeting in records.get("meeting", []):
        what = f"meeting {meeting['slug']}"
        dated(what, meeting["date"], meeting["date_precision"])
        place(what, meeting["place"])
        check(
            not meeting["country"] or meeting["place"],
            f"{what}: a country with no place the article gives",
        )
        for field in ("host_organization", "body"):
            if meeting[field]:
                named(key(meeting[field]), f"{what} ({field})")
        if meeting["ordinal"]:
            body = organizations[key(meeting["body"])]["name"]
            number = ordinal(meeting["ordinal"])
            check(
                article.says(f"{number} Meeting of the {body}"),
                f"{what}: the article does not number it {number}",
            )
    for participant in records.get("meetingparticipant", []):
        what = f"participant {key(participant['person'])} in {key(participant['meeting'])}"
        in_role(what, key(participant["person"]), participant["office"], participant["role"])
        if participant["organization"]:
            named(key(participant["organization"]), what)

    for agreement in records.get("agreement", []):
        what = f"agreement {agreement['slug']}"
        check(article.says(agreement["title"]), f"{what}: its title is not the article's")
        dated(what, agreement["signed_on"], agreement["signed_precision"])
        precision = agreement.get("validity_precision", DatePrecision.DAY)
        dated(f"{what} (valid from)", agreement["valid_from"], precision)
        dated(f"{what} (valid until)", agreement["valid_until"], precision)
        place(what, agreement["signed_place"])
        check(
            not agreement["signed_country"] or agreement["signed_place"],
            f"{what}: a country of signature with no place the article gives",
        )
        for party in agreement["party_organizations"]:
            named(key(party), f"{what} (party)")
    for signatory in records.get("signatory", []):
        what = f"signatory {key(signatory['person'])} of {key(signatory['agreement'])}"
        in_role(what, key(signatory["person"]), signatory["office"])
        if signatory["organization"]:
            named(key(signatory["organization"]), what)

    # Every record has the article as its source.
    slugs = {source["slug"] for source in records.get("source", [])}
    for model in ("visit", "meeting", "agreement"):
        for record in records.get(model, []):
            check(
                record["sources"] and {key(s) for s in record["sources"]} <= slugs,
                f"{model} {record['slug']}: no source, or one that is not the article",
            )
    return problems


@pytest.fixture
def country_names(db):
    return dict(Country.objects.values_list("code", "name"))


def current_fixture():
    return read_fixture((FIXTURES / f"{NAME}.json").read_text(encoding="utf-8"))


def test_the_fixture_states_nothing_the_article_does_not(country_names):
    assert untold(current_fixture(), read_article(), country_names) == []


def test_the_article_is_read_as_written():
    article = read_article()
    assert article.published == datetime.date(2025, 9, 25)
    assert article.sentences[0] == "Baku, September 25, AZERTAC"
    assert article.states_date(datetime.date(2025, 9, 24), DatePrecision.DAY)
    assert article.states_date(datetime.date(2024, 8, 23), DatePrecision.DAY)
    assert article.states_date(datetime.date(2027, 12, 31), DatePrecision.YEAR)
    assert not article.states_date(datetime.date(2027, 12, 31), DatePrecision.DAY)
    assert not article.states_date(datetime.date(2025, 10, 1), DatePrecision.MONTH)
    assert "Prosecutor General's Office of Azerbaijan" in article.text, "quotes made plain"


def programme(records):
    return next(a for a in records["agreement"] if a["kind"] == "cooperation-programme")


def participant(records, person, meeting_kind):
    meetings = {m["slug"] for m in records["meeting"] if m["kind"] == meeting_kind}
    return next(
        p
        for p in records["meetingparticipant"]
        if key(p["person"]) == person and key(p["meeting"]) in meetings
    )


# Claims the article does not make, each as a change to the fixture and what the check says.
CLAIMS = {
    "validity to the day": (
        lambda r: programme(r).update(validity_precision="day"),
        "(valid from): 2026-01-01 (day) is not a date the article gives",
    ),
    "country of signing with no place": (
        lambda r: programme(r).update(signed_country=["UZ"]),
        "a country of signature with no place the article gives",
    ),
    "a body the delegation represented": (
        lambda r: r["delegation"][0].update(
            organization=["prosecutor-generals-office-of-azerbaijan"]
        ),
        "does not say it represented prosecutor-generals-office-of-azerbaijan",
    ),
    "a host": (
        lambda r: participant(r, "nigmatilla-yuldashev", "bilateral").update(role="host"),
        "does not make Nigmatilla Yuldashev the meeting's host",
    ),
    "a guest": (
        lambda r: participant(r, "kamran-aliyev", "bilateral").update(role="guest"),
        "does not make Kamran Aliyev the meeting's guest",
    ),
    "a headline": (
        lambda r: r["source"][0].update(title="Azerbaijani Prosecutor General visits Uzbekistan"),
        "made-up title",
    ),
    "an address": (
        lambda r: r["source"][0].update(url="https://example.org/news/1"),
        "the article gives no address",
    ),
    "the publisher's country": (
        lambda r: r["organization"][0].update(country=["AZ"]),
        "its name does not say it is of AZ",
    ),
    "the day the visit ended": (
        lambda r: r["visit"][0].update(end_date="2025-09-27"),
        "2025-09-27 (day) is not a date the article gives",
    ),
    "a meeting's day": (
        lambda r: r["meeting"][1].update(date="2025-09-26", date_precision="day"),
        "2025-09-26 (day) is not a date the article gives",
    ),
    "another number in the series": (
        lambda r: r["meeting"][1].update(ordinal=5),
        "the article does not number it 5th",
    ),
    "another place": (
        lambda r: r["visit"][0].update(places="Tashkent, Samarkand"),
        "does not give the place Samarkand",
    ),
    "another office": (
        lambda r: r["signatory"][0].update(office="Minister of Justice"),
        "does not call Kamran Aliyev Minister of Justice",
    ),
    "another kind of visit": (
        lambda r: r["visit"][0].update(kind="state"),
        "does not call it “state visit”",
    ),
    "a record without its source": (
        lambda r: r["meeting"][0].update(sources=[]),
        "no source, or one that is not the article",
    ),
}


@pytest.mark.parametrize("claim", CLAIMS)
def test_each_claim_the_article_does_not_make_is_found(country_names, claim):
    change, problem = CLAIMS[claim]
    records = copy.deepcopy(current_fixture())
    change(records)
    problems = untold(records, read_article(), country_names)
    assert [found for found in problems if problem in found], problems
