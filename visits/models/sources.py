"""The documents that records come from."""

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import address
from .base import SlugQuerySet
from .people import Organization


class Source(models.Model):
    """A document that records come from: a news article, a dataset record, an official release."""

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=400, blank=True, help_text=_("Empty when it has none."))
    publisher = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sources")
    dateline = models.CharField(
        max_length=120, blank=True, help_text=_("The place the document was written in.")
    )
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)

    history = HistoricalRecords()
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "slug"]
        # Imports find a record's source by its address.
        indexes = [models.Index(fields=["url"], name="source_url_idx")]

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
        return address("source_detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)
