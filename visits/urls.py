from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter

from . import exports, sitemaps, views
from .caching import conditional
from .converters import CountryCodeConverter
from .feeds import VisitFeed

register_converter(CountryCodeConverter, "country")


def public(route, view, name):
    """A public address: it answers with an ETag from the data version, and with 304 Not
    Modified, before anything is rendered, to a client that holds the current version."""
    return path(route, conditional(view), name=name)


def record_pages(prefix, name, list_view, detail_view, key="<slug:slug>"):
    """A list of records at prefix/ and a page for each of them at prefix/key/."""
    return [
        public(f"{prefix}/", list_view, f"{name}_list"),
        public(f"{prefix}/{key}/", detail_view, f"{name}_detail"),
    ]


urlpatterns = [
    public("", views.home, "home"),
    re_path(
        r"^(?P<name>visits|meetings|agreements)/export\.(?P<fmt>csv|json)$",
        conditional(exports.export),
        name="export",
    ),
    public("visits/feed/", VisitFeed(), "visit_feed"),
    *record_pages("visits", "visit", views.visit_list, views.visit_detail),
    *record_pages("meetings", "meeting", views.meeting_list, views.meeting_detail),
    *record_pages("agreements", "agreement", views.agreement_list, views.agreement_detail),
    *record_pages(
        "organizations", "organization", views.organization_list, views.organization_detail
    ),
    *record_pages("people", "person", views.person_list, views.person_detail),
    *record_pages("journeys", "journey", views.journey_list, views.journey_detail),
    *record_pages(
        "countries", "country", views.country_list, views.country_detail, key="<country:code>"
    ),
    public("countries/<country:code>/partners/", views.country_partners, "country_partners"),
    public("countries/<country:code>/<country:other>/", views.country_pair, "country_pair"),
    public("sources/<slug:slug>/", views.source_detail, "source_detail"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("api/", include("visits.api.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler500 = "visits.views.errors.server_error"
