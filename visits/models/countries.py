"""Countries: ISO 3166-1, former states of ISO 3166-3, and entities with no ISO code."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.urls import reverse
from simple_history.models import HistoricalRecords


class CountryQuerySet(models.QuerySet):
    """Countries found by code, and the countries that records refer to."""

    def get_by_natural_key(self, code):
        return self.get(code=code.upper())

    def current(self):
        return self.filter(status=Country.Status.CURRENT)

    def with_records(self, kind="any"):
        """Countries that records of a kind refer to ("visits", "meetings", "agreements",
        "organizations", "people"), or records of any kind."""

        # The records are found through the relations that point here (Django's meta API), so
        # that this module, which every other one imports, imports none of them.
        def relation(name):
            return self.model._meta.get_field(name)

        def records(name):
            return relation(name).related_model.objects

        outer = OuterRef("pk")
        conditions = {
            "visits": [
                Exists(records("visits_made").filter(guest_country=outer)),
                Exists(records("visits_received").filter(host_country=outer)),
            ],
            "meetings": [Exists(records("meetings_held").filter(country=outer))],
            "agreements": [Exists(relation("agreements").through.objects.filter(country=outer))],
            "organizations": [Exists(records("organizations").filter(country=outer))],
            "people": [Exists(records("people").filter(country=outer))],
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
