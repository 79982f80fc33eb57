"""The sitemap (Django's sitemaps framework): the home page, the lists unfiltered, and a page
for every record, one section per kind of record. Filter combinations are never listed.

/sitemap.xml is the index of the sections; each section is /sitemap-<section>.xml, split into
parts of 50,000 addresses (?p=2, ?p=3…) when it holds more. Addresses are absolute, on the
host the sitemap was asked for (django.contrib.sites is not used).

A record's <lastmod> is the last time the record itself was changed, as its history
(django-simple-history) has it: edits in the admin and imports write history, so the date is
a real one. A record without history (synthetic demo data) has no <lastmod>: none is invented.

Fast with hundreds of thousands of records: each section reads only what an address needs (the
slug or code, and the date of the latest change from the history's index on the record's id),
in primary-key order, and builds the addresses from one reversed template instead of calling
reverse() per record.
"""

from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from .caching import conditional
from .models import Agreement, Country, Journey, Meeting, Organization, Person, Source, Visit

MARKER = "key-0"  # a valid slug and country code, replaced by each record's key


class PageSitemap(Sitemap):
    """The home page and the lists, unfiltered."""

    url_names = [
        "home",
        "visit_list",
        "meeting_list",
        "agreement_list",
        "journey_list",
        "country_list",
        "organization_list",
        "person_list",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
    """The pages of one kind of record: `model`, whose page is named `url_name` and takes the
    record's `key` field (lower-cased when `lower`) as the address's `kwarg`."""

    model = None
    url_name = ""
    key = "slug"
    kwarg = "slug"
    lower = False

    def records(self):
        return self.model.objects.all()

    def items(self):
        history = self.model.history.model.objects.filter(id=OuterRef("pk")).order_by()
        changed = history.values("id").annotate(latest=Max("history_date")).values("latest")
        # (key, latest change) pairs: no model instance is built for an address.
        return (
            self.records()
            .order_by("pk")
            .annotate(changed=Subquery(changed[:1]))
            .values_list(self.key, "changed")
        )

    def location(self, item):
        if not hasattr(self, "_template"):
            self._template = reverse(self.url_name, kwargs={self.kwarg: MARKER})
        key = item[0].lower() if self.lower else item[0]
        return self._template.replace(MARKER, quote(key))

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        """The section's latest change, from the history's index on its date (records deleted
        since count: the section changed then too)."""
        return self.model.history.aggregate(latest=Max("history_date"))["latest"]


class VisitSitemap(RecordSitemap):
    model, url_name = Visit, "visit_detail"


class MeetingSitemap(RecordSitemap):
    model, url_name = Meeting, "meeting_detail"


class AgreementSitemap(RecordSitemap):
    model, url_name = Agreement, "agreement_detail"


class OrganizationSitemap(RecordSitemap):
    model, url_name = Organization, "organization_detail"


class PersonSitemap(RecordSitemap):
    model, url_name = Person, "person_detail"


class JourneySitemap(RecordSitemap):
    model, url_name = Journey, "journey_detail"


class SourceSitemap(RecordSitemap):
    model, url_name = Source, "source_detail"


class CountrySitemap(RecordSitemap):
    """The countries that records refer to (a country page with nothing on it is left out)."""

    model, url_name, key, kwarg, lower = Country, "country_detail", "code", "code", True

    def records(self):
        return Country.objects.with_records()


SITEMAPS = {
    "pages": PageSitemap,
    "visits": VisitSitemap,
    "meetings": MeetingSitemap,
    "agreements": AgreementSitemap,
    "journeys": JourneySitemap,
    "countries": CountrySitemap,
    "organizations": OrganizationSitemap,
    "people": PersonSitemap,
    "sources": SourceSitemap,
}


@conditional
def index(request):
    """/sitemap.xml: the sections that hold any address, each with all its parts (a section
    with none is left out: a sitemap must list at least one address)."""
    sections = {
        name: section
        for name, section in SITEMAPS.items()
        if name == "pages" or section().records().exists()
    }
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap_section")


@conditional
def section(request, section):
    """/sitemap-<section>.xml?p=N: one part of a section; 404 for an unknown section or part."""
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
