"""The forms of the "start from the source" page: the source, the visit, and a meeting and
an agreement proposed (each kept or left out), with the words each proposed value was read from
as its help text; and their initial values taken from the proposals."""

import datetime

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.utils.translation import gettext_lazy as _

from ..admin_dates import iso_partial, parse_partial
from ..models import (
    Agreement,
    Country,
    Delegation,
    Meeting,
    MeetingParticipant,
    Organization,
    Person,
    Signatory,
    Source,
    Visit,
)
from ..models.base import DatePrecision

DATE_HELP = _("Written as 2025-09-24, or 2025-09 or 2025 when only the month or year is known.")


class PartialDateField(forms.CharField):
    """A date known to the day, the month or the year: cleans to (date, precision) or None."""

    default_error_messages = {
        "invalid": _("Enter a date as 2025-09-24, or as 2025-09 or 2025 when that is all the "
                     "source gives.")
    }  # fmt: skip

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        date = parse_partial(text)
        if date is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(date.year, date.month, date.day), date.precision


def use_autocomplete(field, model, name, admin_site, multiple=False):
    """Give a choice field the admin's autocomplete widget for the relation `name` of
    `model` (with the field's choices, as a field gives its own widget)."""
    widget_class = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    widget = widget_class(model._meta.get_field(name), admin_site)
    widget.choices, widget.is_required = field.choices, field.required
    field.widget = widget


def iso_date(**kwargs):
    """A date field that takes the one format shown everywhere: 2025-09-24."""
    kwargs.setdefault("help_text", _("Written as 2025-09-24."))
    return forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as 2025-09-24.")},
        **kwargs,
    )


class EvidenceForm(forms.Form):
    """A form whose proposed fields show, as their help text, the words they were read from."""

    def __init__(self, *args, admin_site, evidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin_site = admin_site
        self.add_widgets()
        # The admin's own widths: a title fits on one line, as on the change forms.
        for field in self.fields.values():
            if type(field.widget) in (forms.TextInput, forms.URLInput):
                field.widget.attrs.setdefault("class", "vTextField")
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("class", "vLargeTextField")
        for name, words in (evidence or {}).items():
            if words and name in self.fields:
                self.fields[name].help_text = f"Read from: “{words}”"

    def add_widgets(self):
        """Set the autocomplete widgets, which need the admin site."""


class SourceForm(EvidenceForm):
    """The source: who published it, where and when, its address, and its text."""

    publisher = forms.ModelChoiceField(Organization.objects.all())
    dateline = forms.CharField(
        max_length=120, required=False, help_text=_("The place the source was written in.")
    )
    published_on = iso_date(label=_("Published on"))
    url = forms.URLField(
        label=_("Web address"), max_length=500, required=False, assume_scheme="https"
    )
    title = forms.CharField(
        max_length=400, required=False, help_text=_("Empty when the source has none.")
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text=_("The source's text, pasted whole. It is read, not saved."),
        error_messages={"required": _("Paste the source's text: the proposals are read from it.")},
    )
    proposed_for = forms.CharField(widget=forms.HiddenInput, required=False)

    def add_widgets(self):
        use_autocomplete(self.fields["publisher"], Source, "publisher", self.admin_site)
        self.fields["published_on"].help_text = _(
            "Written as 2025-09-25. Days the text gives without a year (“on September 24”) "
            "are read in this date's year."
        )


class VisitForm(EvidenceForm):
    """The visit and its delegation's head."""

    prefix = "visit"

    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=Visit.Kind.choices, initial=Visit.Kind.UNSPECIFIED)
    guest_country = forms.ModelChoiceField(Country.objects.all())
    host_country = forms.ModelChoiceField(Country.objects.all())
    start_date = iso_date(help_text=_("The day the delegation arrived, written as 2025-09-24."))
    places = forms.CharField(
        max_length=300, required=False, help_text=_("Cities or sites visited, separated by commas.")
    )
    head = forms.ModelChoiceField(Person.objects.all(), required=False, label=_("Head"))
    head_office = forms.CharField(
        max_length=200, required=False, label=_("Office of the head"), help_text=_("As held then.")
    )

    def add_widgets(self):
        for name in ("guest_country", "host_country"):
            use_autocomplete(self.fields[name], Visit, name, self.admin_site)
        use_autocomplete(self.fields["head"], Delegation, "head", self.admin_site)

    def clean(self):
        data = super().clean()
        guest, host = data.get("guest_country"), data.get("host_country")
        if guest is not None and guest == host:
            self.add_error("host_country", _("The guest and host countries must differ."))
        if data.get("head_office") and not data.get("head"):
            self.add_error("head", _("An office needs the person who held it."))
        return data


class KeptForm(EvidenceForm):
    """A proposed record the editor keeps (saved) or leaves out."""

    keep = forms.BooleanField(required=False, initial=True, label=_("Save this record"))

    def clean(self):
        data = super().clean()
        if data.get("keep") and not data.get("title"):
            self.add_error("title", _("Give the title, or leave this record out."))
        return data


