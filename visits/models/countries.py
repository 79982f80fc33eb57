"""Countries: ISO 3166-1, former states of ISO 3166-3, and entities with no ISO code."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import address
from ..names import name_key


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
        CURRENT = "current", _("current (ISO 3166-1)")
        FORMER = "former", _("former (ISO 3166-3)")
        OTHER = "other", _("other (no ISO 3166 code)")

    code = models.CharField(
        max_length=8,
        unique=True,
        help_text=_(
            "ISO 3166-1 alpha-2 for current countries, ISO 3166-3 alpha-4 for former "
            "ones, an agreed code (such as XK) for entities without an ISO code. Upper case."
        ),
    )
    alpha_3 = models.CharField(_("alpha-3 code"), max_length=3, blank=True)
    numeric = models.CharField(_("numeric code"), max_length=3, blank=True)
    name = models.CharField(max_length=120)
    official_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.CURRENT)
    withdrawn = models.CharField(
        max_length=10,
        blank=True,
        help_text=_("When a former state's code was withdrawn (YYYY or YYYY-MM-DD)."),
    )

    history = HistoricalRecords()
    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(code=Upper("code")) & ~Q(code=""),
                name="country_code_upper_case",
                violation_error_message=_("The code must be in upper case."),
            ),
        ]
        indexes = [models.Index(fields=["name"], name="country_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("country_detail", code=self.code.lower())

    def natural_key(self):
        return (self.code,)


class AlternateName(models.Model):
    """What every other name shares (a person's, an organization's, a country's, a place's):
    the name as written, its folded key, its language."""

    name = models.CharField(max_length=200)
    key = models.CharField(
        max_length=200,
        editable=False,
        help_text=_(
            "The name folded for matching: lower case, no accents, punctuation or "
            "titles. Kept by save()."
        ),
    )
    language = models.CharField(
        max_length=35, blank=True, help_text=_("A BCP 47 tag (az, uz-Cyrl, ru) when known.")
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.name} ({self.language})" if self.language else self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "key"}
        super().save(*args, **kwargs)


class CountryNameManager(models.Manager):
    def get_by_natural_key(self, code, name, language):
        return self.get(country__code=code.upper(), name=name, language=language)


class CountryName(AlternateName):
    """A country's name in another language or spelling: the ISO 3166 translations that
    pycountry ships (loaded with the country list), or one an editor or a source gives."""

    class Origin(models.TextChoices):
        ISO = "iso", _("ISO 3166 translation (pycountry)")
        SOURCE = "source", _("spelled so in a source")
        EDITOR = "editor", _("added by an editor")

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="names")
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.EDITOR)
    source = models.ForeignKey(
        "Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="country_names",
        help_text=_("Where this name was read."),
    )

    history = HistoricalRecords()
    objects = CountryNameManager()

    class Meta:
        ordering = ["country", "language", "name"]
        verbose_name = _("other name")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name", "language"], name="country_name_unique"
            ),
        ]
        indexes = [models.Index(fields=["key"], name="country_name_key_idx")]

    def get_absolute_url(self):
        return self.country.get_absolute_url()

    def natural_key(self):
        return (*self.country.natural_key(), self.name, self.language)

    natural_key.dependencies = ["visits.country"]
