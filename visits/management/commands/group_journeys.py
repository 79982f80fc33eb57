from django.core.management.base import BaseCommand

from visits.importing.guard import import_transaction, reported_failures
from visits.journeys import find_journeys


class Command(BaseCommand):
    help = (
        "Group each traveller's visits whose dates touch or overlap into journeys, and link the "
        "visits that accompanied the President to the President's visit. Journeys an editor set "
        "are left as they are, and so is a part_of already set. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        with reported_failures("group_journeys"), import_transaction():
            outcome = find_journeys()
        self.stdout.write(outcome.summary() + ".")
        self.stdout.write(
            f"Journeys created: {outcome.created}, updated: {outcome.updated}, removed: "
            f"{outcome.removed}; visits that changed journey: {outcome.stops_changed}; "
            f"newly linked to the President's visit: {outcome.newly_linked}."
        )
