"""One Person per human, and never two humans as one: the importers' person resolver.

A record names a person (the head of a delegation, a member) by slug and name. A slug that is
not simply made from the name (the travels' traveller ids, a CSV's head_slug) is the person's
identity: the person with that slug, or a new one. Otherwise the name decides, in this order
(the rules are in visits.importing.likeness):

1. a visit imported again keeps the person it has in that role, when the name still stands
   for them (so a re-import finds the same person, and an editor's choice stands);
2. a person with the same folded name and no record a generation apart (of the same country
   first; a one-word name only of the same country);
3. a short name ("Tito", "de Gaulle"): the one person of that country active within NEARBY
   years whose name contains it;
4. a near spelling of the same country active within NEARBY years; a fuller name of a person
   known so far by a short name only (who then takes the fuller name);
5. else a new person, slugged from the name (with the year when that slug is another's).

Every spelling met that is not the person's name is kept as a PersonName (origin "source",
with the record's source). The resolver works a batch at a time: it looks people up by folded
name, slug and name in chunks, and the people of a country active around the batch's dates
through the visits' guest-country index, so the queries grow with the batches, not the records.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Max, Min, Q
from django.utils.text import slugify

from visits.models import Delegation, DelegationMember, Person, PersonName
from visits.names import name_key

from .likeness import (
    GENERATION,
    NEARBY,
    YEAR_DAYS,
    Candidate,
    contains_run,
    is_short,
    near_spelling,
)

LOOKUP_CHUNK = 500
WINDOWS_PER_QUERY = 100
CACHE_LIMIT = 20_000  # people known between batches
MEMBER_DAY = "delegation__visit__start_date"


@dataclass(eq=False)
class Mention:
    """A person as one record names them: its PersonRecord, the day and office, the source,
    and the people (pks) the visit already has in that role."""

    person: object  # PersonRecord
    day: object
    office: str = ""
    source: object = None
    current: tuple = ()
    candidate: Candidate | None = None
    made: bool = False  # the person was made for this mention

    @property
    def given_slug(self):
        """Whether the slug names the person rather than being made from the name."""
        return not self.words or self.person.slug != slugify(self.person.name)[:120]

    @property
    def words(self):
        return name_key(self.person.name).split()


def chunks(values, size=LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def offices_filter(field):
    """The rows whose office is one of those that can conflict (see likeness)."""
    titles = {"King", "Queen", "Emperor", "Empress", "Sultan", "Shah", "Emir", "Amir"}
    titles |= {"Grand Duke", "Grand Duchess", "Crown Prince", "Crown Princess"}
    return Q(**{f"{field}__iendswith": "-elect"}) | Q(**{f"{field}__in": titles})


class PersonResolver:
    """Finds or makes the person of each mention, a batch at a time (resolve()); the writer
    gives the countries, the history-keeping create/update and the counts."""

    def __init__(self, writer):
        self.writer = writer
        self.forget()

    def forget(self):
        self.by_pk, self.by_slug, self.by_key, self.by_country = {}, {}, {}, {}
        self.looked_up = set()  # keys, slugs and names already looked for in the database

    # Knowing people --------------------------------------------------------------------

    def know(self, candidate):
        person = self.index(candidate)
        if person.pk is not None:
            self.by_pk[person.pk] = candidate
        return candidate

    def index(self, candidate):
        person = candidate.person
        if person.slug:
            self.by_slug[person.slug] = candidate
        for key in candidate.keys:
            self.by_key.setdefault(key, []).append(candidate)
        if person.country_id is not None:
            self.by_country.setdefault(person.country_id, []).append(candidate)
        return person

    def load(self, pks):
        """Know the people of these pks (those not known yet), with names, dates and offices."""
        pks = [pk for pk in set(pks) if pk not in self.by_pk]
        for chunk in chunks(pks):
            found = {p.pk: Candidate(p, {p.name}) for p in Person.objects.filter(pk__in=chunk)}
            names = PersonName.objects.filter(person_id__in=chunk)
            for person_id, name in names.values_list("person_id", "name"):
                found[person_id].add_name(name)
                found[person_id].stored.add(name)
            periods = [
                Delegation.objects.filter(head_id__in=chunk)
                .values_list("head_id")
                .annotate(Min("visit__start_date"), Max("visit__start_date"))
                .order_by(),
                DelegationMember.objects.filter(person_id__in=chunk)
                .values_list("person_id")
                .annotate(Min(MEMBER_DAY), Max(MEMBER_DAY))
                .order_by(),
            ]
            for rows in periods:
                for person_id, first, last in rows:
                    found[person_id].see(first, "")
                    found[person_id].see(last, "")
            offices = [
                Delegation.objects.filter(offices_filter("head_office"), head_id__in=chunk)
                .values_list("head_id", "head_office", "visit__start_date")
                .order_by(),
                DelegationMember.objects.filter(offices_filter("office"), person_id__in=chunk)
                .values_list("person_id", "office", "delegation__visit__start_date")
                .order_by(),
            ]
            for rows in offices:
                for person_id, office, day in rows:
                    found[person_id].offices.append((office, day))
            for candidate in found.values():
                self.know(candidate)

    def look_up(self, mentions):
        """Know the people the mentions may mean by slug, name or folded name, and the people
        the visits have now."""
        slugs, names, keys, pks = set(), set(), set(), set()
        for mention in mentions:
            pks.update(mention.current)
            slugs.add(mention.person.slug)
            if not mention.given_slug:
                names.add(mention.person.name)
                keys.add(" ".join(mention.words))
        slugs -= self.looked_up
        names -= self.looked_up
        keys -= self.looked_up
        self.looked_up |= slugs | names | keys
        for chunk in chunks(keys):
            pks.update(PersonName.objects.filter(key__in=chunk).values_list("person_id", flat=True))
        for chunk in chunks([*slugs, *names]):
            people = Person.objects.filter(Q(slug__in=chunk) | Q(name__in=chunk))
            pks.update(people.values_list("pk", flat=True))
        self.load(pks)

    def look_around(self, mentions):
        """Know the people of each mention's country active within NEARBY years of it, for
        the mentions that no known person answers to by name: through the visits their
        country made (the guest country and start date index)."""
        windows = {}
        reach = timedelta(days=round(NEARBY * YEAR_DAYS) + 1)
        for mention in mentions:
            country = self.country_id(mention)
            if mention.given_slug or country is None:
                continue
            if self.current(mention) or self.exact(mention):
                continue
            windows.setdefault(country, []).append((mention.day - reach, mention.day + reach))
        terms = []
        for country, spans in windows.items():
            spans.sort()
            merged = [list(spans[0])]
            for start, end in spans[1:]:
                if start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            terms += [(country, start, end) for start, end in merged]
        pks = set()
        for chunk in chunks(terms, WINDOWS_PER_QUERY):
            heads, members = Q(), Q()
            for country, start, end in chunk:
                heads |= Q(visit__guest_country_id=country, visit__start_date__range=(start, end))
                members |= Q(
                    delegation__visit__guest_country_id=country,
                    delegation__visit__start_date__range=(start, end),
                )
            pks.update(
                Delegation.objects.filter(heads, head__isnull=False)
                .values_list("head_id", flat=True)
                .order_by()
                .distinct()
            )
            pks.update(
                DelegationMember.objects.filter(members)
                .values_list("person_id", flat=True)
                .order_by()
                .distinct()
            )
        self.load(pks)

    # Resolving ---------------------------------------------------------------------------

    def country_id(self, mention):
        country = self.writer.countries.get(mention.person.country)
        return country.pk if country is not None else None

    def resolve(self, mentions):
        """Set each mention's candidate; new people, names and renames are saved at the end."""
        if len(self.by_pk) > CACHE_LIMIT:
            self.forget()
        self.new_people, self.new_names, self.renamed = [], [], []
        self.look_up(mentions)
        self.look_around(mentions)
        # Full names first, so that a short name can find the full name of the same batch;
        # then in order of date, so that a person's records chain as they came.
        for mention in sorted(mentions, key=lambda m: (is_short(m.words), m.day)):
            mention.candidate = self.find(mention)
            self.attach(mention)
        self.save()

    def find(self, mention):
        if mention.given_slug:
            known = self.by_slug.get(mention.person.slug)
            return known or self.new(mention, slug=mention.person.slug)
        return (
            self.current(mention)
            or self.exact(mention)
            or self.nearby(mention)
            or (self.new(mention))
        )

    def current(self, mention):
        """The person the visit has in this role, when the name still stands for them."""
        for pk in mention.current:
            known = self.by_pk.get(pk)
            if known is not None and known.answers_to(mention.words):
                return known
        return None

    def exact(self, mention):
        """The person known by the same folded name, no generation away: of the same country
        first, then the nearest in time (a one-word name: of the same country only)."""
        country = self.country_id(mention)
        short = is_short(mention.words)
        fitting = [
            c
            for c in self.by_key.get(" ".join(mention.words), [])
            if c.fits(mention.day, mention.office, GENERATION)
            and (not short or country is None or c.person.country_id in {country, None})
        ]
        return min(
            fitting,
            key=lambda c: (c.person.country_id != country, c.distance(mention.day) or 0),
            default=None,
        )

    def nearby(self, mention):
        """A short name's one full name, a near spelling or a short name's fuller one, among
        the people of the same country active within NEARBY years."""
        country, words = self.country_id(mention), mention.words
        if country is None:
            return None
        around = [
            c
            for c in self.by_country.get(country, [])
            if c.first is not None and c.fits(mention.day, mention.office, NEARBY)
        ]
        if is_short(words):
            found = [c for c in around if c.answers_to(words)]
            return found[0] if len(found) == 1 else None
        key = " ".join(words)
        near = [c for c in around if any(near_spelling(key, k) for k in c.keys)]
        if near:
            return min(near, key=lambda c: c.distance(mention.day))
        shorter = [c for c in around if c.short and contains_run(words, c.short_words)]
        if len(shorter) == 1:
            self.rename(shorter[0], mention.person.name)
            return shorter[0]
        return None

    def new(self, mention, slug=""):
        country = self.writer.countries.get(mention.person.country)
        person = Person(slug=slug, name=mention.person.name or slug, country=country)
        candidate = Candidate(person, {person.name})
        self.new_people.append((candidate, mention.day.year))
        self.index(candidate)
        mention.made = True
        self.writer.counts["people created"] += 1
        return candidate

    def rename(self, candidate, name):
        """A person known by a short name only takes a fuller one; the short one stays among
        their other names."""
        person, short = candidate.person, candidate.person.name
        person.name = name
        self.record(candidate, short, None)
        if person.pk is not None and candidate not in self.renamed:
            self.renamed.append(candidate)

    def attach(self, mention):
        candidate, name = mention.candidate, mention.person.name
        candidate.see(mention.day, mention.office)
        known = not name or name in candidate.names
        if not mention.made:
            # A person known before this record: by this very name, or merged into them
            # under another spelling or a surname alone.
            self.writer.counts["people matched" if known else "people merged"] += 1
        if not known:
            self.record(candidate, name, mention.source)

    def record(self, candidate, name, source):
        """Keep a spelling of a person's (not their name itself) as one of their names."""
        key = candidate.add_name(name)
        if key:
            self.by_key.setdefault(key, []).append(candidate)
        if name != candidate.person.name and name not in candidate.stored:
            candidate.stored.add(name)
            self.new_names.append(
                PersonName(
                    person=candidate.person,
                    name=name,
                    key=name_key(name),
                    origin=PersonName.Origin.SOURCE,
                    source=source,
                )
            )

    # Saving ------------------------------------------------------------------------------

    def save(self):
        self.assign_slugs()
        people = [candidate.person for candidate, _ in self.new_people]
        self.writer.create(Person, people)
        for candidate, _ in self.new_people:
            self.by_pk[candidate.person.pk] = candidate  # indexed when made
        self.writer.update(Person, [c.person for c in self.renamed], ["name"])
        names = {(n.person.pk, n.name): n for n in self.new_names if n.name != n.person.name}
        self.writer.create(PersonName, list(names.values()))
        self.writer.counts["names recorded"] += len(names)

    def assign_slugs(self):
        """A new person's slug: the one given, else made from the name, with the year of
        their first record when another person has it (and a number after that)."""
        wanted = {}
        for candidate, year in self.new_people:
            if not candidate.person.slug:
                base = slugify(candidate.person.name)[:120] or "person"
                wanted[candidate] = [base, f"{base[:115]}-{year}"]
        options = {slug for slugs in wanted.values() for slug in slugs}
        taken = set(self.by_slug)
        for chunk in chunks(options):
            taken.update(Person.objects.filter(slug__in=chunk).values_list("slug", flat=True))
        for candidate, slugs in wanted.items():
            slug = next((s for s in slugs if s not in taken), None)
            if slug is None:
                existing = set(
                    Person.objects.filter(slug__startswith=slugs[1]).values_list("slug", flat=True)
                )
                number = 2
                while (slug := f"{slugs[1][:112]}-{number}") in taken | existing:
                    number += 1
            candidate.person.slug = slug
            taken.add(slug)
            self.by_slug[slug] = candidate
