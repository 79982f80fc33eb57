from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from visits import demo


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic demo data: the number of visits asked for, with "
        "delegations, meetings, agreements and sources, over the current ISO countries and the "
        f"years {demo.FIRST_YEAR}–{demo.LAST_YEAR}. The same seed gives the same records. Every "
        f"demo record's slug starts with '{demo.PREFIX}'; --clear deletes them first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--visits", type=positive, default=1000, help="How many visits (default 1000)."
        )
        parser.add_argument("--seed", type=int, default=1, help="The random seed (default 1).")
        parser.add_argument(
            "--clear", action="store_true", help="Delete the demo records there are first."
        )
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=demo.BATCH_SIZE,
            help=f"Visits written per batch (default {demo.BATCH_SIZE}).",
        )

    def handle(self, *args, visits, seed, clear, batch_size, **options):
        if clear:
            self.stdout.write("Deleting the demo records…")
            try:
                deleted = demo.clear(log=self.stdout.write)
            except IntegrityError as error:
                raise CommandError(
                    f"Other records refer to demo people or organizations; nothing was deleted "
                    f"({error})."
                ) from error
            self.stdout.write(f"Deleted {sum(deleted.values()):,} rows.")
        elif demo.demo_data_exists():
            raise CommandError(
                f"There are demo records already (slugs starting with '{demo.PREFIX}'); "
                "add --clear to replace them."
            )
        self.stdout.write(f"Generating {visits:,} visits (seed {seed})…")
        generator = demo.generate(visits, seed=seed, batch_size=batch_size, log=self.stdout.write)
        made = ", ".join(f"{count:,} {name}" for name, count in generator.counts.items() if count)
        self.stdout.write(f"Made {made}.")
        rate = visits / generator.elapsed if generator.elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(f"Done in {generator.elapsed:.1f} s ({rate:,.0f} visits a second).")
        )
