"""Agreements, signed during a visit or elsewhere, and who signed them."""

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
from .meetings import Meeting
from .people import Organization, Person
from .sources import Source
from .visits import Visit


class AgreementQuerySet(SlugQuerySet):
    """The rules that say which agreements a page, a filter or an export means."""

    def with_party(self, *countries):
        """A party is one of the countries, itself or through one of its organizations.

        On PostgreSQL, a country party to many agreements has each agreement checked in the
        list's order until the page is full, and for the others the agreements of both kinds of
        party are one set, read and sorted (see base.few_keys); SQLite plans the two EXISTS
        well itself."""
        by_country = Agreement.party_countries.through.objects.filter(country__in=countries)
        by_organization = Agreement.party_organizations.through.objects.filter(
            organization__country__in=countries
        )
        if connection.vendor != "postgresql":
            return self.filter(
                Exists(by_country.filter(agreement=OuterRef("pk")))
                | Exists(by_organization.filter(agreement=OuterRef("pk")))
            )
        keys = by_country.values("agreement_id").union(by_organization.values("agreement_id"))
        few = few_keys("agreements", countries, keys, by_country, by_organization)
        if few is not None:
            return self.filter(pk__in=among(few))
        return self.filter(
            RowExists(by_country.filter(agreement=OuterRef("pk")))
            | RowExists(by_organization.filter(agreement=OuterRef("pk")))
        )

    def with_party_organization(self, organization):
        """The organization is a party."""
        return self.filter(
            Exists(
                Agreement.party_organizations.through.objects.filter(
                    agreement=OuterRef("pk"), organization=organization
                )
            )
        )

    def signed_by(self, person):
        return self.filter(
            Exists(Signatory.objects.filter(agreement=OuterRef("pk"), person=person))
        )

    def in_period(self, start=None, end=None):
        """Signed from start to end (either may be open)."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(signed_on__gte=start)
        if end is not None:
            queryset = queryset.filter(signed_on__lte=end)
        return queryset

    def in_force_on(self, day):
        """Agreements in force on a day: started (its validity, else its signature) by then
        and not ended. One with neither a start of validity nor a signing date is left out."""
        return self.filter(
            Q(valid_from__lte=day) | Q(valid_from__isnull=True, signed_on__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )

    def with_parties(self):
        """With the parties (countries, and organizations with their country)."""
        return self.prefetch_related(
            "party_countries",
            Prefetch(
                "party_organizations",
                queryset=Organization.objects.select_related("country").order_by("name"),
            ),
        )

    def with_signatories(self):
        """With the signatories, each with person and organization."""
        return self.prefetch_related(
            Prefetch(
                "signatories", queryset=Signatory.objects.select_related("person", "organization")
            )
        )


class Agreement(models.Model):
    """A treaty, programme, memorandum or other agreement, signed during a visit or elsewhere."""

    class Kind(models.TextChoices):
        TREATY = "treaty", _("treaty")
        AGREEMENT = "agreement", _("agreement")
        COOPERATION_PROGRAMME = "cooperation-programme", _("cooperation programme")
        MEMORANDUM = "memorandum", _("memorandum of understanding")
        PROTOCOL = "protocol", _("protocol")
        DECLARATION = "declaration", _("joint declaration")
        OTHER = "other", _("other")

    slug = models.SlugField(max_length=160, unique=True)
    title = models.CharField(max_length=400)
    kind = models.CharField(max_length=30, choices=Kind)
    signed_on = models.DateField(null=True, blank=True, help_text=_("Empty when it is not known."))
    signed_precision = models.CharField(
        _("precision of the signing date"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    signed_place = models.CharField(_("place of signature"), max_length=200, blank=True)
    signed_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_signed_in",
        verbose_name=_("country of signature"),
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    validity_precision = models.CharField(
        _("precision of the validity"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_(
            "Year when the source gives only years (“for 2026–2027”): the dates are then "
            "the first and last days of those years."
        ),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("The visit during which it was signed, if any."),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("The meeting at which it was signed, if any."),
    )
    party_countries = models.ManyToManyField(
        Country, related_name="agreements", blank=True, verbose_name=_("parties (countries)")
    )
    party_organizations = models.ManyToManyField(
        Organization,
        related_name="agreements",
        blank=True,
        verbose_name=_("parties (organizations)"),
    )
    summary = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="agreements", blank=True)

    history = HistoricalRecords(m2m_fields=[party_countries, party_organizations, sources])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = [F("signed_on").desc(nulls_last=True), "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_validity_ends_after_start",
                violation_error_message=_("The validity cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["signed_on"], name="agreement_signed_idx"),
            models.Index(fields=["valid_from", "valid_until"], name="agreement_validity_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return address("agreement_detail", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def signed_display(self):
        return format_partial_date(self.signed_on, self.signed_precision)

    @property
    def valid_from_display(self):
        return format_partial_date(self.valid_from, self.validity_precision)

    @property
    def valid_until_display(self):
        return format_partial_date(self.valid_until, self.validity_precision)

    @property
    def countries_of_parties(self):
        """The countries of the parties: themselves, or those of the organizations.
        Reads prefetched party_countries and party_organizations (with their country)."""
        countries = {country.pk: country for country in self.party_countries.all()}
        for organization in self.party_organizations.all():
            if organization.country_id:
                countries.setdefault(organization.country_id, organization.country)
        return sorted(countries.values(), key=lambda country: country.name)


class Signatory(PersonInRole):
    """A person who signed an agreement, with the office held and the party signed for."""

    PARENT = "agreement"
    PARENT_KEY = "agreement__slug"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signatures")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The party signed for, when it is an organization."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "person__name"]
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="signatory_once"),
        ]

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["visits.agreement", "visits.person"]
