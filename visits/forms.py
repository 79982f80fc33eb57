"""The form, fields and widgets of the filters.

Countries are typed by name or code, several at once (one input per value, each suggesting
from a datalist the page holds once); a person or an organization by name or slug; dates as
text, as precise as known: 2025, 2025-09 or 2025-09-24. The form lists its errors for the
summary at its top, each with the id of the input it is about."""

import calendar
import datetime
import re

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.fields import RangeField
from django_filters.widgets import DateRangeWidget

from .choices import country_datalist_html, datalist_id, find_country, record_datalist_html
from .models import Country
from .names import name_key

ISO_DATE = ["%Y-%m-%d"]
DATE_HINT = _("e.g. 2025, 2025-09 or 2025-09-24")
DATE_ERROR = _("Enter a date as 2025, 2025-09 or 2025-09-24.")
DAY_HINT = _("e.g. 2025-09-24")
DAY_ERROR = _("Enter a date as 2025-09-24.")
YEAR_ERROR = _("Enter a year such as 2025.")
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
MAX_VALUES = 30  # countries in one filter
MAX_LENGTH = 200  # characters of a typed name


class FilterForm(forms.Form):
    """The filters' form: what the template needs beyond the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.field_label = field.label

    def datalists(self):
        """The datalists the inputs refer to, each once, however many inputs share it."""
        found = {}
        for field in self.fields.values():
            widget = field.widget
            if getattr(widget, "datalist", None) and widget.datalist not in found:
                found[widget.datalist] = widget.datalist_html()
        return mark_safe("".join(found.values()))

    def error_summary(self):
        """[(id of the input, "Label: message")] of every error, in the order of the form;
        the id is None where no input holds the value (the page number)."""
        summary = [(None, str(message)) for message in self.non_field_errors()]
        for name, errors in self.errors.as_data().items():
            if name not in self.fields:
                continue
            bound = self[name]
            widget = bound.field.widget
            for error in errors:
                for message in error.messages:
                    target, label = widget_target(widget, bound, error.params or {})
                    anchor = None if name == "page" else target
                    summary.append((anchor, f"{label}: {message}"))
        return summary


def widget_target(widget, bound, params):
    """The id of the input an error is about and the label it is summarized under."""
    if "end" in params:
        index = widget.suffixes.index(params["end"])
        return f"{bound.auto_id}_{params['end']}", widget.summary_labels[index]
    return input_id(bound.auto_id, params.get("index", 0)), str(bound.label)


def input_id(base, index):
    """The id of a repeatable input's index-th box: id_country, id_country_2, …"""
    return base if not index else f"{base}_{index + 1}"


# Countries ----------------------------------------------------------------------------------


class CountryInput(forms.Widget):
    """One text input per country chosen and one more, all suggesting from the page's one
    country datalist; filters.js makes them a combobox with chips."""

    template_name = "visits/widgets/repeatable.html"
    datalist = "country-names"
    kind = "any"
    field_label = ""
    invalid = frozenset()  # positions of the values not understood

    def datalist_html(self):
        return country_datalist_html(self.kind)

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = [str(item) for item in as_list(value) if str(item).strip()]
        attrs = context["widget"]["attrs"]
        base = attrs.get("id", f"id_{name}")
        inputs = []
        for index, text in enumerate([*values, ""]):
            own = {
                key: item
                for key, item in attrs.items()
                if key not in {"id", "aria-invalid", "aria-describedby"}
            }
            if index in self.invalid:
                own["aria-invalid"] = "true"
                own["aria-describedby"] = f"{base}_error"
            inputs.append(
                {
                    "id": input_id(base, index),
                    "value": text,
                    "attrs": own,
                    "label": f"{self.field_label} ({index + 1})" if index else "",
                }
            )
        context["widget"].update(inputs=inputs, datalist=self.datalist, many=True)
        return context


def as_list(value):
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


class CountryCodesField(forms.Field):
    """Countries by code or name in any language or script (case, accents and script do not
    matter: "Özbəkistan", "ozbekiston", "Узбекистан"), cleaned to the countries they name."""

    widget = CountryInput

    def to_python(self, value):
        return [item.strip() for item in as_list(value) if item and item.strip()]

    def clean(self, value):
        given = self.to_python(value)
        if not given:
            return []
        if len(given) > MAX_VALUES:
            raise forms.ValidationError(
                _("Choose at most %(max)s countries."), code="many", params={"max": MAX_VALUES}
            )
        codes, unknown = [], []
        for position, text in enumerate(given):
            code = find_country(text) if len(text) <= MAX_LENGTH and "\x00" not in text else None
            if code is None:
                unknown.append(position)
            elif code not in codes:
                codes.append(code)
        self.widget.invalid = frozenset(unknown)
        if unknown:
            raise forms.ValidationError(
                _(
                    "Unknown country: %(names)s. Enter a country's name or code, such as "
                    "Uzbekistan or UZ."
                ),
                code="unknown",
                params={
                    "names": ", ".join(given[position][:MAX_LENGTH] for position in unknown),
                    "index": unknown[0],
                },
            )
        # codes is in the order given, so the active filters are too.
        countries = {country.code: country for country in Country.objects.filter(code__in=codes)}
        return [countries[code] for code in codes if code in countries]


