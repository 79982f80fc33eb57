"""Places' other names: a gazetteer of the cities and sites that records name in text.

Visits (`places`, "Tashkent, Samarkand") and meetings (`place`) name their places as text, as
their sources write them; a place is not a record of its own. A PlaceName says that the place a
record writes so (in a country) is also known by another name ("Tashkent" in Uzbekistan is
"Toshkent" in Uzbek, "Ташкент" in Russian), so that search finds a visit by any of them."""

from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..names import name_key
from .countries import AlternateName, Country


class PlaceNameManager(models.Manager):
    def get_by_natural_key(self, code, place, name, language):
        return self.get(country__code=code.upper(), place=place, name=name, language=language)


class PlaceName(AlternateName):
    """Another name of a place, keyed on the place as records write it and its country."""

    class Origin(models.TextChoices):
        SOURCE = "source", _("spelled so in a source")
        EDITOR = "editor", _("added by an editor")

    place = models.CharField(
        max_length=200, help_text=_("The place as records write it (in English): Tashkent.")
    )
    place_key = models.CharField(
        max_length=200,
        editable=False,
        help_text=_("The place folded for matching. Kept by save()."),
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="place_names")
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.EDITOR)
    source = models.ForeignKey(
        "Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="place_names",
        help_text=_("Where this name was read."),
    )

    history = HistoricalRecords()
    objects = PlaceNameManager()

    class Meta:
        ordering = ["country", "place", "language", "name"]
        verbose_name = _("place name")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "place", "name", "language"], name="place_name_unique"
            ),
        ]
        indexes = [models.Index(fields=["place_key"], name="place_name_place_idx")]

    def __str__(self):
        return f"{self.place}: {super().__str__()}"

    def save(self, *args, **kwargs):
        self.place_key = name_key(self.place)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "place_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The visits to the place: the visit list searched for it, in its country."""
        query = urlencode({"q": self.place, "host": self.country.code})
        return f"{reverse('visit_list')}?{query}"

    def natural_key(self):
        return (*self.country.natural_key(), self.place, self.name, self.language)

    natural_key.dependencies = ["visits.country"]
