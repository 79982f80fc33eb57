"""The demo generator (see visits.demo): the visits, drawn in a world of countries, bodies and
office holders (visits.demo.world), with their delegations, meetings, agreements and sources,
made in batches in one thread while another writes the batch before (visits.demo.tables)."""

import contextlib
import datetime
import queue
import threading
import time
from dataclasses import dataclass, field

from django.db import transaction

from visits.models import (
    Agreement,
    DatePrecision,
    Delegation,
    DelegationMember,
    Meeting,
    MeetingParticipant,
    Signatory,
    Source,
    Visit,
)

from . import words
from .tables import PREFIX, Keys, Tables, analyze
from .words import OFFICE
from .world import Chooser, Land, PartyCountry, PartyOrganization, Role, World, day_in

VisitSource = Visit.sources.through
MeetingSource = Meeting.sources.through
AgreementSource = Agreement.sources.through


class Stopped(Exception):
    """The batches are no longer wanted (the writing failed): the making thread stops."""


@dataclass
class Trip:
    """One visit being made: who travels, who receives them, and what was made for it."""

    number: int
    guest: Land
    host: Land
    office: str
    host_office: str
    head: tuple | None  # (pk, name)
    counterpart: tuple  # (pk, name)
    organization: tuple | None  # (pk, name)
    visit: dict = field(default_factory=dict)
    source: int | None = None
    members: list = field(default_factory=list)  # [(pk, office key)]
    meetings: list = field(default_factory=list)


