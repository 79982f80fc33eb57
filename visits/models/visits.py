"""Visits, their delegations and the delegations' members."""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import address
from ..names import fold, folded_forms, name_key
from .base import PersonInRole, SlugQuerySet
from .countries import Country
from .people import Organization, OrganizationName, Person, PersonName
from .places import PlaceName
from .sources import Source

# The full-text vector on PostgreSQL: a title match ranks above a match elsewhere.
SEARCH_VECTOR = SearchVector("title", weight="A", config="english") + SearchVector(
    "search_text", weight="B", config="english"
)


class VisitQuerySet(SlugQuerySet):
    """The rules that say which visits a page, a filter, a feed or an export means."""

    def involving(self, *countries):
        """Made by or to any of the countries."""
        return self.filter(Q(guest_country__in=countries) | Q(host_country__in=countries))

    def between_countries(self, first, second):
        """Made by either country to the other."""
        return self.filter(
            Q(guest_country=first, host_country=second)
            | Q(guest_country=second, host_country=first)
        )

    def in_period(self, start=None, end=None):
        """Visits that overlap the period from start to end (either may be open)."""
        queryset = self
        if end is not None:
            queryset = queryset.filter(start_date__lte=end)
        if start is not None:
            # Its end, else its start, is on or after the start: one column, one index.
            queryset = queryset.filter(last_day__gte=start)
        return queryset

    def with_organization(self, organization):
        """The delegation represented the organization, or it hosted one of the meetings."""
        meetings = self.model._meta.get_field("meetings").related_model.objects
        hosted = meetings.filter(visit=OuterRef("pk"), host_organization=organization)
        return self.filter(Q(delegation__organization=organization) | Exists(hosted))

    def with_person(self, person):
        """The person led the delegation, was a member of it or took part in a meeting."""
        member = DelegationMember.objects.filter(delegation__visit=OuterRef("pk"), person=person)
        participations = self.model._meta.get_field("meetings").related_model.participants
        participant = participations.field.model.objects.filter(
            meeting__visit=OuterRef("pk"), person=person
        )
        return self.filter(Q(delegation__head=person) | Exists(member) | Exists(participant))

    def with_related(self):
        """With what a row of a list shows: the countries, the delegation's head and body."""
        return self.select_related(
            "guest_country", "host_country", "delegation__head", "delegation__organization"
        )

    def one_per_event(self):
        """Each event once: without the visits that were part of another (a Secretary of
        State who accompanied the President)."""
        return self.filter(part_of__isnull=True)

    def with_stop_number(self):
        """With stop_number and stop_count: where the visit comes in its journey's stops, in
        their order (date, then slug), and how many there are; computed in the same query."""
        stops = self.model.objects.filter(journey=OuterRef("journey")).order_by()
        before = stops.filter(
            Q(start_date__lt=OuterRef("start_date"))
            | Q(start_date=OuterRef("start_date"), slug__lt=OuterRef("slug"))
        )
        return self.annotate(
            stop_count=Subquery(stops.values("journey").annotate(n=Count("pk")).values("n")),
            stop_number=Coalesce(
                Subquery(before.values("journey").annotate(n=Count("pk")).values("n")), 0
            )
            + 1,
        )

    def refresh_search_text(self):
        """Rebuild the text that search looks in for these visits: the title, places, the
        names of the countries, the delegation's head (and office) and body, the summary; then
        the folded forms (visits.names.fold: ASCII, lower case) of those that are written with
        accents or in another script, and of the other names of the head, the members, the body
        and the places, so that a query folded the same way finds them ("Алиев" → "aliev").
        Countries' other names are not copied here (a hundred languages each): the search
        matches them itself. Only the visits whose text changed are written; on PostgreSQL their
        weighted search vector (title A, the rest B) behind its GIN index is then recomputed.
        Importers that bulk-create visits call this once at the end."""
        rows = list(
            self.order_by().values_list(
                "pk",
                "search_text",
                "title",
                "places",
                "guest_country__name",
                "host_country__name",
                "delegation__head__name",
                "delegation__head_office",
                "delegation__organization__name",
                "summary",
                "host_country",
                "delegation__head",
                "delegation__organization",
            )
        )
        if not rows:
            return
        names = search_names([row[0] for row in rows], rows)
        changed = {}
        for pk, old, *parts, _host, _head, _body in rows:
            text = " ".join(part or "" for part in parts)
            # The countries' names are matched by the search itself, in every language.
            countries = set(folded_forms(parts[2:4]))
            own = [part for index, part in enumerate(parts) if index not in (2, 3)]
            extra = [form for form in folded_forms(own) if form not in countries]
            for folded in names.get(pk, ()):
                if folded not in extra:
                    extra.append(folded)
            if extra:
                text = f"{text} {' '.join(extra)}"
            if text != old:
                changed[pk] = text
        table = connection.ops.quote_name(self.model._meta.db_table)
        # One transaction (outside one, SQLite would commit every row on its own).
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET search_text = %s WHERE id = %s",
                [(text, pk) for pk, text in changed.items()],
            )
        if connection.vendor == "postgresql":
            pks = [row[0] for row in rows]
            self.model.objects.filter(
                Q(pk__in=list(changed)) | Q(pk__in=pks, search_vector__isnull=True)
            ).update(search_vector=SEARCH_VECTOR)


