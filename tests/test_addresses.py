"""Records' addresses come from a pattern made once by reverse() (visits.addresses): each is
what reverse() gives, under any script prefix the site is mounted at."""

import pytest
from django.urls import reverse, set_script_prefix

from visits.addresses import address
from visits.models import Agreement, Country, Meeting, Organization, Person, Source, Visit

pytestmark = pytest.mark.django_db

KEYS = {
    Visit: ("visit_detail", "slug"),
    Meeting: ("meeting_detail", "slug"),
    Agreement: ("agreement_detail", "slug"),
    Organization: ("organization_detail", "slug"),
    Person: ("person_detail", "slug"),
    Source: ("source_detail", "slug"),
}


@pytest.mark.parametrize("prefix", ["/", "/archive/"])
def test_every_record_address_is_what_reverse_gives(article, prefix):
    set_script_prefix(prefix)
    try:
        for model, (name, field) in KEYS.items():
            records = list(model.objects.all())
            assert records, model
            for record in records:
                expected = reverse(name, kwargs={field: getattr(record, field)})
                assert record.get_absolute_url() == expected
                assert expected.startswith(prefix)
        for country in Country.objects.filter(code__in=["AZ", "UZ", "US"]):
            expected = reverse("country_detail", kwargs={"code": country.code.lower()})
            assert country.get_absolute_url() == expected
    finally:
        set_script_prefix("/")


def test_a_key_is_quoted_as_reverse_quotes_it():
    for slug in ["plain-slug_1", "UPPER-42", "a"]:
        assert address("visit_detail", slug=slug) == reverse("visit_detail", kwargs={"slug": slug})