class DemoGenerator(World):
    """Makes `total` demo visits and what surrounds them (see visits.demo)."""

    def __init__(self, total, seed=1, batch_size=5000, log=None):
        super().__init__(total, seed)
        self.batch_size = batch_size
        self.log = log or (lambda message: None)
        self.stop = False
        self.choose_kind = Chooser(words.VISIT_KINDS)
        self.choose_duration = Chooser(words.DURATIONS)
        self.choose_head = Chooser((o.key, o.head_weight) for o in words.OFFICES if o.head_weight)
        self.choose_member = Chooser(
            (o.key, o.member_weight) for o in words.OFFICES if o.member_weight
        )
        self.choose_meeting_count = Chooser(words.MEETINGS_PER_VISIT)
        self.choose_meeting_kind = Chooser(words.MEETING_KINDS)
        self.choose_agreement_kind = Chooser(words.AGREEMENT_KINDS)
        years = range(words.FIRST_YEAR, words.LAST_YEAR + 1)
        growth = words.YEAR_GROWTH
        self.choose_year = Chooser((year, 1 + growth * (year - years[0])) for year in years)

    def run(self):
        """Make everything in one transaction; returns the seconds it took.

        Batches of visits are made in a thread of their own while this one writes the batch
        before, so that Python draws while the database stores. Only this thread talks to the
        database."""
        started = time.monotonic()
        with transaction.atomic():
            self.keys = Keys()
            self.tables = Tables()
            self.tables.prepare()
            self.make_lands()
            self.make_organizations()
            self.make_series()
            self.tables.write(self.tables.take())
            done = reported = 0
            for size, batch in self.batches():
                self.tables.write(batch)
                done += size
                if done * 10 // self.total > reported:
                    reported = done * 10 // self.total
                    elapsed = time.monotonic() - started
                    self.log(f"  {done:,} of {self.total:,} visits ({elapsed:.1f} s)")
            self.keys.reset_sequences()
        analyze()
        return time.monotonic() - started

    def batches(self):
        """(visits, batch) for every batch, made ahead in another thread (one waiting at most,
        so memory holds three batches however many visits are asked for)."""
        made = queue.Queue(maxsize=1)

        def make():
            try:
                for first in range(1, self.total + 1, self.batch_size):
                    last = min(first + self.batch_size - 1, self.total)
                    for number in range(first, last + 1):
                        self.make_visit(number)
                    made.put((last - first + 1, self.tables.take()))
            except BaseException as error:  # handed to the writing thread, raised there
                made.put((0, error))
            else:
                made.put((0, None))

        maker = threading.Thread(target=make, name="generate_demo", daemon=True)
        maker.start()
        try:
            while True:
                size, batch = made.get()
                if isinstance(batch, BaseException):
                    raise batch
                if batch is None:
                    return
                yield size, batch
        finally:
            self.stop = True
            while maker.is_alive():  # let it finish (or fail) so the queue drains
                with contextlib.suppress(queue.Empty):
                    made.get(timeout=0.1)
            maker.join()

    @property
    def counts(self):
        return self.tables.counts

    def add(self, model, **values):
        """A row for a table, with its primary key ("id"); returns it as a dict."""
        if self.stop:
            raise Stopped
        return self.tables.add(model, {"id": self.keys(model), **values})

    # A visit and what hangs on it -------------------------------------------------------------

    def make_visit(self, number):
        rng = self.rng
        year = self.choose_year(rng)
        start = day_in(rng, year)
        days = self.choose_duration(rng)
        guest = self.choose_land(rng)
        host = self.choose_land(rng)
        while host is guest:
            host = self.choose_land(rng)
        kind = self.choose_kind(rng)
        if kind == Visit.Kind.STATE:
            office = "president"
        elif kind == Visit.Kind.OFFICIAL:
            office = rng.choice(words.LEADERS)
        else:
            office = self.choose_head(rng)
        host_office = office if rng.random() < 0.6 else rng.choice(words.LEADERS)
        trip = Trip(
            number=number,
            guest=guest,
            host=host,
            office=office,
            host_office=host_office,
            head=self.holder(guest, office, year) if rng.random() < 0.95 else None,
            counterpart=self.holder(host, host_office, year),
            organization=(
                guest.organizations[OFFICE[office].organization] if rng.random() < 0.85 else None
            ),
        )
        cities = [host.capital if rng.random() < 0.7 else rng.choice(host.cities)]
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            city = rng.choice(host.cities)
            if city not in cities:
                cities.append(city)
        title, summary = self.visit_texts(trip, kind, cities)
        places = ", ".join(cities)
        head, organization = trip.head, trip.organization
        head_office = OFFICE[office].title if head else ""
        pair = f"{guest.country.code}-{host.country.code}".lower()
        trip.visit = self.add(
            Visit,
            slug=f"{PREFIX}{year}-{pair}-{number}",
            title=title,
            kind=kind,
            guest_country_id=guest.country.pk,
            host_country_id=host.country.pk,
            start_date=start,
            end_date=None if days is None else start + datetime.timedelta(days=days),
            places=places,
            summary=summary,
            # As VisitQuerySet.refresh_search_text() joins them: a missing part is empty.
            search_text=" ".join(
                [
                    title,
                    places,
                    guest.country.name,
                    host.country.name,
                    head[1] if head else "",
                    head_office,
                    organization[1] if organization else "",
                    summary,
                ]
            ),
        )
        with_members = rng.random() < 0.3
        if head or organization or with_members:
            delegation = self.add(
                Delegation,
                visit_id=trip.visit["id"],
                organization_id=organization[0] if organization else None,
                head_id=head[0] if head else None,
                head_office=head_office,
            )
            if with_members:
                self.make_members(trip, delegation, year)
        self.make_source(trip)
        self.make_meetings(trip)
        chance = words.AGREEMENT_CHANCE.get(kind, words.AGREEMENT_CHANCE_OTHER)
        if rng.random() < chance:
            for index in range(1 if rng.random() < 0.75 else 2):
                self.make_agreement(trip, index)

    def visit_texts(self, trip, kind, cities):
        """A visit's title and summary."""
        rng = self.rng
        guest, host, head = trip.guest.country.name, trip.host.country.name, trip.head
        city = cities[0]
        if head:
            title = words.TITLES[kind].format(
                office=OFFICE[trip.office].title,
                name=head[1],
                host=host,
                city=city,
                topic=self.topics(1),
            )
            summary = (
                f"{head[1]} held talks with {OFFICE[trip.host_office].title} "
                f"{trip.counterpart[1]} in {city} on {self.topics(2)}."
            )
        else:
            title = f"{guest} delegation visits {host}"
            summary = f"The delegation discussed {self.topics(2)} with officials in {city}."
        extra = rng.random()
        if extra < 0.25:
            summary += f" The sides agreed to expand cooperation in {self.topics(1)}."
        elif extra < 0.4:
            years = rng.randint(10, 70)
            summary += (
                f" The visit marked {years} years of diplomatic relations between {guest} "
                f"and {host}."
            )
        elif extra < 0.5:
            summary += f" The delegation also visited {rng.choice(trip.host.cities)}."
        return title, summary

    def make_members(self, trip, delegation, year):
        taken = {trip.head[0]} if trip.head else set()
        for _ in range(self.rng.randint(1, 3)):
            office = self.choose_member(self.rng)
            pk, _name = self.holder(trip.guest, office, year)
            if pk in taken:
                continue
            taken.add(pk)
            trip.members.append((pk, office))
            self.add(
                DelegationMember,
                delegation_id=delegation["id"],
                person_id=pk,
                office=OFFICE[office].title,
                organization_id=trip.guest.organizations[OFFICE[office].organization][0],
            )

    def make_source(self, trip):
        visit, number = trip.visit, trip.number
        land = trip.guest if self.rng.random() < 0.6 else trip.host
        title = visit["title"]
        if trip.head:
            title = f"{trip.head[1]} arrives in {trip.host.country.name}"
        url = ""
        if self.rng.random() < 0.7:
            url = f"https://example.org/{land.country.code.lower()}/news/{number}"
        source = self.add(
            Source,
            slug=f"{PREFIX}source-{number}",
            title=title,
            publisher_id=land.organizations["news"][0],
            dateline=visit["places"].split(", ")[0],
            published_on=visit["end_date"] or visit["start_date"],
            url=url,
        )
        trip.source = source["id"]
        self.add(VisitSource, visit_id=visit["id"], source_id=source["id"])

    def meeting_title(self, trip, kind, city):
        if kind == Meeting.Kind.BILATERAL and trip.head:
            return (
                f"Talks between {OFFICE[trip.office].title} {trip.head[1]} and "
                f"{OFFICE[trip.host_office].title} {trip.counterpart[1]}"
            )
        if kind == Meeting.Kind.BILATERAL:
            return f"Bilateral meeting in {city}"
        if kind == Meeting.Kind.CEREMONY:
            return f"{self.rng.choice(words.CEREMONIES)} ceremony in {city}"
        if kind == Meeting.Kind.MULTILATERAL:
            return f"Round table on {self.topics(1)} in {city}"
        if kind == Meeting.Kind.CONFERENCE:
            return f"{self.topics(1).capitalize()} conference in {city}"
        return f"Meeting with {self.topics(1)} leaders in {city}"

    def make_meetings(self, trip):
        rng, visit = self.rng, trip.visit
        span = (visit["end_date"] - visit["start_date"]).days if visit["end_date"] else 0
        cities = visit["places"].split(", ")
        host_body = trip.host.organizations[OFFICE[trip.host_office].organization][0]
        for position in range(self.choose_meeting_count(rng)):
            kind = self.choose_meeting_kind(rng)
            city = rng.choice(cities)
            day = visit["start_date"] + datetime.timedelta(days=rng.randint(0, span))
            meeting = self.add(
                Meeting,
                slug=f"{PREFIX}meeting-{trip.number}-{position + 1}",
                title=self.meeting_title(trip, kind, city),
                kind=kind,
                visit_id=visit["id"],
                position=position,
                date=day if rng.random() < 0.95 else None,
                place=city,
                country_id=trip.host.country.pk,
                host_organization_id=host_body,
                summary=f"They discussed {self.topics(2)}." if rng.random() < 0.5 else "",
            )
            trip.meetings.append(meeting)
            people = [(trip.counterpart[0], trip.host_office, trip.host, Role.HOST)]
            if trip.head:
                people.insert(0, (trip.head[0], trip.office, trip.guest, Role.GUEST))
            for pk, office in trip.members:
                if rng.random() < 0.5:
                    people.append((pk, office, trip.guest, Role.PARTICIPANT))
            for pk, office, land, role in people:
                self.add(
                    MeetingParticipant,
                    meeting_id=meeting["id"],
                    person_id=pk,
                    office=OFFICE[office].title,
                    organization_id=land.organizations[OFFICE[office].organization][0],
                    role=role,
                )
            if rng.random() < 0.5:
                self.add(MeetingSource, meeting_id=meeting["id"], source_id=trip.source)

    def make_agreement(self, trip, index):
        rng, visit = self.rng, trip.visit
        meeting = trip.meetings[0] if trip.meetings else None
        kind = self.choose_agreement_kind(rng)
        topic = self.topics(1)
        label = Agreement.Kind(kind).label
        signed = (meeting["date"] if meeting else None) or visit["start_date"]
        valid_from = valid_until = None
        if rng.random() < 0.8:
            valid_from = signed
            if rng.random() < 0.25:
                valid_from += datetime.timedelta(days=rng.randint(30, 365))
            if rng.random() < 0.4:
                valid_until = valid_from.replace(year=valid_from.year + rng.randint(2, 10), day=1)
        guest, host = trip.guest.country.name, trip.host.country.name
        summary = ""
        if rng.random() < 0.5:
            summary = f"Cooperation in {topic} for {rng.randint(2, 10)} years."
        agreement = self.add(
            Agreement,
            slug=f"{PREFIX}agreement-{trip.number}-{index + 1}",
            title=f"{label[0].upper()}{label[1:]} between {guest} and {host} on {topic}",
            kind=kind,
            signed_on=signed,
            signed_precision=DatePrecision.DAY if rng.random() < 0.9 else DatePrecision.MONTH,
            signed_place=meeting["place"] if meeting else visit["places"].split(", ")[0],
            signed_country_id=trip.host.country.pk,
            valid_from=valid_from,
            valid_until=valid_until,
            visit_id=visit["id"],
            meeting_id=meeting["id"] if meeting else None,
            summary=summary,
        )
        pk = agreement["id"]
        self.add(PartyCountry, agreement_id=pk, country_id=trip.guest.country.pk)
        self.add(PartyCountry, agreement_id=pk, country_id=trip.host.country.pk)
        if trip.organization and rng.random() < 0.3:
            self.add(PartyOrganization, agreement_id=pk, organization_id=trip.organization[0])
        for person, office in ((trip.head, trip.office), (trip.counterpart, trip.host_office)):
            if person:
                office = OFFICE[office].title
                self.add(Signatory, agreement_id=pk, person_id=person[0], office=office)
        self.add(AgreementSource, agreement_id=pk, source_id=trip.source)