def search_names(pks, rows):
    """{visit pk: [folded other names]} of the visits' heads, delegation members, bodies and
    places (the place names of the host country), each list in that order, without repeats."""
    found = {pk: [] for pk in pks}
    heads = {row[-2] for row in rows if row[-2]}
    bodies = {row[-1] for row in rows if row[-1]}
    members = {}
    for chunk in chunks(pks):
        for visit, person in DelegationMember.objects.filter(
            delegation__visit__in=chunk
        ).values_list("delegation__visit", "person"):
            members.setdefault(visit, []).append(person)
    people = {*heads, *(person for persons in members.values() for person in persons)}
    person_names = grouped(PersonName.objects, "person", people)
    body_names = grouped(OrganizationName.objects, "organization", bodies)
    hosts = {row[-3] for row in rows if row[-3] and row[3]}
    place_names = {}
    if hosts:
        for country, place, name in PlaceName.objects.filter(country__in=hosts).values_list(
            "country", "place_key", "name"
        ):
            place_names.setdefault((country, place), []).append(name)
    for row in rows:
        pk, places, host, head, body = row[0], row[3], row[-3], row[-2], row[-1]
        texts = [*person_names.get(head, ())]
        for person in members.get(pk, ()):
            texts.extend(person_names.get(person, ()))
        texts.extend(body_names.get(body, ()))
        for place in (places or "").split(","):
            texts.extend(place_names.get((host, name_key(place)), ()))
        folded = found[pk]
        for text in texts:
            form = " ".join(fold(text).split())
            if form and form not in folded:
                folded.append(form)
    return found


def grouped(manager, field, pks):
    """{record pk: [its other names]} of the records."""
    found = {}
    for chunk in chunks(list(pks)):
        for owner, name in manager.filter(**{f"{field}__in": chunk}).values_list(field, "name"):
            found.setdefault(owner, []).append(name)
    return found


