from django.core.management.base import BaseCommand

from visits.countries import sync_countries
from visits.models import Country


class Command(BaseCommand):
    help = "Add countries missing from the database and refresh names after a pycountry upgrade."

    def handle(self, *args, **options):
        created, updated = sync_countries(Country)
        self.stdout.write(f"{created} countries created, {updated} updated.")
