"""The world the demo visits happen in (see visits.demo): the countries, each with its
syllables, cities and government bodies; the offices they hold in turn; the intergovernmental
organizations with their recurring bodies, numbered meetings and declarations.

Who holds an office, and a country's cities, are drawn from seeds of their own, so they do not
depend on the order in which visits ask for them.
"""

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from visits.models import (
    Agreement,
    Country,
    DatePrecision,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    Signatory,
)

from . import words
from .tables import PREFIX
from .words import OFFICE

Role = MeetingParticipant.Role
PartyCountry = Agreement.party_countries.through
PartyOrganization = Agreement.party_organizations.through


class Chooser:
    """Draws items by weight: one random number and a binary search."""

    def __init__(self, pairs):
        pairs = list(pairs)
        self.items = [item for item, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def __call__(self, rng):
        index = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


@dataclass
class Land:
    """A country as the generator sees it: its syllables, cities, bodies and office holders."""

    country: Country
    syllables: list
    cities: list = field(default_factory=list)
    organizations: dict = field(default_factory=dict)  # key -> (pk, name)
    terms: dict = field(default_factory=dict)  # office key -> (first years, names)

    @property
    def capital(self):
        return self.cities[0]

    def word(self, rng, low=2, high=3):
        return "".join(rng.choice(self.syllables) for _ in range(rng.randint(low, high))).title()


def day_in(rng, year):
    days = 366 if year % 4 == 0 else 365
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(days))


