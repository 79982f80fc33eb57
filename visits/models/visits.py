"""Visits, their delegations and the delegations' members."""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import JoinText, PersonInRole, SlugQuerySet
from .countries import Country
from .people import Organization, Person
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
        """Rebuild the text that search looks in (title, places, summary, the names of the
        countries, the delegation's head and body) for these visits, in the database; on
        PostgreSQL also the weighted search vector (title A, the rest B) behind its GIN index.
        Importers that bulk-create visits call this once at the end."""
        delegation = Delegation.objects.filter(visit=OuterRef("pk"))
        country = Country.objects.all()
        self.update(
            search_text=JoinText(
                "title",
                "places",
                Subquery(country.filter(pk=OuterRef("guest_country")).values("name")[:1]),
                Subquery(country.filter(pk=OuterRef("host_country")).values("name")[:1]),
                Subquery(delegation.values("head__name")[:1]),
                Subquery(delegation.values("head_office")[:1]),
                Subquery(delegation.values("organization__name")[:1]),
                "summary",
            )
        )
        if connection.vendor == "postgresql":
            self.update(search_vector=SEARCH_VECTOR)


class Visit(models.Model):
    """A delegation's trip from a guest country to a host country."""

    class Kind(models.TextChoices):
        STATE = "state", "state visit"
        OFFICIAL = "official", "official visit"
        OFFICIAL_WORKING = "official-working", "official working visit"
        WORKING = "working", "working visit"
        PRIVATE = "private", "private visit"
        OTHER = "other", "other visit"
        UNSPECIFIED = "unspecified", "visit (kind not stated)"

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.UNSPECIFIED)
    guest_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="visits_made")
    host_country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="visits_received"
    )
    start_date = models.DateField(help_text="The day the delegation arrived.")
    end_date = models.DateField(null=True, blank=True, help_text="Empty when it is not known.")
    last_day = models.GeneratedField(
        expression=Coalesce("end_date", "start_date"),
        output_field=models.DateField(),
        db_persist=True,
        help_text="The end date, else the start date: the last day the visit is known to "
        "cover. Kept by the database; date ranges filter on it.",
    )
    places = models.CharField(
        max_length=300, blank=True, help_text="Cities or sites visited, separated by commas."
    )
    summary = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="visits", blank=True)
    part_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accompanying",
        verbose_name="part of",
        help_text="The visit this one was part of: a Secretary of State who accompanied the "
        "President. Counting events once leaves such visits out.",
    )
    journey = models.ForeignKey(
        "Journey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stops",
        help_text="The trip this visit is a stop of.",
    )
    dataset = models.CharField(
        max_length=60, blank=True, help_text="The dataset an imported record came from."
    )
    record_id = models.CharField(
        max_length=60, blank=True, help_text="The record's id in that dataset."
    )
    search_text = models.TextField(
        blank=True, editable=False, help_text="Kept up to date by refresh_search_text()."
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
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=~Q(guest_country=F("host_country")),
                name="visit_guest_differs_from_host",
                violation_error_message="The guest and host countries must differ.",
            ),
            models.UniqueConstraint(
                fields=["dataset", "record_id"],
                condition=~Q(record_id=""),
                name="visit_unique_dataset_record",
            ),
            models.CheckConstraint(
                condition=~Q(part_of=F("pk")),
                name="visit_not_part_of_itself",
                violation_error_message="A visit cannot be part of itself.",
            ),
        ]
        indexes = [
            models.Index(fields=["-start_date", "slug"], name="visit_start_idx"),
            models.Index(fields=["last_day", "start_date"], name="visit_last_day_idx"),
            models.Index(fields=["guest_country", "start_date"], name="visit_guest_start_idx"),
            models.Index(fields=["host_country", "start_date"], name="visit_host_start_idx"),
            models.Index(fields=["kind", "start_date"], name="visit_kind_start_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("visit_detail", kwargs={"slug": self.slug})

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


class Delegation(models.Model):
    """Who travelled on a visit: the guest country's delegation, its organization and head."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="delegation")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        help_text="The body the delegation represented, when stated.",
    )
    head = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations_led",
    )
    head_office = models.CharField(
        "office of the head", max_length=200, blank=True, help_text="As held during the visit."
    )

    history = HistoricalRecords()
    objects = DelegationManager()

    class Meta:
        ordering = ["visit"]

    def __str__(self):
        return f"Delegation of {self.visit.guest_country} ({self.visit})"

    def get_absolute_url(self):
        return self.visit.get_absolute_url()

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
