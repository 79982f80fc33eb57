"""Writing demo rows in bulk, and deleting them again.

Rows are plain dicts, turned into tuples in the order of the model's columns and sent a table at
a time: with COPY on PostgreSQL, with one prepared INSERT run for every row (executemany) on
SQLite. Primary keys are handed out here, so rows refer to each other before they are written
and nothing comes back from the database. No model instances are built and no bulk_create
compiles them: for millions of rows that work, not the database's, would be most of the time.
"""

import time
from operator import itemgetter

from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import DateField

from visits import models

PREFIX = "demo-"

# The tables whose demo rows are told apart by the PREFIX of their slugs.
SLUGGED = (
    models.Organization,
    models.Person,
    models.Source,
    models.Visit,
    models.Meeting,
    models.Agreement,
)

# Every table demo data goes in, parents before children.
MODELS = [
    models.Organization,
    models.Person,
    models.Source,
    models.Visit,
    models.Delegation,
    models.DelegationMember,
    models.Visit.sources.through,
    models.Meeting,
    models.MeetingParticipant,
    models.Meeting.sources.through,
    models.Agreement,
    models.Agreement.party_countries.through,
    models.Agreement.party_organizations.through,
    models.Signatory,
    models.Agreement.sources.through,
]


def label_of(model):
    """A table's name for people: "people", "meetings", "visit sources"…"""
    meta = model._meta
    if meta.auto_created:
        owner = meta.auto_created._meta
        relation = next(f for f in owner.many_to_many if f.remote_field.through is model)
        return f"{owner.verbose_name} {relation.verbose_name}"
    return str(meta.verbose_name_plural)


class Keys:
    """Primary keys above the highest in each table, handed out in order."""

    def __init__(self):
        self.next = {}
        for model in MODELS:
            highest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self.next[model] = (highest or 0) + 1

    def __call__(self, model):
        pk = self.next[model]
        self.next[model] = pk + 1
        return pk

    def reset_sequences(self):
        """On PostgreSQL, move the sequences past the keys used (SQLite's AUTOINCREMENT moves
        by itself)."""
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(statement)


class Table:
    """How to write the rows of one table."""

    def __init__(self, model):
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        self.model = model
        self.label = label_of(model)
        self.vendor = connection.vendor
        self.defaults = {field.attname: field.get_default() for field in fields}
        self.computed = {}
        if model is models.Visit and self.vendor == "postgresql":
            # Computed by the database from the other columns as it stores them.
            self.computed = {"search_vector": models.SEARCH_VECTOR}
        fields = [field for field in fields if field.attname not in self.computed]
        self.columns = [field.column for field in fields]
        self.values = itemgetter(*(field.attname for field in fields))
        self.dates = [i for i, field in enumerate(fields) if isinstance(field, DateField)]

    def tuples(self, rows):
        """Rows (dicts) as tuples in the order of the columns, ready to send."""
        defaults, values = self.defaults, self.values
        if self.vendor != "sqlite":
            return [values({**defaults, **row}) for row in rows]
        # SQLite stores dates as ISO text (Python's own date adapter is deprecated).
        ready = []
        for row in rows:
            row = list(values({**defaults, **row}))
            for index in self.dates:
                if row[index] is not None:
                    row[index] = row[index].isoformat()
            ready.append(row)
        return ready

    def write(self, rows):
        """Send rows made by tuples()."""
        if not rows:
            return
        quote = connection.ops.quote_name
        table = self.model._meta.db_table
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                target = f"demo_{table}" if self.computed else table
                with cursor.copy(f"COPY {quote(target)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                if self.computed:
                    self.insert_computed(cursor, target, columns)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({columns}) VALUES ({placeholders})", rows
                )

    def prepare(self):
        """Where the rows of a table with computed columns wait for their INSERT … SELECT."""
        if self.computed:
            table = self.model._meta.db_table
            quote = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {quote('demo_' + table)} "
                    f"(LIKE {quote(table)} INCLUDING DEFAULTS) ON COMMIT DROP"
                )
                cursor.execute(f"TRUNCATE {quote('demo_' + table)}")

    def insert_computed(self, cursor, source, columns):
        """Copy the waiting rows into the table, with the computed columns, in one statement.
        The expressions are compiled by Django (SEARCH_VECTOR itself), the waiting table
        standing in under the real table's name."""
        quote = connection.ops.quote_name
        table = self.model._meta.db_table
        query = self.model.objects.all().query
        compiler = query.get_compiler(connection=connection)
        sqls, params = [], []
        for expression in self.computed.values():
            sql, expression_params = compiler.compile(expression.resolve_expression(query))
            sqls.append(sql)
            params.extend(expression_params)
        computed = ", ".join(quote(name) for name in self.computed)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({columns}, {computed}) "
            f"SELECT {columns}, {', '.join(sqls)} FROM {quote(source)} AS {quote(table)}",
            params,
        )
        cursor.execute(f"TRUNCATE {quote(source)}")


