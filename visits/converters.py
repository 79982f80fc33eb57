"""Path converters: a country code in an address is two to eight letters, digits or hyphens,
so that anything else is a plain 404 and never reaches the database."""


class CountryCodeConverter:
    regex = "[A-Za-z0-9-]{2,8}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
