"""Organizations and people: who travels, meets, hosts and signs."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import address
from .base import SlugQuerySet
from .countries import AlternateName, Country


class Organization(models.Model):
    """A government body, an intergovernmental organization or one of its bodies, a news agency…"""

    class Classification(models.TextChoices):
        GOVERNMENT_BODY = "government-body", _("government body")
        HEAD_OF_STATE_OFFICE = "head-of-state-office", _("office of a head of state")
        LEGISLATURE = "legislature", _("legislature")
        INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental organization")
        INTERGOVERNMENTAL_BODY = (
            "intergovernmental-body",
            _("body of an intergovernmental organization"),
        )
        NEWS_AGENCY = "news-agency", _("news agency")
        ARCHIVE = "archive", _("archive or historical office")
        OTHER = "other", _("other")

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    short_name = models.CharField(_("short name or acronym"), max_length=60, blank=True)
    classification = models.CharField(max_length=30, choices=Classification)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("Empty for international organizations and their bodies."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The organization this one is a body of."),
    )

    history = HistoricalRecords()
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
        ]
        indexes = [models.Index(fields=["name"], name="organization_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("organization_detail", slug=self.slug)

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
    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("person_detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


class PersonNameManager(models.Manager):
    def get_by_natural_key(self, slug, name):
        return self.get(person__slug=slug, name=name)


class PersonName(AlternateName):
    """A name a person is known by besides the one shown: a spelling a source gives, a name
    in another script or language, or one an editor adds. Imports record every spelling they
    meet, so a person found under another spelling is still one person."""

    class Origin(models.TextChoices):
        SOURCE = "source", _("spelled so in a source")
        MERGE = "merge", _("the name of a record merged into this one")
        EDITOR = "editor", _("added by an editor")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.SOURCE)
    source = models.ForeignKey(
        "Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_names",
        help_text=_("Where this spelling was read."),
    )

    history = HistoricalRecords()
    objects = PersonNameManager()

    class Meta:
        ordering = ["person", "name"]
        verbose_name = _("other name")
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="person_name_unique"),
        ]
        indexes = [models.Index(fields=["key"], name="person_name_key_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def natural_key(self):
        return (*self.person.natural_key(), self.name)

    natural_key.dependencies = ["visits.person"]


class OrganizationNameManager(models.Manager):
    def get_by_natural_key(self, slug, name, language):
        return self.get(organization__slug=slug, name=name, language=language)


class OrganizationName(AlternateName):
    """A name an organization is known by besides the one shown: in another language or
    script, a spelling a source gives, or the name of a record merged into it."""

    class Origin(models.TextChoices):
        SOURCE = "source", _("spelled so in a source")
        MERGE = "merge", _("the name of a record merged into this one")
        EDITOR = "editor", _("added by an editor")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="names")
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.EDITOR)
    source = models.ForeignKey(
        "Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organization_names",
        help_text=_("Where this name was read."),
    )

    history = HistoricalRecords()
    objects = OrganizationNameManager()

    class Meta:
        ordering = ["organization", "language", "name"]
        verbose_name = _("other name")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name", "language"], name="organization_name_unique"
            ),
        ]
        indexes = [models.Index(fields=["key"], name="organization_name_key_idx")]

    def get_absolute_url(self):
        return self.organization.get_absolute_url()

    def natural_key(self):
        return (*self.organization.natural_key(), self.name, self.language)

    natural_key.dependencies = ["visits.organization"]
