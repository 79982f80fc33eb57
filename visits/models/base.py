"""What the models share: date precision, joined search text, slugs as natural keys, and a
person's part in something (a delegation, a meeting, an agreement) with the office held then."""

from django.db import models
from django.db.models import Func, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    """How much of a stored date is known: the day, only the month, or only the year."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def format_partial_date(value, precision):
    """A date for people, shown no more precisely than it is known."""
    if value is None:
        return "date unknown"
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "F Y")
    return date_format(value, "j F Y")


class JoinText(Func):
    """Texts joined by spaces, an empty text standing for a missing one (flat SQL ||, so
    SQLite's parser copes with many parts)."""

    arg_joiner = " || ' ' || "
    template = "(%(expressions)s)"
    output_field = models.TextField()

    def __init__(self, *expressions):
        super().__init__(*(Coalesce(expression, Value("")) for expression in expressions))


class SlugQuerySet(models.QuerySet):
    """Records found by their slug, the natural key that fixtures and imports refer to."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PersonInRoleManager(models.Manager):
    def get_by_natural_key(self, parent_key, person_slug):
        return self.get(**{self.model.PARENT_KEY: parent_key, "person__slug": person_slug})


class PersonInRole(models.Model):
    """A person's part in something — a delegation, a meeting, an agreement — with the office
    held at the time and the organization they stood for. Subclasses add `person` (with their
    own reverse name) and the record they belong to, named by PARENT; PARENT_KEY is the lookup
    of that record's natural key."""

    PARENT = ""
    PARENT_KEY = ""

    office = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        "visits.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PersonInRoleManager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.person} ({self.office})" if self.office else str(self.person)

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def natural_key(self):
        return (*getattr(self, self.PARENT).natural_key(), self.person.slug)