class Tables:
    """The rows of the batch being made (dicts, per model), and a Table for every model demo
    data goes in, written parents first."""

    def __init__(self):
        self.tables = {model: Table(model) for model in MODELS}
        self.counts = {table.label: 0 for table in self.tables.values()}
        self.batch = {model: [] for model in MODELS}

    def add(self, model, values):
        self.batch[model].append(values)
        return values

    def take(self):
        """The batch made so far, as tuples ready to write; a new batch begins."""
        batch, self.batch = self.batch, {model: [] for model in MODELS}
        return {model: self.tables[model].tuples(rows) for model, rows in batch.items()}

    def prepare(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Check foreign keys row by row as they come, rather than queue millions of
                # checks for the end of the transaction.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in self.tables.values():
            table.prepare()

    def write(self, batch):
        """Write a batch made by take()."""
        for model, rows in batch.items():
            self.tables[model].write(rows)
            self.counts[self.tables[model].label] += len(rows)


def analyze():
    """After a bulk load: refresh the planner's statistics (both databases plan with them) and,
    on PostgreSQL, VACUUM, which marks the new pages all-visible (so counts and index-only
    scans need not visit the table), as autovacuum would do some minutes later. VACUUM cannot
    run inside a transaction (a test's, say): then only ANALYZE."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            quote = connection.ops.quote_name
            tables = ", ".join(quote(model._meta.db_table) for model in MODELS)
            cursor.execute(f"VACUUM (ANALYZE) {tables}")
        else:
            cursor.execute("ANALYZE")


def demo_data_exists():
    return any(model.objects.filter(slug__startswith=PREFIX).exists() for model in SLUGGED)


def clear(log=None):
    """Delete every demo record, children before parents, each table with one DELETE: no rows
    loaded, no signals, no cascades collected. Returns the number of rows deleted per table.
    Records of other origin that point at demo visits or meetings lose the link; one that
    points at a demo person or organization stops it all (IntegrityError), as PROTECT would."""
    log = log or (lambda message: None)
    demo = {"slug__startswith": PREFIX}
    visit = {"visit__slug__startswith": PREFIX}
    meeting = {"meeting__slug__startswith": PREFIX}
    agreement = {"agreement__slug__startswith": PREFIX}
    steps = [
        (models.Signatory, agreement),
        (models.Agreement.party_countries.through, agreement),
        (models.Agreement.party_organizations.through, agreement),
        (models.Agreement.sources.through, agreement),
        (models.Agreement, demo),
        (models.MeetingParticipant, meeting),
        (models.Meeting.sources.through, meeting),
        (models.Meeting, demo),
        (models.DelegationMember, {"delegation__visit__slug__startswith": PREFIX}),
        (models.Delegation, visit),
        (models.Visit.sources.through, visit),
        (models.Visit, demo),
        (models.Source, demo),
        (models.Person, demo),
        (models.Organization, demo),
    ]
    if connection.vendor == "postgresql" and only_demo_records():
        deleted = truncate()
        if deleted is not None:
            for label, rows in deleted.items():
                if rows:
                    log(f"  {rows:,} {label}")
            return deleted
    deleted = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Check each DELETE's foreign keys as it runs, rather than queue a check per
                # row (millions) for the commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        models.Agreement.objects.exclude(**demo).filter(**visit).update(visit=None)
        models.Agreement.objects.exclude(**demo).filter(**meeting).update(meeting=None)
        for model, condition in steps:
            started = time.monotonic()
            queryset = model.objects.filter(**condition)
            if model is models.Organization:
                queryset.exclude(parent=None).update(parent=None)  # bodies of demo bodies
            rows = queryset._raw_delete(queryset.db)
            deleted[label_of(model)] = rows
            if rows:
                elapsed = time.monotonic() - started
                log(f"  {rows:,} {label_of(model)} ({elapsed:.1f} s)")
    return deleted


def only_demo_records():
    """Whether every organization, person, source, visit, meeting and agreement is a demo one
    (a database filled by generate_demo alone, such as the benchmarks')."""
    return all(
        model.objects.count() == model.objects.filter(slug__startswith=PREFIX).count()
        for model in SLUGGED
    )


def truncate():
    """On PostgreSQL, when there are only demo records: empty every demo table at once with
    TRUNCATE, which neither reads the rows nor checks their foreign keys one by one (the rows
    of millions of visits). Returns the rows per table, or None when another table refers to
    these (TRUNCATE refuses; DELETE will do)."""
    counts = {label_of(model): model.objects.count() for model in MODELS}
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in MODELS)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables}")
    except DatabaseError:
        return None
    return counts
