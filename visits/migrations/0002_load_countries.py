"""Load every country from pycountry (ISO 3166-1 and 3166-3), so every database has them."""

from django.db import migrations

from visits.countries import sync_countries


def load_countries(apps, schema_editor):
    sync_countries(apps.get_model("visits", "Country"))


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
