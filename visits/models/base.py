"""What the models share: date precision, joined search text, slugs as natural keys, and a
person's part in something (a delegation, a meeting, an agreement) with the office held then."""

from django.db import models
from django.db.models import Func, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..caching import remember


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


# Plans for "records of a country" on PostgreSQL ------------------------------------------------
#
# A list of one country's meetings or agreements is read in the list's order (an index) and each
# record checked for the country until the page is full. PostgreSQL, left to choose, first
# collects every record the country takes part in into a hash table and checks against that:
# for the United States at a million visits, 209,000 meetings hashed for each page of 50
# (70 ms). For a country in many records, checking each record as the index yields it finds the
# page in a few hundred rows (3 ms); for a rare one that walk goes through most of the table, and
# reading its few records and sorting them is faster. few_keys() tells the two apart.

# Records from which on a country's list is walked in order rather than collected and sorted:
# measured at a million visits, the two plans cross between 6,000 and 11,000 meetings.
FEW = 8000


class RowExists(models.Exists):
    """EXISTS checked for each row as it comes, in a query that reads a page (a slice): the
    OFFSET 0 keeps PostgreSQL from turning it into a hashed set of the whole subquery (it
    simplifies only an EXISTS without one). A query that reads every row (a count, the facets'
    GROUP BY, an export) is better served by the hashed set, and is left to it."""

    def as_sql(self, compiler, *args, **kwargs):
        if compiler.query.is_sliced:
            kwargs["template"] = "EXISTS(%(subquery)s OFFSET 0)"
        return super().as_sql(compiler, *args, **kwargs)


def few_keys(kind, countries, keys, *parts):
    """The keys `keys` yields (a union of values() of `parts`, querysets of rows that each give
    a key) when the parts hold fewer than FEW rows together, else None; remembered until the
    data changes, for `kind` of record and the countries. The parts are counted first, each no
    further than FEW, so that a country in many records costs two short index scans."""

    def compute():
        if sum(part.order_by()[:FEW].count() for part in parts) >= FEW:
            return None
        return sorted(key for row in keys.order_by() for key in row.values())

    key = ("few-keys", kind, *sorted(getattr(country, "pk", country) for country in countries))
    return remember(key, compute)


def among(keys):
    """A subquery of the keys, for `pk__in`: PostgreSQL's unnest() of one array, whose length
    the planner knows (a list of thousands of values as IN (…) costs more to plan and read)."""
    return RawSQL("SELECT unnest(%s::bigint[])", [keys])
