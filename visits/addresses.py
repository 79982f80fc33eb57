"""Records' addresses, made without running reverse() for each record.

A list page links every row to its record, its countries and its people: some three hundred
reverse() calls a page, a tenth of its time. reverse() runs here once per URL name, keyword and
script prefix, with a placeholder that every converter of the project accepts; a record's
address is then that pattern with its key put in, quoted as reverse() quotes it. Nothing here
depends on the records, so the patterns are the same in every process.
"""

import functools
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse

# Six letters: a slug and a country code converter both accept it, and no address of the
# site holds it otherwise.
PLACEHOLDER = "zqxjvk"
# What reverse() leaves unquoted in a path (django.urls.resolvers.URLResolver).
SAFE = "!$&'()*+,;=/~:@"


@functools.lru_cache(maxsize=256)
def _pattern(name, keyword, prefix, urlconf):
    before, found, after = reverse(name, kwargs={keyword: PLACEHOLDER}).partition(PLACEHOLDER)
    if not found:  # pragma: no cover - every pattern of the site puts its key in the path
        raise ValueError(f"{name} does not put its {keyword} in the address")
    return before, after


def address(name, **kwargs):
    """reverse(name, kwargs=kwargs) for one keyword argument, from the name's pattern."""
    ((keyword, value),) = kwargs.items()
    before, after = _pattern(name, keyword, get_script_prefix(), get_urlconf())
    return f"{before}{quote(str(value), safe=SAFE)}{after}"