class World:
    """The countries, their bodies and office holders, and the intergovernmental organizations
    with their meetings, for `total` visits; rows are handed to add(), which a subclass writes."""

    def __init__(self, total, seed=1):
        self.total = total
        self.seed = seed
        self.rng = random.Random(seed)
        self.people = {}  # (country code, office key, term) -> (pk, name)
        self.person_numbers = itertools.count(1)
        self.choose_topic = Chooser(words.TOPICS)

    def add(self, model, **values):
        """A row for a table, with its primary key ("id"); returns it as a dict."""
        raise NotImplementedError

    # Countries, their bodies, and the intergovernmental organizations -----------------------

    def make_lands(self):
        countries = [
            country
            for country in Country.objects.current().order_by("code")
            if country.code not in words.UNINHABITED
        ]
        rest = [country for country in countries if country.code not in words.BUSIEST]
        self.rng.shuffle(rest)
        by_code = {country.code: country for country in countries}
        ordered = [by_code[code] for code in words.BUSIEST if code in by_code] + rest
        self.lands = []
        for country in ordered:
            rng = random.Random(f"{self.seed}:{country.code}")
            land = Land(country, rng.sample(words.SYLLABLES, 14))
            for _ in range(rng.randint(5, 12)):
                city = land.word(rng) + rng.choice(words.CITY_ENDINGS)
                if city not in land.cities:
                    land.cities.append(city)
            self.lands.append(land)
        self.choose_land = Chooser(
            (land, 1 / rank**words.ZIPF_EXPONENT) for rank, land in enumerate(self.lands, 1)
        )

    def make_organizations(self):
        for land in self.lands:
            for key, (template, classification) in words.ORGANIZATIONS.items():
                name = template.format(c=land.country.name)
                row = self.add(
                    Organization,
                    name=name,
                    slug=f"{PREFIX}{land.country.code.lower()}-{key}",
                    classification=classification,
                    country_id=land.country.pk,
                )
                land.organizations[key] = (row["id"], name)

    def make_series(self):
        """Intergovernmental organizations, their recurring bodies, and every numbered meeting
        of each, held in turn in the members' capitals."""
        forms = [(region, form) for form in words.IGO_FORMS for region in words.REGIONS]
        self.rng.shuffle(forms)
        count = min(len(forms), 12 + self.total // 20000)
        for number, (region, form) in enumerate(forms[:count], start=1):
            name = form.format(r=region)
            short = "".join(word[0] for word in name.split() if word[0].isupper())
            igo = self.add(
                Organization,
                name=name,
                short_name=short,
                slug=f"{PREFIX}{slugify(name)}",
                classification=Organization.Classification.INTERGOVERNMENTAL,
            )
            members = self.rng.sample(self.lands[:120], self.rng.randint(5, 20))
            for template, office, title, kind in self.rng.sample(
                words.BODIES, self.rng.randint(1, 3)
            ):
                body = self.add(
                    Organization,
                    name=template.format(o=name),
                    slug=f"{PREFIX}{slugify(template.format(o=short))}-{number}",
                    classification=Organization.Classification.INTERGOVERNMENTAL_BODY,
                    parent_id=igo["id"],
                )
                self.make_body_meetings(igo, body, members, office, title, kind)

    def make_body_meetings(self, igo, body, members, office, title, kind):
        rng = self.rng
        year = rng.randint(words.FIRST_YEAR, 2015)
        every = rng.choice([1, 1, 1, 2])
        number = 0
        while year <= words.LAST_YEAR:
            number += 1
            host = members[(number - 1) % len(members)]
            meeting = self.add(
                Meeting,
                slug=f"{body['slug']}-{number}",
                title=title.format(n=words.ordinal(number), body=body["name"]),
                kind=kind,
                date=day_in(rng, year),
                date_precision=DatePrecision.DAY if rng.random() < 0.85 else DatePrecision.MONTH,
                place=host.capital,
                country_id=host.country.pk,
                host_organization_id=host.organizations["foreign"][0],
                body_id=body["id"],
                ordinal=number,
                summary=f"Delegations of {len(members)} member states discussed {self.topics(2)}.",
            )
            present = rng.sample(members, min(len(members), rng.randint(3, 8)))
            if host not in present:
                present[0] = host
            signers = []
            for land in present:
                person = self.holder(land, office, year)
                self.add(
                    MeetingParticipant,
                    meeting_id=meeting["id"],
                    person_id=person[0],
                    office=OFFICE[office].title,
                    organization_id=land.organizations[OFFICE[office].organization][0],
                    role=Role.CHAIR if land is host else Role.PARTICIPANT,
                )
                signers.append((land, person))
            if rng.random() < 0.3:
                self.declaration(igo, meeting, host, signers, office)
            year += every

    def declaration(self, igo, meeting, host, signers, office):
        agreement = self.add(
            Agreement,
            slug=f"{meeting['slug']}-declaration",
            title=f"Declaration of the {meeting['title']}",
            kind=Agreement.Kind.DECLARATION,
            signed_on=meeting["date"],
            signed_precision=meeting["date_precision"],
            signed_place=meeting["place"],
            signed_country_id=host.country.pk,
            valid_from=meeting["date"],
            meeting_id=meeting["id"],
            summary=f"The members undertake to work together on {self.topics(2)}.",
        )
        self.add(PartyOrganization, agreement_id=agreement["id"], organization_id=igo["id"])
        for land, person in signers:
            self.add(PartyCountry, agreement_id=agreement["id"], country_id=land.country.pk)
            self.add(
                Signatory,
                agreement_id=agreement["id"],
                person_id=person[0],
                office=OFFICE[office].title,
            )

    # People hold offices in turn --------------------------------------------------------------

    def holder(self, land, office, year):
        """The person who held an office in a country in a year: (pk, name), made when first
        needed. Each office's succession is drawn from its own seed, so who holds it does not
        depend on the order visits ask."""
        terms = land.terms.get(office)
        if terms is None:
            rng = random.Random(f"{self.seed}:{land.country.code}:{office}")
            low, high = OFFICE[office].years
            firsts, names = [], []
            first = words.FIRST_YEAR - rng.randint(0, high)
            while first <= words.LAST_YEAR:
                firsts.append(first)
                names.append(f"{land.word(rng, 2, 2)} {land.word(rng, 2, 3)}")
                first += rng.randint(low, high)
            terms = land.terms[office] = (firsts, names)
        firsts, names = terms
        term = bisect.bisect_right(firsts, year) - 1
        key = (land.country.code, office, term)
        person = self.people.get(key)
        if person is None:
            name = names[term]
            row = self.add(
                Person,
                name=name,
                slug=f"{PREFIX}{slugify(name)}-{next(self.person_numbers)}",
                country_id=land.country.pk,
            )
            person = self.people[key] = (row["id"], name)
        return person

    def topics(self, count):
        chosen = []
        while len(chosen) < count:
            topic = self.choose_topic(self.rng)
            if topic not in chosen:
                chosen.append(topic)
        return chosen[0] if count == 1 else ", ".join(chosen[:-1]) + " and " + chosen[-1]
