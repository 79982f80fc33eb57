"""The admin's "start from the source" page: an editor enters a source and pastes its text,
the site proposes what the text says (visits.proposals) in forms the editor confirms or
corrects, and on confirmation the source, the visit with its delegation, the meetings and the
agreements kept are saved in one transaction.

Each proposed value shows the words it was read from as the field's help text; a field the
rules could not fill is left empty."""

import datetime
import hashlib

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ..models import (
    Agreement,
    Country,
    Delegation,
    Meeting,
    MeetingParticipant,
    Person,
    Signatory,
    Source,
    Visit,
)
from ..models.base import DatePrecision
from ..proposals import Lexicon, propose
from .forms import (
    AgreementFormSet,
    MeetingFormSet,
    SourceForm,
    VisitForm,
    agreement_initial,
    meeting_initial,
    visit_initial,
)


def fingerprint(text):
    """What says which text the proposals on the page were read from."""
    return hashlib.sha256(text.encode()).hexdigest()


def summary_rows(proposals, lexicon):
    """What the text names, for the list above the forms: (kind, name, words) rows."""
    rows = []
    for proposal in proposals.countries:
        rows.append(("Country", lexicon.country_names.get(proposal.value, ""), proposal.words))
    for person in proposals.people:
        name = f"{person.name} ({person.office.value})" if person.office else person.name
        words = person.office.words if person.office else person.words
        rows.append(("Person", name, words))
    shared = {pk for proposal in proposals.shared_names for pk in proposal.value}
    people = Person.objects.select_related("country").in_bulk(shared)
    for proposal in proposals.shared_names:
        names = "; ".join(
            f"{people[pk].name} ({people[pk].country or 'country unknown'}, {people[pk].slug})"
            for pk in proposal.value
            if pk in people
        )
        rows.append((f"One of {len(proposal.value)} people", names, proposal.words))
    for proposal in proposals.organizations:
        rows.append(("Body", lexicon.organization_names[proposal.value], proposal.words))
    for proposal in proposals.dates:
        rows.append(("Date", proposal.value.isoformat(), proposal.words))
    return rows


def free_slug(model, text, limit=150):
    """A slug of the text that no record of the model has yet (-2, -3… added if needed)."""
    base = slugify(text)[:limit].strip("-") or model._meta.model_name
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base[: limit - 6]}-{number}"
    return slug


def save_records(source_data, visit_data, meetings, agreements, offices):
    """Save the source, the visit with its delegation, and the meetings and agreements kept,
    in one transaction; return the visit. `offices` gives each person's office read from the
    text, written on their participations and signatures."""
    with transaction.atomic():
        source = Source.objects.create(
            slug=free_slug(
                Source,
                " ".join(
                    part
                    for part in (
                        source_data["publisher"].slug,
                        source_data["published_on"].isoformat(),
                        source_data["title"] or visit_data["title"],
                    )
                    if part
                ),
            ),
            title=source_data["title"],
            publisher=source_data["publisher"],
            dateline=source_data["dateline"],
            published_on=source_data["published_on"],
            url=source_data["url"],
        )
        guest, host, head = (
            visit_data["guest_country"],
            visit_data["host_country"],
            visit_data["head"],
        )
        visit = Visit.objects.create(
            slug=free_slug(
                Visit,
                " ".join(
                    part
                    for part in (
                        visit_data["start_date"].isoformat(),
                        guest.name,
                        host.name,
                        visit_data["head_office"],
                    )
                    if part
                ),
            ),
            title=visit_data["title"],
            kind=visit_data["kind"],
            guest_country=guest,
            host_country=host,
            start_date=visit_data["start_date"],
            places=visit_data["places"],
        )
        visit.sources.add(source)
        Delegation.objects.create(visit=visit, head=head, head_office=visit_data["head_office"])
        for position, data in enumerate(meetings, start=1):
            date, precision = data["date"] or (None, DatePrecision.DAY)
            meeting = Meeting.objects.create(
                slug=free_slug(Meeting, data["title"]),
                title=data["title"],
                kind=data["kind"],
                visit=visit,
                position=position,
                date=date,
                date_precision=precision,
                place=data["place"],
                country=data["country"],
                host_organization=data["host_organization"],
                body=data["body"],
                ordinal=data["ordinal"],
            )
            meeting.sources.add(source)
            MeetingParticipant.objects.bulk_create(
                MeetingParticipant(
                    meeting=meeting, person=person, office=offices.get(person.pk, "")
                )
                for person in data["participants"]
            )
        for data in agreements:
            save_agreement(data, source, visit, offices)
    return visit


