"""Small helpers that make records for a test, with sensible defaults."""

import contextlib
import datetime
import itertools

from django.apps import apps

from visits.models import (
    Agreement,
    Country,
    Delegation,
    Meeting,
    Organization,
    Person,
    Source,
    Visit,
)

_numbers = itertools.count(1)


def country(code):
    return Country.objects.get(code=code.upper())


def organization(name=None, **fields):
    number = next(_numbers)
    fields.setdefault("classification", Organization.Classification.GOVERNMENT_BODY)
    return Organization.objects.create(
        name=name or f"Ministry {number}", slug=f"organization-{number}", **fields
    )


def person(name=None, **fields):
    number = next(_numbers)
    return Person.objects.create(name=name or f"Person {number}", slug=f"person-{number}", **fields)


def source(**fields):
    number = next(_numbers)
    fields.setdefault("publisher", organization(classification="news-agency"))
    return Source.objects.create(slug=f"source-{number}", **fields)


def visit(guest="AZ", host="UZ", start=datetime.date(2020, 1, 1), head=None, **fields):
    number = next(_numbers)
    fields.setdefault("title", f"Visit {number}")
    made = Visit.objects.create(
        slug=f"visit-{number}",
        guest_country=country(guest),
        host_country=country(host),
        start_date=start,
        **fields,
    )
    if head is not None:
        Delegation.objects.create(visit=made, head=head, head_office="Minister")
    return made


def sourced_visit(*args, **fields):
    """A visit with a source, as every visit an editor saves in the admin has."""
    made = visit(*args, **fields)
    made.sources.add(source())
    return made


def meeting(**fields):
    number = next(_numbers)
    fields.setdefault("title", f"Meeting {number}")
    fields.setdefault("kind", Meeting.Kind.BILATERAL)
    return Meeting.objects.create(slug=f"meeting-{number}", **fields)


def agreement(**fields):
    number = next(_numbers)
    fields.setdefault("title", f"Agreement {number}")
    fields.setdefault("kind", Agreement.Kind.AGREEMENT)
    return Agreement.objects.create(slug=f"agreement-{number}", **fields)


@contextlib.contextmanager
def without_history():
    """Records saved inside are given no history rows: simple_history skips an instance that
    has `skip_history_when_saving`, here set on the classes for a while. The history is what
    the admin and the imports write; the many records a list's test needs have no use for it,
    and writing it was most of the time they took to make."""
    kept = [
        model
        for model in apps.get_app_config("visits").get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]
    for model in kept:
        model.skip_history_when_saving = True
    try:
        yield
    finally:
        for model in kept:
            del model.skip_history_when_saving


def many_records(count=35, guest="AZ", hosts=("UZ", "FR", "DE", "TR", "KZ")):
    """A realistic set: visits with delegations, members, meetings with participants,
    agreements with parties and signatories, and a source for each (without history rows,
    see without_history)."""
    with without_history():
        return _many_records(count, guest, hosts)


def _many_records(count, guest, hosts):
    from visits.models import DelegationMember, MeetingParticipant, Signatory

    publisher = organization("News agency", classification="news-agency")
    ministry = organization("Ministry of Foreign Affairs", country=country(guest))
    made = []
    for index in range(count):
        host = hosts[index % len(hosts)]
        start = datetime.date(2000 + index % 25, 1 + index % 12, 1 + index % 28)
        head = person(f"Minister {index}", country=country(guest))
        trip = visit(
            guest=guest,
            host=host,
            start=start,
            end_date=start + datetime.timedelta(days=2),
            places=f"City {index}",
        )
        trip.sources.add(source(publisher=publisher, published_on=start))
        delegation = Delegation.objects.create(
            visit=trip, head=head, head_office="Minister", organization=ministry
        )
        DelegationMember.objects.create(
            delegation=delegation, person=person(f"Adviser {index}"), office="Adviser"
        )
        talks = meeting(visit=trip, date=start, country=country(host), host_organization=ministry)
        MeetingParticipant.objects.create(meeting=talks, person=head, office="Minister")
        deal = agreement(visit=trip, signed_on=start, signed_country=country(host))
        deal.party_countries.add(country(guest), country(host))
        deal.party_organizations.add(ministry)
        deal.sources.add(*trip.sources.all())
        Signatory.objects.create(agreement=deal, person=head, office="Minister")
        made.append(trip)
    return made
