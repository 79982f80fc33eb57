from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path, register_converter

from . import exports, views
from .converters import CountryCodeConverter
from .feeds import VisitFeed

register_converter(CountryCodeConverter, "country")

urlpatterns = [
    path("", views.home, name="home"),
    re_path(
        r"^(?P<name>visits|meetings|agreements)/export\.(?P<fmt>csv|json)$",
        exports.export,
        name="export",
    ),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/feed/", VisitFeed(), name="visit_feed"),
    path("visits/<slug:slug>/", views.visit_detail, name="visit_detail"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<country:code>/", views.country_detail, name="country_detail"),
    path("countries/<country:code>/<country:other>/", views.country_pair, name="country_pair"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler500 = "visits.views.errors.server_error"
