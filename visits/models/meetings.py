"""Meetings, held during a visit or on their own, and the people who took part."""

from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import address
from .base import (
    DatePrecision,
    PersonInRole,
    RowExists,
    SlugQuerySet,
    among,
    few_keys,
    format_partial_date,
)
from .countries import Country
from .people import Organization, Person
from .sources import Source
from .visits import Visit


class MeetingQuerySet(SlugQuerySet):
    """The rules that say which meetings a page, a filter or an export means."""

    def involving(self, *countries):
        """Held in one of the countries, or with a participant from one.

        Not as an OR with a subquery per meeting that PostgreSQL is left to plan: it then
        hashes every meeting attended from the country before reading the first (see
        base.few_keys). On PostgreSQL, a country in many meetings has each meeting checked in
        the list's order until the page is full; for the others, and on SQLite, the keys of
        both halves are one set, whose meetings alone are read and sorted."""
        attended = MeetingParticipant.objects.filter(person__country__in=countries)
        held = Meeting.objects.filter(country__in=countries)
        keys = held.values("pk").union(attended.values("meeting_id"))
        if connection.vendor != "postgresql":
            return self.filter(pk__in=keys)
        few = few_keys("meetings", countries, keys, held, attended)
        if few is not None:
            return self.filter(pk__in=among(few))
        return self.filter(
            Q(country__in=countries) | RowExists(attended.filter(meeting=OuterRef("pk")))
        )

    def between_countries(self, first, second):
        """During a visit between the two, or held in one of them (on its own) with a
        participant from the other. Three index-friendly queries for the ids, rather than one
        OR of subqueries that no index serves."""
        during_visits = Meeting.objects.filter(
            visit__in=Visit.objects.between_countries(first, second)
        )
        held_in_first = Meeting.objects.filter(
            country=first, visit__isnull=True, participants__person__country=second
        )
        held_in_second = Meeting.objects.filter(
            country=second, visit__isnull=True, participants__person__country=first
        )
        ids = set()
        for meetings in (during_visits, held_in_first, held_in_second):
            ids.update(meetings.values_list("pk", flat=True))
        return self.filter(pk__in=ids)

    def in_period(self, start=None, end=None):
        """Held from start to end (either may be open)."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(date__gte=start)
        if end is not None:
            queryset = queryset.filter(date__lte=end)
        return queryset

    def with_organization(self, organization):
        """Hosted by the organization, or a meeting of it (a recurring body's series)."""
        return self.filter(Q(host_organization=organization) | Q(body=organization))

    def with_person(self, person):
        """The person took part."""
        return self.filter(
            Exists(MeetingParticipant.objects.filter(meeting=OuterRef("pk"), person=person))
        )

    def with_related(self):
        """With what a row of a list shows: country, host, body, visit."""
        return self.select_related("country", "host_organization", "body", "visit")

    def with_participants(self):
        """With the participants, hosts first, each with person and organization."""
        return self.prefetch_related(
            Prefetch(
                "participants",
                queryset=MeetingParticipant.objects.select_related(
                    "person", "organization"
                ).order_by("role", "person__name"),
            )
        )


class Meeting(models.Model):
    """A meeting held during a visit or on its own, possibly one in a series of a recurring body."""

    class Kind(models.TextChoices):
        BILATERAL = "bilateral", _("bilateral meeting")
        MULTILATERAL = "multilateral", _("multilateral meeting")
        SUMMIT = "summit", _("summit")
        CONFERENCE = "conference", _("conference")
        CEREMONY = "ceremony", _("ceremony")
        OTHER = "other", _("other meeting")

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind)
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("The visit during which it was held, if any."),
    )
    position = models.PositiveSmallIntegerField(
        _("order in the visit"),
        default=0,
        help_text=_("Orders a visit's meetings when their dates are the same or not known."),
    )
    date = models.DateField(null=True, blank=True, help_text=_("Empty when it is not known."))
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("How much of the date is known."),
    )
    place = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_held",
        help_text=_("Where it was held."),
    )
    host_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_hosted",
        help_text=_("The organization that hosted or organized it."),
    )
    body = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="series_meetings",
        help_text=_("The recurring body this is a meeting of (for a series of meetings)."),
    )
    ordinal = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Its number in the body's series (4 for the 4th meeting)."),
    )
    summary = models.TextField(blank=True, help_text=_("What was discussed, in our own words."))
    sources = models.ManyToManyField(Source, related_name="meetings", blank=True)

    history = HistoricalRecords(m2m_fields=[sources])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = [F("date").desc(nulls_last=True), "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ordinal__isnull=True) | Q(ordinal__gte=1, body__isnull=False),
                name="meeting_ordinal_needs_body",
                violation_error_message=_(
                    "A meeting's number needs the body whose series it is in."
                ),
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
        return address("meeting_detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def date_display(self):
        return format_partial_date(self.date, self.date_precision)


class MeetingParticipant(PersonInRole):
    """A person's part in a meeting, with the office held then."""

    class Role(models.TextChoices):
        HOST = "host", _("host")
        ORGANIZER = "organizer", _("organizer")
        CHAIR = "chair", _("chair")
        SPEAKER = "speaker", _("speaker")
        GUEST = "guest", _("guest")
        PARTICIPANT = "participant", _("participant")

    PARENT = "meeting"
    PARENT_KEY = "meeting__slug"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=Role, default=Role.PARTICIPANT)

    history = HistoricalRecords()

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

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["visits.meeting", "visits.person"]
