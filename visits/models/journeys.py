"""Journeys: the consecutive stops of one traveller's trip, each stop a visit."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import address
from .base import SlugQuerySet
from .people import Person


def date_span(start, end):
    """A period as people write it: "4 May 1949", "4–12 May 1949", "20 May – 20 June 1949",
    "28 December 1949 – 3 January 1950"."""
    if start == end:
        return format_date(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, 'j F Y')}"
    if start.year == end.year:
        return f"{format_date(start, 'j F')} – {format_date(end, 'j F Y')}"
    return f"{format_date(start, 'j F Y')} – {format_date(end, 'j F Y')}"


class JourneyQuerySet(SlugQuerySet):
    """The rules the journey list filters by."""

    def involving(self, *countries):
        """With a stop in any of the countries."""
        stops = self.model._meta.get_field("stops").related_model.objects
        return self.filter(Exists(stops.filter(journey=OuterRef("pk"), host_country__in=countries)))

    def in_period(self, start=None, end=None):
        """Journeys that overlap the period from start to end (either may be open)."""
        queryset = self
        if end is not None:
            queryset = queryset.filter(start_date__lte=end)
        if start is not None:
            queryset = queryset.filter(end_date__gte=start)
        return queryset

    def with_traveller(self, person):
        return self.filter(traveller=person)

    def with_counts(self):
        """With stop_count and country_count, each a subquery of the journey's stops."""
        stops = self.model._meta.get_field("stops").related_model.objects
        mine = stops.filter(journey=OuterRef("pk")).order_by().values("journey")
        return self.annotate(
            stop_count=Subquery(mine.annotate(n=Count("pk")).values("n")),
            country_count=Subquery(
                mine.annotate(n=Count("host_country", distinct=True)).values("n")
            ),
        )


class Journey(models.Model):
    """One traveller's trip abroad, made of the visits (stops) it took in, in order of date.

    Imports group a traveller's visits whose dates touch or overlap (see visits.journeys);
    a journey an editor has changed is never regrouped."""

    class Grouping(models.TextChoices):
        DATES = "dates", _("grouped by the dates of its stops")
        EDITOR = "editor", _("set by an editor")

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=300)
    traveller = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="journeys"
    )
    start_date = models.DateField(help_text=_("The first stop's start. Kept from the stops."))
    end_date = models.DateField(help_text=_("The last stop's last day. Kept from the stops."))
    grouping = models.CharField(max_length=10, choices=Grouping, default=Grouping.DATES)

    history = HistoricalRecords()
    objects = JourneyQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "slug"]
        indexes = [models.Index(fields=["-start_date", "slug"], name="journey_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="journey_end_not_before_start",
                violation_error_message=_("A journey cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("journey_detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def days(self):
        """How many days it lasted, first and last included."""
        return (self.end_date - self.start_date).days + 1

    @property
    def period(self):
        return date_span(self.start_date, self.end_date)
