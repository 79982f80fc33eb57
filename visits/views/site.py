"""Addresses every site answers, outside its pages."""

from django.shortcuts import redirect
from django.templatetags.static import static


def favicon(request):
    """/favicon.ico, which browsers ask for on every site (the admin's pages too): the site's
    icon, at its current static address."""
    response = redirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