def save_agreement(data, source, visit, offices):
    """An agreement recorded already (the same title) gets the source only; a new one is
    created, linked to the visit unless it was signed before the visit began."""
    existing = Agreement.objects.filter(title__iexact=data["title"]).first()
    if existing is not None:
        existing.sources.add(source)
        return existing
    signed_on, precision = data["signed"] or (None, DatePrecision.DAY)
    first, last = data["valid_from_year"], data["valid_until_year"]
    if first is not None and last is None:
        last = first
    agreement = Agreement.objects.create(
        slug=free_slug(Agreement, data["title"]),
        title=data["title"],
        kind=data["kind"],
        signed_on=signed_on,
        signed_precision=precision,
        signed_place=data["signed_place"],
        signed_country=data["signed_country"],
        valid_from=datetime.date(first, 1, 1) if first else None,
        valid_until=datetime.date(last, 12, 31) if last else None,
        validity_precision=DatePrecision.YEAR if first else DatePrecision.DAY,
        visit=None if signed_on and signed_on < visit.start_date else visit,
    )
    agreement.sources.add(source)
    agreement.party_countries.set(data["party_countries"])
    agreement.party_organizations.set(data["party_organizations"])
    Signatory.objects.bulk_create(
        Signatory(agreement=agreement, person=person, office=offices.get(person.pk, ""))
        for person in data["signatories"]
    )
    return agreement


def propose_view(model_admin, request):
    """The page: the source form alone (GET); with the proposals in forms (action "propose",
    or a save whose text changed); the records saved and the editor sent to the visit
    (action "save", everything valid)."""
    admin_site = model_admin.admin_site
    post = request.POST if request.method == "POST" else None
    source_form = SourceForm(post, admin_site=admin_site)
    context = {"source_form": source_form}
    if post is not None and source_form.is_valid():
        data = source_form.cleaned_data
        lexicon = Lexicon.cached()
        proposals = propose(data["text"], data["published_on"], lexicon)
        codes = dict(Country.objects.values_list("code", "pk"))
        visit_values, visit_words = visit_initial(proposals, codes)
        meeting_pairs = [meeting_initial(meeting, codes) for meeting in proposals.meetings]
        agreement_pairs = [
            agreement_initial(agreement, codes) for agreement in proposals.agreements
        ]
        text_changed = data["proposed_for"] != fingerprint(data["text"])
        saving = post.get("action") == "save" and not text_changed
        bound = post if saving else None
        visit_form = VisitForm(
            bound, admin_site=admin_site, initial=visit_values, evidence=visit_words
        )
        meeting_forms = MeetingFormSet(
            bound,
            prefix="meetings",
            admin_site=admin_site,
            initial=[values for values, _words in meeting_pairs],
            evidence=[words for _values, words in meeting_pairs],
        )
        agreement_forms = AgreementFormSet(
            bound,
            prefix="agreements",
            admin_site=admin_site,
            initial=[values for values, _words in agreement_pairs],
            evidence=[words for _values, words in agreement_pairs],
        )
        if saving and all(f.is_valid() for f in (visit_form, meeting_forms, agreement_forms)):
            offices = {p.pk: p.office.value for p in proposals.people if p.office}
            visit = save_records(
                data,
                visit_form.cleaned_data,
                [form.cleaned_data for form in meeting_forms if form.cleaned_data.get("keep")],
                [form.cleaned_data for form in agreement_forms if form.cleaned_data.get("keep")],
                offices,
            )
            model_admin.message_user(
                request,
                f"Saved the source and the visit “{visit.title}” with its delegation, "
                f"{visit.meetings.count()} meeting(s) and the agreements kept.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:visits_visit_change", args=[visit.pk]))
        if post.get("action") == "save" and text_changed:
            messages.warning(
                request, "The text changed since it was read: these proposals are for the new text."
            )
        # The proposals shown are for the text as it is now.
        source_form = SourceForm(
            {**post.dict(), "proposed_for": fingerprint(data["text"])}, admin_site=admin_site
        )
        source_form.is_valid()
        context |= {
            "source_form": source_form,
            "visit_form": visit_form,
            "meeting_forms": meeting_forms,
            "agreement_forms": agreement_forms,
            "found": summary_rows(proposals, lexicon),
        }
    media = source_form.media
    for name in ("visit_form", "meeting_forms", "agreement_forms"):
        if name in context:
            media += context[name].media
    opts = model_admin.model._meta
    context |= {
        **admin_site.each_context(request),
        "title": _("Start from the source"),
        "subtitle": None,
        "opts": opts,
        "media": model_admin.media + media,
    }
    request.current_app = admin_site.name
    return TemplateResponse(request, "admin/visits/source/propose.html", context)