# People and organizations -------------------------------------------------------------------


class RecordInput(forms.TextInput):
    """A person's or an organization's name (or slug), suggested from its datalist."""

    template_name = "visits/widgets/record.html"

    def __init__(self, model, attrs=None):
        self.model = model
        self.datalist = datalist_id(model)
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def datalist_html(self):
        return record_datalist_html(self.model)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = self.datalist
        context["widget"].update(datalist=self.datalist)
        return context


class RecordField(forms.ModelChoiceField):
    """A record by its slug (one query, on its index), or else by its name when no other
    record has it (case does not matter), or else by one of its other names (folded: any
    script, no accents)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if not value or len(value) > MAX_LENGTH or "\x00" in value:
            # A NUL can be in no name or slug (and PostgreSQL refuses it in a query).
            return self.no_such(value.replace("\x00", ""))
        by_slug = self.queryset.filter(slug=value).first()
        if by_slug is not None:
            return by_slug
        found = list(self.queryset.filter(name__iexact=value)[:2])
        if not found and name_key(value):
            # One of its other names, folded: "Kamran Əliyev", "Камран Алиев".
            others = self.queryset.filter(names__key=name_key(value)).values("pk")
            found = list(self.queryset.filter(pk__in=others)[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise forms.ValidationError(
                _("Several have the name %(value)s: choose one from the list."),
                code="ambiguous",
                params={"value": value},
            )
        return self.no_such(value)

    def no_such(self, value):
        raise forms.ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value[:MAX_LENGTH]},
        )


# Dates --------------------------------------------------------------------------------------


def read_date(text, last=False):
    """2025, 2025-09 or 2025-09-24 as a day: the first of the year or month given, or with
    last, its last."""
    found = PARTIAL_DATE.fullmatch(text.strip())
    if not found:
        raise forms.ValidationError(DATE_ERROR, code="invalid")
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        if day:
            return datetime.date(year, month, day)
        if month:
            days = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 1
            return datetime.date(year, month, days if last else 1)
        return datetime.date(year, 12, 31) if last else datetime.date(year, 1, 1)
    except ValueError:
        raise forms.ValidationError(DATE_ERROR, code="invalid") from None


class PartialDateField(forms.CharField):
    """A date as precise as it is known; with last, a year or month means its last day."""

    def __init__(self, *args, last=False, **kwargs):
        self.last = last
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("error_messages", {"max_length": DATE_ERROR})
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        return read_date(text, last=self.last) if text else None


def text_input(**attrs):
    return forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", **attrs})


class PeriodWidget(DateRangeWidget):
    """Two labelled text inputs, From and To (date_after, date_before), described by the hint
    and, the one in error, by the message."""

    template_name = "visits/widgets/period.html"
    labels = (_("From"), _("To"))
    summary_labels = (_("Date from"), _("Date to"))
    invalid = frozenset()  # the ends in error: "after", "before"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets = [text_input(size=10), text_input(size=10)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base = (attrs or {}).get("id") or f"id_{name}"
        subwidgets = context["widget"]["subwidgets"]
        for subwidget, label, suffix in zip(subwidgets, self.labels, self.suffixes, strict=True):
            subwidget["label"] = label
            own = subwidget["attrs"]
            own["id"] = f"{base}_{suffix}"
            own.pop("aria-invalid", None)
            described = [f"{base}_helptext"]
            if suffix in self.invalid:
                own["aria-invalid"] = "true"
                described.append(f"{base}_error")
            own["aria-describedby"] = " ".join(described)
        return context


class PeriodField(RangeField):
    """A period between two dates as precise as known, either end open: slice(start, stop)
    of days. From 2025 is from 1 January 2025; to 2025-09, to 30 September 2025."""

    widget = PeriodWidget

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", DATE_HINT)
        fields = (PartialDateField(required=False), PartialDateField(required=False, last=True))
        super().__init__(fields, *args, **kwargs)

    def clean(self, value):
        value = value if isinstance(value, list | tuple) else [None, None]
        days, errors = [], []
        for end, field, text in zip(self.widget.suffixes, self.fields, value, strict=True):
            try:
                days.append(field.clean(text))
            except forms.ValidationError:
                days.append(None)
                errors.append(forms.ValidationError(DATE_ERROR, params={"end": end}))
        start, stop = days
        if not errors and start and stop and start > stop:
            message = _("The end of the range is before its start.")
            errors.append(forms.ValidationError(message, params={"end": "before"}))
        self.widget.invalid = frozenset(error.params["end"] for error in errors)
        if errors:
            raise forms.ValidationError(errors)
        return self.compress(days)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        start, stop = data_list
        return slice(start, stop)


class ChoiceCheckbox(forms.CheckboxInput):
    """A checkbox that sends one value of a choice (`events=once`). It reads back what the
    address holds, so that a wrong value is reported (400) rather than taken as ticked."""

    def __init__(self, value, attrs=None):
        self.checked_value = value
        super().__init__(attrs, check_test=lambda given: str(given) == value)

    def format_value(self, value):
        return self.checked_value

    def value_from_datadict(self, data, files, name):
        return data.get(name)
