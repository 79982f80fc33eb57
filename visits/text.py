"""Text as it may be stored and shown: no C0 control characters (tab, line feed and carriage
return aside). Pasted word-processor text carries some (a vertical tab, a form feed) that XML
cannot hold at all and HTML checkers reject; they never mean anything in a record."""

import re

from django.db import models

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(value):
    """The text without its control characters (anything not a str is returned as it is)."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        return CONTROL_CHARACTERS.sub("", value)
    return value


def strip_control_characters(sender, instance, **kwargs):
    """pre_save: the record's text fields lose their control characters before they are stored
    (the admin, loaddata, anything that saves a record)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and not field.generated:
            value = getattr(instance, field.attname)
            cleaned = strip_controls(value)
            if cleaned is not value:
                setattr(instance, field.attname, cleaned)
