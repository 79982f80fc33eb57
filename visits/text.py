"""Text as it may be stored and shown: no C0 control characters (tab, line feed and carriage
return aside). Pasted word-processor text carries some (a vertical tab, a form feed) that XML
cannot hold at all and HTML checkers reject; they never mean anything in a record."""

import re

from django.db import models

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same in UTF-8: these bytes stand for these characters only (every byte of a longer
# sequence has its high bit set).
CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


class StripControlCharactersMiddleware:
    """No HTML response carries a control character, whatever a record, an address or a
    filter value held: one look at the page's bytes (a regular expression, a few microseconds),
    and a second pass only when one is found. Feeds and exports take them out themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and CONTROL_BYTES.search(response.content)
        ):
            response.content = CONTROL_BYTES.sub(b"", response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
