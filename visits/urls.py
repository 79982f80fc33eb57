from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path, register_converter

from . import exports, views
from .caching import conditional
from .converters import CountryCodeConverter
from .feeds import VisitFeed

register_converter(CountryCodeConverter, "country")

# Every public page, export and feed answers with an ETag from the data version, and with 304
# Not Modified, before anything is rendered, to a client that holds the current version.
urlpatterns = [
    path("", conditional(views.home), name="home"),
    re_path(
        r"^(?P<name>visits|meetings|agreements)/export\.(?P<fmt>csv|json)$",
        conditional(exports.export),
        name="export",
    ),
    path("visits/", conditional(views.visit_list), name="visit_list"),
    path("visits/feed/", conditional(VisitFeed()), name="visit_feed"),
    path("visits/<slug:slug>/", conditional(views.visit_detail), name="visit_detail"),
    path("meetings/", conditional(views.meeting_list), name="meeting_list"),
    path("meetings/<slug:slug>/", conditional(views.meeting_detail), name="meeting_detail"),
    path("agreements/", conditional(views.agreement_list), name="agreement_list"),
    path("agreements/<slug:slug>/", conditional(views.agreement_detail), name="agreement_detail"),
    path("organizations/", conditional(views.organization_list), name="organization_list"),
    path(
        "organizations/<slug:slug>/",
        conditional(views.organization_detail),
        name="organization_detail",
    ),
    path("people/", conditional(views.person_list), name="person_list"),
    path("people/<slug:slug>/", conditional(views.person_detail), name="person_detail"),
    path("countries/", conditional(views.country_list), name="country_list"),
    path("countries/<country:code>/", conditional(views.country_detail), name="country_detail"),
    path(
        "countries/<country:code>/<country:other>/",
        conditional(views.country_pair),
        name="country_pair",
    ),
    path("sources/<slug:slug>/", conditional(views.source_detail), name="source_detail"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler500 = "visits.views.errors.server_error"
