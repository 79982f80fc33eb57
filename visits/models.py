"""Diplomatic visits and what surrounds them: countries, organizations, people,
delegations, meetings, agreements, and the sources every record comes from.

Offices are stored where a person takes part (delegation head or member, meeting
participant, signatory), because a person's office changes over time.
"""

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

# The full-text vector on PostgreSQL: a title match ranks above a match elsewhere.
SEARCH_VECTOR = SearchVector("title", weight="A", config="english") + SearchVector(
    "search_text", weight="B", config="english"
)


class DatePrecision(models.TextChoices):
    """How much of a stored date is known: the day, only the month, or only the year."""

    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"


class JoinText(Func):
    """Texts joined by spaces, an empty text standing for a missing one (flat SQL ||, so
    SQLite's parser copes with many parts)."""

    arg_joiner = " || ' ' || "
    template = "(%(expressions)s)"
    output_field = models.TextField()

    def __init__(self, *expressions):
        super().__init__(*(Coalesce(expression, Value("")) for expression in expressions))


def count_of(queryset):
    """A subquery giving the number of rows of a queryset filtered on an OuterRef."""
    return queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")


def format_partial_date(value, precision):
    """A date for people, shown no more precisely than it is known."""
    if value is None:
        return "date unknown"
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "F Y")
    return date_format(value, "j F Y")


