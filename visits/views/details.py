"""Public pages. Each view fetches everything its template shows, so that a page makes a
fixed number of queries however many rows it lists."""

from django.db.models import F, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from .models import (
    Agreement,
    Country,
    DelegationMember,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    Signatory,
    Source,
    Visit,
)

PEOPLE_WITH_COUNTRY = Person.objects.select_related("country")


def participants_prefetch():
    return Prefetch(
        "participants",
        queryset=MeetingParticipant.objects.select_related("person", "organization").order_by(
            "role", "person__name"
        ),
    )


def signatories_prefetch():
    return Prefetch(
        "signatories",
        queryset=Signatory.objects.select_related("person", "organization"),
    )


def home(request):
    latest = Visit.objects.with_related()[:20]
    return render(
        request,
        "visits/home.html",
        {"latest_visits": latest, "visit_count": Visit.objects.count()},
    )


def visit_detail(request, slug):
    visit = get_object_or_404(
        Visit.objects.with_related().prefetch_related(
            Prefetch(
                "delegation__members",
                queryset=DelegationMember.objects.select_related("person", "organization"),
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.with_related()
                .prefetch_related(participants_prefetch())
                .order_by(F("date").asc(nulls_last=True), "position", "title"),
            ),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.select_related("signed_country").prefetch_related(
                    signatories_prefetch()
                ),
            ),
            Prefetch("sources", queryset=Source.objects.select_related("publisher")),
        ),
        slug=slug,
    )
    return render(request, "visits/visit_detail.html", {"visit": visit})


def meeting_detail(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "country", "host_organization", "body__parent", "visit__guest_country"
        ).prefetch_related(
            participants_prefetch(),
            Prefetch("agreements", queryset=Agreement.objects.select_related("signed_country")),
            Prefetch("sources", queryset=Source.objects.select_related("publisher")),
        ),
        slug=slug,
    )
    return render(request, "visits/meeting_detail.html", {"meeting": meeting})


def agreement_detail(request, slug):
    agreement = get_object_or_404(
        Agreement.objects.select_related(
            "signed_country", "visit__guest_country", "visit__host_country", "meeting"
        ).prefetch_related(
            "party_countries",
            Prefetch(
                "party_organizations", queryset=Organization.objects.select_related("country")
            ),
            signatories_prefetch(),
            Prefetch("sources", queryset=Source.objects.select_related("publisher")),
        ),
        slug=slug,
    )
    return render(request, "visits/agreement_detail.html", {"agreement": agreement})


def organization_detail(request, slug):
    organization = get_object_or_404(
        Organization.objects.select_related("country", "parent"), slug=slug
    )
    context = {
        "organization": organization,
        "children": organization.children.select_related("country"),
        "visits": Visit.objects.with_related().filter(delegation__organization=organization),
        "meetings": Meeting.objects.with_related().filter(
            Q(host_organization=organization) | Q(body=organization)
        ),
        "agreements": organization.agreements.select_related("signed_country"),
        "sources": organization.sources.all(),
    }
    return render(request, "visits/organization_detail.html", context)


def person_detail(request, slug):
    person = get_object_or_404(PEOPLE_WITH_COUNTRY, slug=slug)
    context = {
        "person": person,
        "led": Visit.objects.with_related().filter(delegation__head=person),
        "joined": person.delegations_joined.select_related(
            "delegation__visit__guest_country", "delegation__visit__host_country", "organization"
        ),
        "participations": person.participations.select_related(
            "meeting__country", "organization"
        ).order_by("-meeting__date"),
        "signatures": person.signatures.select_related("agreement", "organization"),
    }
    return render(request, "visits/person_detail.html", context)


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    context = {
        "country": country,
        "visits_made": country.visits_made.with_related(),
        "visits_received": country.visits_received.with_related(),
        "agreements": country.agreements.select_related("signed_country"),
    }
    return render(request, "visits/country_detail.html", context)


def source_detail(request, slug):
    source = get_object_or_404(Source.objects.select_related("publisher"), slug=slug)
    context = {
        "source": source,
        "visits": source.visits.with_related(),
        "meetings": source.meetings.with_related(),
        "agreements": source.agreements.all(),
    }
    return render(request, "visits/source_detail.html", context)
