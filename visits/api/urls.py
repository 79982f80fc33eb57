"""The API's addresses, each answering with CORS headers and, for GET and HEAD, an ETag from
the data version (304 Not Modified to a client that holds the current version), as the pages
do (visits.urls)."""

from django.urls import path, re_path

from ..caching import conditional
from . import views
from .endpoints import ENDPOINTS

app_name = "api"


def public(route, view, name, **kwargs):
    return path(route, views.cors(conditional(view)), kwargs, name=name)


def record_addresses(endpoint):
    """`<plural>/` (the list) and `<plural>/<key>/` (a record)."""
    key = "<country:code>" if endpoint.key == "code" else "<slug:slug>"
    return [
        public(
            f"{endpoint.plural}/", views.record_list, f"{endpoint.name}_list", kind=endpoint.name
        ),
        public(
            f"{endpoint.plural}/{key}/",
            views.record_detail,
            f"{endpoint.name}_detail",
            kind=endpoint.name,
        ),
    ]


urlpatterns = [
    public("", views.index, "index"),
    public("openapi.json", views.openapi, "openapi"),
    *(address for endpoint in ENDPOINTS for address in record_addresses(endpoint)),
    public("sources/<slug:slug>/", views.source_detail, "source_detail"),
    # Any other address under /api/ that ends with a slash: a 404 in JSON. (Without the slash,
    # the site's usual redirect to the address with one comes first.)
    re_path(r"^(?P<rest>.*)/$", views.cors(views.not_found), name="not_found"),
]