class SlugManager(models.Manager):
    """Looks records up by their slug, the natural key fixtures and imports refer to."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# Countries -------------------------------------------------------------------------------


class CountryQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code.upper())

    def current(self):
        return self.filter(status=Country.Status.CURRENT)

    def with_records(self, kind="any"):
        """Countries that records of a kind refer to ("visits", "meetings", "agreements",
        "organizations", "people"), or records of any kind."""
        outer = OuterRef("pk")
        conditions = {
            "visits": [
                Exists(Visit.objects.filter(guest_country=outer)),
                Exists(Visit.objects.filter(host_country=outer)),
            ],
            "meetings": [Exists(Meeting.objects.filter(country=outer))],
            "agreements": [
                Exists(Agreement.party_countries.through.objects.filter(country=outer))
            ],
            "organizations": [Exists(Organization.objects.filter(country=outer))],
            "people": [Exists(Person.objects.filter(country=outer))],
        }
        chosen = (
            [condition for group in conditions.values() for condition in group]
            if kind == "any"
            else conditions[kind]
        )
        condition = chosen[0]
        for other in chosen[1:]:
            condition |= other
        return self.filter(condition)

    def with_visit_counts(self):
        made = Visit.objects.filter(guest_country=OuterRef("pk"))
        received = Visit.objects.filter(host_country=OuterRef("pk"))
        return self.annotate(
            visits_made_count=Coalesce(Subquery(count_of(made)), 0),
            visits_received_count=Coalesce(Subquery(count_of(received)), 0),
        )


class Country(models.Model):
    """A state or territory: ISO 3166-1, a former state (ISO 3166-3) or an entity with no code."""

    class Status(models.TextChoices):
        CURRENT = "current", "current (ISO 3166-1)"
        FORMER = "former", "former (ISO 3166-3)"
        OTHER = "other", "other (no ISO 3166 code)"

    code = models.CharField(
        max_length=8,
        unique=True,
        help_text="ISO 3166-1 alpha-2 for current countries, ISO 3166-3 alpha-4 for former "
        "ones, an agreed code (such as XK) for entities without an ISO code. Upper case.",
    )
    alpha_3 = models.CharField("alpha-3 code", max_length=3, blank=True)
    numeric = models.CharField("numeric code", max_length=3, blank=True)
    name = models.CharField(max_length=120)
    official_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.CURRENT)
    withdrawn = models.CharField(
        max_length=10,
        blank=True,
        help_text="When a former state's code was withdrawn (YYYY or YYYY-MM-DD).",
    )

    history = HistoricalRecords()
    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code=Upper("code")) & ~Q(code=""),
                name="country_code_upper_case",
                violation_error_message="The code must be in upper case.",
            ),
        ]
        indexes = [models.Index(fields=["name"], name="country_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("country_detail", kwargs={"code": self.code.lower()})

    def natural_key(self):
        return (self.code,)


# Organizations, people and sources --------------------------------------------------------


class Organization(models.Model):
    """A government body, an intergovernmental organization or one of its bodies, a news agency…"""

    class Classification(models.TextChoices):
        GOVERNMENT_BODY = "government-body", "government body"
        HEAD_OF_STATE_OFFICE = "head-of-state-office", "office of a head of state"
        LEGISLATURE = "legislature", "legislature"
        INTERGOVERNMENTAL = "intergovernmental", "intergovernmental organization"
        INTERGOVERNMENTAL_BODY = (
            "intergovernmental-body",
            "body of an intergovernmental organization",
        )
        NEWS_AGENCY = "news-agency", "news agency"
        ARCHIVE = "archive", "archive or historical office"
        OTHER = "other", "other"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    short_name = models.CharField("short name or acronym", max_length=60, blank=True)
    classification = models.CharField(max_length=30, choices=Classification)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text="Empty for international organizations and their bodies.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The organization this one is a body of.",
    )

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organization_not_own_parent",
                violation_error_message="An organization cannot be its own parent.",
            ),
        ]
        indexes = [models.Index(fields=["name"], name="organization_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Person(models.Model):
    """A person who led or joined a delegation, took part in a meeting or signed an agreement."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("person_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Source(models.Model):
    """A document that records come from: a news article, a dataset record, an official release."""

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=400, blank=True, help_text="Empty when it has none.")
    publisher = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sources")
    dateline = models.CharField(
        max_length=120, blank=True, help_text="The place the document was written in."
    )
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)

    history = HistoricalRecords()
    objects = SlugManager()

    class Meta:
        ordering = ["-published_on", "slug"]

    def __str__(self):
        parts = [self.publisher.name if self.publisher_id else ""]
        if self.title:
            parts.append(f"“{self.title}”")
        if self.dateline:
            parts.append(self.dateline)
        if self.published_on:
            parts.append(date_format(self.published_on, "j F Y"))
        return ", ".join(part for part in parts if part)

    def get_absolute_url(self):
        return reverse("source_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


# Visits and delegations ------------------------------------------------------------------


class VisitQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def involving(self, *countries):
        return self.filter(Q(guest_country__in=countries) | Q(host_country__in=countries))

    def between(self, start=None, end=None):
        """Visits that overlap the period from start to end (either may be open)."""
        queryset = self
        if end is not None:
            queryset = queryset.filter(start_date__lte=end)
        if start is not None:
            # Its end, else its start, is on or after the start: one column, one index.
            queryset = queryset.filter(last_day__gte=start)
        return queryset

    def with_related(self):
        return self.select_related(
            "guest_country", "host_country", "delegation__head", "delegation__organization"
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
    def place_list(self):
        return [place.strip() for place in self.places.split(",") if place.strip()]


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


class DelegationMemberManager(models.Manager):
    def get_by_natural_key(self, visit_slug, person_slug):
        return self.get(delegation__visit__slug=visit_slug, person__slug=person_slug)


class DelegationMember(models.Model):
    """A member of a delegation other than its head, with the office held at the time."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delegations_joined")
    office = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = DelegationMemberManager()

    class Meta:
        ordering = ["delegation", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "person"], name="delegation_member_once"),
        ]

    def __str__(self):
        return f"{self.person} ({self.office})" if self.office else str(self.person)

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def natural_key(self):
        return (self.delegation.visit.slug, self.person.slug)

    natural_key.dependencies = ["visits.delegation", "visits.person"]


# Meetings --------------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def with_related(self):
        return self.select_related("country", "host_organization", "body", "visit")


class Meeting(models.Model):
    """A meeting held during a visit or on its own, possibly one in a series of a recurring body."""

    class Kind(models.TextChoices):
        BILATERAL = "bilateral", "bilateral meeting"
        MULTILATERAL = "multilateral", "multilateral meeting"
        SUMMIT = "summit", "summit"
        CONFERENCE = "conference", "conference"
        CEREMONY = "ceremony", "ceremony"
        OTHER = "other", "other meeting"

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        help_text="The visit during which it was held, if any.",
    )
    position = models.PositiveSmallIntegerField(
        "order in the visit",
        default=0,
        help_text="Orders a visit's meetings when their dates are the same or not known.",
    )
    date = models.DateField(null=True, blank=True, help_text="Empty when it is not known.")
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text="How much of the date is known.",
    )
    place = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_held",
        help_text="Where it was held.",
    )
    host_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_hosted",
        help_text="The organization that hosted or organized it.",
    )
    body = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series_meetings",
        help_text="The recurring body this is a meeting of (for a series of meetings).",
    )
    ordinal = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Its number in the body's series (4 for the 4th meeting)."
    )
    summary = models.TextField(blank=True, help_text="What was discussed, in our own words.")
    sources = models.ManyToManyField(Source, related_name="meetings", blank=True)

    history = HistoricalRecords(m2m_fields=[sources])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = [F("date").desc(nulls_last=True), "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ordinal__isnull=True) | Q(ordinal__gte=1, body__isnull=False),
                name="meeting_ordinal_needs_body",
                violation_error_message="A meeting's number needs the body whose series it is in.",
            ),
            models.UniqueConstraint(
                fields=["body", "ordinal"], name="meeting_unique_ordinal_in_series"
            ),
        ]
        indexes = [
            models.Index(fields=["date"], name="meeting_date_idx"),
            models.Index(fields=["country", "date"], name="meeting_country_date_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meeting_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def date_display(self):
        return format_partial_date(self.date, self.date_precision)


class ParticipantManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, person_slug):
        return self.get(meeting__slug=meeting_slug, person__slug=person_slug)


class MeetingParticipant(models.Model):
    """A person's part in a meeting, with the office held then."""

    class Role(models.TextChoices):
        HOST = "host", "host"
        ORGANIZER = "organizer", "organizer"
        CHAIR = "chair", "chair"
        SPEAKER = "speaker", "speaker"
        GUEST = "guest", "guest"
        PARTICIPANT = "participant", "participant"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    office = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.PARTICIPANT)

    history = HistoricalRecords()
    objects = ParticipantManager()

    class Meta:
        ordering = ["meeting", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_participant_once"),
        ]
        indexes = [
            # The meetings some people attended (a country's people: the meeting list's country
            # filter), read from the index alone.
            models.Index(fields=["person", "meeting"], name="participant_person_meeting_idx"),
        ]

    def __str__(self):
        return f"{self.person} ({self.office})" if self.office else str(self.person)

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def natural_key(self):
        return (self.meeting.slug, self.person.slug)

    natural_key.dependencies = ["visits.meeting", "visits.person"]


# Agreements ------------------------------------------------------------------------------


class AgreementQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def in_force_on(self, day):
        """Agreements in force on a day: started (its validity, else its signature) by then
        and not ended. One with neither a start of validity nor a signing date is left out."""
        return self.filter(
            Q(valid_from__lte=day) | Q(valid_from__isnull=True, signed_on__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class Agreement(models.Model):
    """A treaty, programme, memorandum or other agreement, signed during a visit or elsewhere."""

    class Kind(models.TextChoices):
        TREATY = "treaty", "treaty"
        AGREEMENT = "agreement", "agreement"
        COOPERATION_PROGRAMME = "cooperation-programme", "cooperation programme"
        MEMORANDUM = "memorandum", "memorandum of understanding"
        PROTOCOL = "protocol", "protocol"
        DECLARATION = "declaration", "joint declaration"
        OTHER = "other", "other"

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=400)
    kind = models.CharField(max_length=30, choices=Kind)
    signed_on = models.DateField(null=True, blank=True, help_text="Empty when it is not known.")
    signed_precision = models.CharField(
        "precision of the signing date",
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    signed_place = models.CharField("place of signature", max_length=200, blank=True)
    signed_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_signed_in",
        verbose_name="country of signature",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        help_text="The visit during which it was signed, if any.",
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        help_text="The meeting at which it was signed, if any.",
    )
    party_countries = models.ManyToManyField(
        Country, related_name="agreements", blank=True, verbose_name="parties (countries)"
    )
    party_organizations = models.ManyToManyField(
        Organization,
        related_name="agreements",
        blank=True,
        verbose_name="parties (organizations)",
    )
    summary = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="agreements", blank=True)

    history = HistoricalRecords(m2m_fields=[party_countries, party_organizations, sources])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = [F("signed_on").desc(nulls_last=True), "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_validity_ends_after_start",
                violation_error_message="The validity cannot end before it starts.",
            ),
        ]
        indexes = [
            models.Index(fields=["signed_on"], name="agreement_signed_idx"),
            models.Index(fields=["valid_from", "valid_until"], name="agreement_validity_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreement_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def signed_display(self):
        return format_partial_date(self.signed_on, self.signed_precision)

    @property
    def countries_of_parties(self):
        """The countries of the parties: themselves, or those of the organizations.
        Reads prefetched party_countries and party_organizations (with their country)."""
        countries = {country.pk: country for country in self.party_countries.all()}
        for organization in self.party_organizations.all():
            if organization.country_id:
                countries.setdefault(organization.country_id, organization.country)
        return sorted(countries.values(), key=lambda country: country.name)


class SignatoryManager(models.Manager):
    def get_by_natural_key(self, agreement_slug, person_slug):
        return self.get(agreement__slug=agreement_slug, person__slug=person_slug)


class Signatory(models.Model):
    """A person who signed an agreement, with the office held and the party signed for."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signatures")
    office = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The party signed for, when it is an organization.",
    )

    history = HistoricalRecords()
    objects = SignatoryManager()

    class Meta:
        ordering = ["agreement", "person__name"]
        verbose_name_plural = "signatories"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="signatory_once"),
        ]

    def __str__(self):
        return f"{self.person} ({self.office})" if self.office else str(self.person)

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def natural_key(self):
        return (self.agreement.slug, self.person.slug)

    natural_key.dependencies = ["visits.agreement", "visits.person"]

