"""The form fields and widgets of the filters: country codes (one or several, checked against
the countries held) and a period of two ISO dates."""

import re

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_filters.fields import RangeField
from django_filters.widgets import DateRangeWidget

from .choices import country_options_html
from .models import Country

ISO_DATE = ["%Y-%m-%d"]
COUNTRY_CODE = re.compile(r"[A-Z0-9-]{2,8}", re.ASCII)


def is_country_code(code):
    """Two to eight ASCII letters, digits or hyphens, the shape of every code we hold."""
    return COUNTRY_CODE.fullmatch(code) is not None


class CountrySelect(forms.SelectMultiple):
    """A country control whose options are rendered once and cached (see visits.choices).

    It is a single select, unless the address asks for several countries at once."""

    kind = "any"
    names: dict = {}

    def render(self, name, value, attrs=None, renderer=None):
        selected = [str(code).strip().upper() for code in (value or []) if str(code).strip()]
        options = country_options_html(self.kind)
        missing = []
        for code in selected:
            option = format_html('<option value="{}">', code)
            if option in options:
                options = options.replace(option, option[:-1] + " selected>", 1)
            else:
                missing.append(code)
        if missing:
            # A country asked for in the address that has no records of this kind yet.
            names = self.names
            if not set(missing) <= set(names):
                # Only well-formed codes are looked up: a hostile value never reaches the database.
                looked_up = [code for code in missing if is_country_code(code)]
                names = dict(Country.objects.filter(code__in=looked_up).values_list("code", "name"))
            options += "".join(
                format_html('<option value="{}" selected>{}</option>', code, names.get(code, code))
                for code in missing
            )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe(" multiple") if len(selected) > 1 else "",
            mark_safe(options),
        )


class CountryCodesField(forms.Field):
    """One or more country codes (case-insensitive), cleaned to the countries they name."""

    widget = CountrySelect

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        codes = []
        for code in value:
            code = code.strip().upper()
            if code and code not in codes:
                codes.append(code)
        return codes

    def clean(self, value):
        codes = self.to_python(value)
        if not codes:
            return []
        if not all(is_country_code(code) for code in codes):
            raise forms.ValidationError("A country code is two to four letters, such as AZ.")
        countries = {country.code: country for country in Country.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in countries]
        if unknown:
            raise forms.ValidationError(
                "Unknown country code: %(codes)s. Use ISO codes such as AZ or UZ.",
                params={"codes": ", ".join(unknown)},
            )
        # The control shows these even when they have no records of the list's kind.
        self.widget.names = {code: country.name for code, country in countries.items()}
        return [countries[code] for code in codes]


class PeriodWidget(DateRangeWidget):
    """Two labelled date inputs, From and To (date_after, date_before)."""

    template_name = "visits/widgets/period.html"
    labels = ("From", "To")

    def __init__(self, attrs=None):
        super().__init__(attrs)
        for widget in self.widgets:
            widget.input_type = "date"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["label"] = label
        return context


class PeriodField(RangeField):
    """A period from one ISO date to another, either end open: slice(start, stop) of dates."""

    widget = PeriodWidget

    def __init__(self, *args, **kwargs):
        date = {
            "input_formats": ISO_DATE,
            "error_messages": {"invalid": "Enter a date as YYYY-MM-DD."},
        }
        fields = (forms.DateField(**date), forms.DateField(**date))
        super().__init__(fields, *args, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        start, stop = data_list
        if start and stop and start > stop:
            raise forms.ValidationError("The end of the range is before its start.")
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
