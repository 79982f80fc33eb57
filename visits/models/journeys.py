"""Journeys: the consecutive stops of one traveller's trip, each stop a visit."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import SlugQuerySet
from .people import Person


class Journey(models.Model):
    """One traveller's trip abroad, made of the visits (stops) it took in, in order of date.

    Imports group a traveller's visits whose dates touch or overlap (see visits.journeys);
    a journey an editor has changed is never regrouped."""

    class Grouping(models.TextChoices):
        DATES = "dates", "grouped by the dates of its stops"
        EDITOR = "editor", "set by an editor"

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=300)
    traveller = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="journeys"
    )
    start_date = models.DateField(help_text="The first stop's start. Kept from the stops.")
    end_date = models.DateField(help_text="The last stop's last day. Kept from the stops.")
    grouping = models.CharField(max_length=10, choices=Grouping, default=Grouping.DATES)

    history = HistoricalRecords()
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "slug"]
        indexes = [models.Index(fields=["-start_date", "slug"], name="journey_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="journey_end_not_before_start",
                violation_error_message="A journey cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("journey_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def days(self):
        """How many days it lasted, first and last included."""
        return (self.end_date - self.start_date).days + 1
