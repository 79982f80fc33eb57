from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("visits/", views.visit_list, name="visit_list"),
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
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("admin/", admin.site.urls),
]