def chunks(items, size=900):
    """The items in lists of at most size (SQLite's limit on a query's parameters)."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Visit(models.Model):
    """A delegation's trip from a guest country to a host country."""

    class Kind(models.TextChoices):
        STATE = "state", _("state visit")
        OFFICIAL = "official", _("official visit")
        OFFICIAL_WORKING = "official-working", _("official working visit")
        WORKING = "working", _("working visit")
        PRIVATE = "private", _("private visit")
        OTHER = "other", _("other visit")
        UNSPECIFIED = "unspecified", _("visit (kind not stated)")

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.UNSPECIFIED)
    guest_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="visits_made")
    host_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="visits_received"
    )
    start_date = models.DateField(help_text=_("The day the delegation arrived."))
    end_date = models.DateField(null=True, blank=True, help_text=_("Empty when it is not known."))
    last_day = models.GeneratedField(
        expression=Coalesce("end_date", "start_date"),
        output_field=models.DateField(),
        db_persist=True,
        help_text=_(
            "The end date, else the start date: the last day the visit is known to "
            "cover. Kept by the database; date ranges filter on it."
        ),
    )
    places = models.CharField(
        max_length=300, blank=True, help_text=_("Cities or sites visited, separated by commas.")
    )
    summary = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="visits", blank=True)
    part_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        db_index=False,  # see Meta.indexes
        blank=True,
        related_name="accompanying",
        verbose_name=_("part of"),
        help_text=_(
            "The visit this one was part of: a Secretary of State who accompanied the "
            "President. Counting events once leaves such visits out."
        ),
    )
    journey = models.ForeignKey(
        "Journey",
        on_delete=models.SET_NULL,
        null=True,
        db_index=False,  # see Meta.indexes
        blank=True,
        related_name="stops",
        help_text=_("The trip this visit is a stop of."),
    )
    dataset = models.CharField(
        max_length=60, blank=True, help_text=_("The dataset an imported record came from.")
    )
    record_id = models.CharField(
        max_length=60, blank=True, help_text=_("The record's id in that dataset.")
    )
    search_text = models.TextField(
        blank=True, editable=False, help_text=_("Kept up to date by refresh_search_text().")
    )
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["last_day", "search_text", "search_vector"], m2m_fields=[sources]
    )
    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="visit_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(guest_country=F("host_country")),
                name="visit_guest_differs_from_host",
                violation_error_message=_("The guest and host countries must differ."),
            ),
            models.UniqueConstraint(
                fields=["dataset", "record_id"],
                condition=~Q(record_id=""),
                name="visit_unique_dataset_record",
            ),
            models.CheckConstraint(
                condition=~Q(part_of=F("pk")),
                name="visit_not_part_of_itself",
                violation_error_message=_("A visit cannot be part of itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["-start_date", "slug"], name="visit_start_idx"),
            models.Index(fields=["last_day", "start_date"], name="visit_last_day_idx"),
            models.Index(fields=["guest_country", "start_date"], name="visit_guest_start_idx"),
            models.Index(fields=["host_country", "start_date"], name="visit_host_start_idx"),
            models.Index(fields=["kind", "start_date"], name="visit_kind_start_idx"),
            # Most visits are part of no other visit and of no journey: indexes of the keys
            # that are set. SQLite's statistics count every empty key as one value, so with a
            # full index it took "part_of = 5" for most of the table and read it all instead.
            models.Index(
                fields=["part_of"], condition=Q(part_of__isnull=False), name="visit_part_of_idx"
            ),
            models.Index(
                fields=["journey"], condition=Q(journey__isnull=False), name="visit_journey_idx"
            ),
            # The visits one way between two countries, newest first: a visit's page reads
            # the latest of each way from it (an OR of both ways, ordered by date, made
            # PostgreSQL walk every visit in date order for a rare pair).
            models.Index(
                fields=["guest_country", "host_country", "-start_date"],
                name="visit_pair_start_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("visit_detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def delegation_or_none(self):
        """The visit's delegation, or None when none is recorded."""
        try:
            return self.delegation
        except ObjectDoesNotExist:
            return None


class DelegationManager(models.Manager):
    def get_by_natural_key(self, visit_slug):
        return self.get(visit__slug=visit_slug)


OFFICE_NEEDS_HEAD = _(
    "An office needs the person who held it: choose the head of the delegation, or leave the "
    "office empty."
)


class Delegation(models.Model):
    """Who travelled on a visit: the guest country's delegation, its organization and head."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="delegation")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        help_text=_("The body the delegation represented, when stated."),
    )
    head = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_led",
    )
    head_office = models.CharField(
        _("office of the head"),
        max_length=200,
        blank=True,
        help_text=_("As held during the visit."),
    )

    history = HistoricalRecords()
    objects = DelegationManager()

    class Meta:
        ordering = ["visit"]
        constraints = [
            models.CheckConstraint(
                condition=Q(head_office="") | Q(head__isnull=False),
                name="delegation_office_needs_head",
                violation_error_message=OFFICE_NEEDS_HEAD,
            ),
        ]

    def __str__(self):
        return f"Delegation of {self.visit.guest_country} ({self.visit})"

    def get_absolute_url(self):
        return self.visit.get_absolute_url()

    def clean(self):
        """The office without its holder, said beside the head's field (the database's
        constraint says it for every other way in)."""
        if self.head_office and self.head_id is None:
            raise ValidationError({"head": OFFICE_NEEDS_HEAD})

    def natural_key(self):
        return self.visit.natural_key()

    natural_key.dependencies = ["visits.visit"]

    @property
    def country(self):
        return self.visit.guest_country


class DelegationMember(PersonInRole):
    """A member of a delegation other than its head, with the office held at the time."""

    PARENT = "delegation"
    PARENT_KEY = "delegation__visit__slug"

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delegations_joined")

    history = HistoricalRecords()

    class Meta:
        ordering = ["delegation", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "person"], name="delegation_member_once"),
        ]

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["visits.delegation", "visits.person"]