class MeetingForm(KeptForm):
    """A meeting of the visit."""

    title = forms.CharField(max_length=300, required=False)
    kind = forms.ChoiceField(choices=Meeting.Kind.choices, initial=Meeting.Kind.OTHER)
    date = PartialDateField(required=False, help_text=DATE_HELP)
    place = forms.CharField(max_length=200, required=False)
    country = forms.ModelChoiceField(Country.objects.all(), required=False)
    host_organization = forms.ModelChoiceField(
        Organization.objects.all(), required=False, label=_("Host organization")
    )
    body = forms.ModelChoiceField(
        Organization.objects.all(),
        required=False,
        help_text=_("The recurring body this is a meeting of."),
    )
    ordinal = forms.IntegerField(
        min_value=1, max_value=32767, required=False, help_text=_("4 for the 4th meeting.")
    )
    participants = forms.ModelMultipleChoiceField(Person.objects.all(), required=False)

    def add_widgets(self):
        for name in ("country", "host_organization", "body"):
            use_autocomplete(self.fields[name], Meeting, name, self.admin_site)
        use_autocomplete(
            self.fields["participants"],
            MeetingParticipant,
            "person",
            self.admin_site,
            multiple=True,
        )

    def clean(self):
        data = super().clean()
        if not data.get("keep"):
            return data
        body, ordinal = data.get("body"), data.get("ordinal")
        if ordinal is not None and body is None:
            self.add_error("body", _("A meeting's number needs the body whose series it is in."))
        elif ordinal is not None and Meeting.objects.filter(body=body, ordinal=ordinal).exists():
            self.add_error(
                "ordinal", _("This body's meeting with this number is recorded already.")
            )
        return data


class AgreementForm(KeptForm):
    """An agreement the source names."""

    title = forms.CharField(max_length=400, required=False)
    kind = forms.ChoiceField(choices=Agreement.Kind.choices, initial=Agreement.Kind.AGREEMENT)
    signed = PartialDateField(required=False, label=_("Signed on"), help_text=DATE_HELP)
    signed_place = forms.CharField(max_length=200, required=False, label=_("Place of signature"))
    signed_country = forms.ModelChoiceField(
        Country.objects.all(), required=False, label=_("Country of signature")
    )
    valid_from_year = forms.IntegerField(min_value=1, max_value=9999, required=False)
    valid_until_year = forms.IntegerField(min_value=1, max_value=9999, required=False)
    party_countries = forms.ModelMultipleChoiceField(Country.objects.all(), required=False)
    party_organizations = forms.ModelMultipleChoiceField(Organization.objects.all(), required=False)
    signatories = forms.ModelMultipleChoiceField(Person.objects.all(), required=False)

    def add_widgets(self):
        use_autocomplete(
            self.fields["signed_country"], Agreement, "signed_country", self.admin_site
        )
        for name in ("party_countries", "party_organizations"):
            use_autocomplete(self.fields[name], Agreement, name, self.admin_site, True)
        use_autocomplete(
            self.fields["signatories"], Signatory, "person", self.admin_site, multiple=True
        )

    def clean(self):
        data = super().clean()
        first, last = data.get("valid_from_year"), data.get("valid_until_year")
        if first is not None and last is not None and last < first:
            self.add_error("valid_until_year", _("The last year cannot be before the first."))
        return data


class ProposalFormSet(forms.BaseFormSet):
    """Meeting or agreement forms, each with the words of its own proposal."""

    def __init__(self, *args, admin_site, evidence=(), **kwargs):
        self.admin_site, self.evidence = admin_site, list(evidence)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        evidence = self.evidence[index] if index is not None and index < len(self.evidence) else {}
        return {"admin_site": self.admin_site, "evidence": evidence}


MeetingFormSet = forms.formset_factory(MeetingForm, formset=ProposalFormSet, extra=0)
AgreementFormSet = forms.formset_factory(AgreementForm, formset=ProposalFormSet, extra=0)


def initial_and_evidence(proposals, names):
    """(initial values, words) for the fields named, from the proposals' attributes."""
    initial, evidence = {}, {}
    for field_name, (attribute, convert) in names.items():
        proposal = attribute(proposals) if callable(attribute) else getattr(proposals, attribute)
        if proposal is None:
            continue
        if isinstance(proposal, list):
            if proposal:
                initial[field_name] = [convert(p.value) for p in proposal]
                evidence[field_name] = " · ".join(dict.fromkeys(p.words for p in proposal))
            continue
        initial[field_name] = convert(proposal.value)
        evidence[field_name] = proposal.words
    return initial, evidence


def shown_day(value):
    """A proposed day as the date fields show it (2025-09-24)."""
    return iso_partial(value, DatePrecision.DAY)


def same(value):
    return value


def country_pk(codes):
    """A converter from country codes to primary keys."""
    return lambda code: codes.get(code)


def visit_initial(proposals, codes):
    return initial_and_evidence(
        proposals,
        {
            "title": ("title", same),
            "kind": ("kind", same),
            "guest_country": ("guest_country", country_pk(codes)),
            "host_country": ("host_country", country_pk(codes)),
            "start_date": ("start_date", datetime.date.isoformat),
            "places": ("places", same),
            "head": ("head", same),
            "head_office": ("head_office", same),
        },
    )


def meeting_initial(meeting, codes):
    initial, evidence = initial_and_evidence(
        meeting,
        {
            "title": ("title", same),
            "kind": ("kind", same),
            "date": ("date", shown_day),
            "place": ("place", same),
            "country": ("country", country_pk(codes)),
            "host_organization": ("host_organization", same),
            "body": ("body", same),
            "ordinal": ("ordinal", same),
            "participants": ("participants", same),
        },
    )
    return {"keep": True, **initial}, evidence


def agreement_initial(agreement, codes):
    def year(day):
        return day.year

    initial, evidence = initial_and_evidence(
        agreement,
        {
            "title": ("title", same),
            "kind": ("kind", same),
            "signed": ("signed_on", shown_day),
            "signed_place": ("signed_place", same),
            "signed_country": ("signed_country", country_pk(codes)),
            "valid_from_year": ("valid_from", year),
            "valid_until_year": ("valid_until", year),
            "party_countries": ("party_countries", country_pk(codes)),
            "party_organizations": ("party_organizations", same),
            "signatories": ("signatories", same),
        },
    )
    return {"keep": True, **initial}, evidence
