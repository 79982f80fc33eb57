"""Dates in the editor's words: `2025-09-24`, `2025-09` or `2025`, stored as a date with how
much of it is known (models.base.DatePrecision), and shown back the way they were typed.

One format everywhere in the admin's forms (ISO, the format of the public filters), a help
text that says it, and an error beside the field that says it again."""

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models.base import DatePrecision

PARTIAL_HELP = _("YYYY-MM-DD, YYYY-MM or YYYY")
PARTIAL_ERROR = _("Enter a date as YYYY-MM-DD, YYYY-MM or YYYY.")
DAY_HELP = _("YYYY-MM-DD")
DAY_ERROR = _("Enter a date as YYYY-MM-DD.")

PARTIAL = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")


class PartialDate(datetime.date):
    """A date with how much of it is known: 2025-09 is the 1st of September 2025 (or the 30th,
    for the end of a period) with the precision "month"."""

    precision = DatePrecision.DAY

    @classmethod
    def known(cls, value, precision):
        date = cls(value.year, value.month, value.day)
        date.precision = precision
        return date


def iso_partial(value, precision):
    """A stored date as the editor types it: no more precisely than it is known."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def parse_partial(text, end=False):
    """A PartialDate from `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the first day of the month or
    year, or the last one when `end` (the end of a period). None when it is not one."""
    match = PARTIAL.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.group("year", "month", "day"))
    if year < 1:
        return None
    if month is None:
        precision = DatePrecision.YEAR
        month, day = (12, 31) if end else (1, 1)
    elif day is None:
        precision = DatePrecision.MONTH
        if not 1 <= month <= 12:
            return None
        day = calendar.monthrange(year, month)[1] if end else 1
    else:
        precision = DatePrecision.DAY
    try:
        return PartialDate.known(datetime.date(year, month, day), precision)
    except ValueError:
        return None


class PartialDateField(forms.Field):
    """A date typed as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`: cleans to a PartialDate (a date that
    knows its precision). `end` reads a month or a year as its last day."""

    widget = forms.TextInput(attrs={"size": 10, "inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {"invalid": PARTIAL_ERROR}

    def __init__(self, *, end=False, **kwargs):
        kwargs.setdefault("help_text", PARTIAL_HELP)
        self.end = end
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        date = parse_partial(str(value), end=self.end)
        if date is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return date

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return iso_partial(value, getattr(value, "precision", DatePrecision.DAY))
        return value

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
            initial = self.to_python(initial)
        except ValidationError:
            return True
        return self.known(initial) != self.known(data)

    @staticmethod
    def known(value):
        if value is None:
            return None
        return (value, getattr(value, "precision", DatePrecision.DAY))


class DayField(forms.DateField):
    """A date known to the day, typed and shown as `YYYY-MM-DD` (a visit's dates, which are
    stored without a precision)."""

    widget = forms.DateInput(
        format="%Y-%m-%d", attrs={"size": 10, "inputmode": "numeric", "autocomplete": "off"}
    )
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": DAY_ERROR}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DAY_HELP)
        super().__init__(**kwargs)


class DayFieldsForm(forms.ModelForm):
    """A form whose DAY_FIELDS (dates stored without a precision: a visit's, a source's) are
    typed and shown as YYYY-MM-DD, as every other date of the admin, instead of the admin's
    calendar widget and the locale's format."""

    DAY_FIELDS = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.DAY_FIELDS:
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = DayField(
                    required=old.required,
                    label=old.label,
                    help_text=f"{old.help_text} YYYY-MM-DD." if old.help_text else None,
                )


class PartialDatesForm(forms.ModelForm):
    """A model form whose dates are typed as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, each group of
    dates storing how much of them is known in one precision field.

    PARTIAL_DATES maps a precision field to its date fields, each `(name, end)`: `end` reads a
    month or a year as its last day (the end of a validity). Dates that share a precision must
    be typed with the same one. The precision field itself is never typed: when the form
    shows it (an admin's fieldsets name it), it is a hidden input that the dates overwrite."""

    PARTIAL_DATES = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for precision_name, dates in self.PARTIAL_DATES.items():
            precision = getattr(self.instance, precision_name)
            for name, end in dates:
                if name not in self.fields:
                    continue
                old = self.fields[name]
                self.fields[name] = PartialDateField(
                    end=end, required=old.required, label=old.label
                )
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = PartialDate.known(value, precision)
            if precision_name in self.fields:
                self.fields[precision_name].required = False
                self.fields[precision_name].widget = forms.HiddenInput()

    def clean(self):
        cleaned_data = super().clean()
        for precision_name, dates in self.PARTIAL_DATES.items():
            typed = [
                (name, cleaned_data[name])
                for name, _end in dates
                if name in self.fields and cleaned_data.get(name) is not None
            ]
            if not typed:
                # Nothing typed: the model's default, or what was stored, stays.
                precision = (
                    getattr(self.instance, precision_name) or DatePrecision.DAY
                    if self.instance.pk
                    else DatePrecision.DAY
                )
            else:
                precisions = {value.precision for _name, value in typed}
                precision = typed[0][1].precision
                if len(precisions) > 1:
                    self.add_error(
                        typed[-1][0],
                        ValidationError(
                            _("Give both dates to the same precision (day, month or year)."),
                            code="mixed-precision",
                        ),
                    )
            for name, value in typed:
                # Stored as a plain date: the precision goes into its own field.
                cleaned_data[name] = datetime.date(value.year, value.month, value.day)
            if precision_name in self.fields:
                cleaned_data[precision_name] = precision
            else:
                setattr(self.instance, precision_name, precision)
        return cleaned_data
