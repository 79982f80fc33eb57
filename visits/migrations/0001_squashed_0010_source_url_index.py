"""The schema as migrations 0001 to 0010 left it, squashed into one (Django's `replaces`: a
database that applied them all is taken as having applied this one, and nothing runs again).

After the tables, what Django's model operations cannot say:
- every country from pycountry (ISO 3166-1 and 3166-3), so every database has them;
- on PostgreSQL, a GIN index of the visits' search vector;
- on SQLite, an FTS5 table with the trigram tokenizer over the visits' search text (it finds any
  run of three or more characters, as the search's LIKE '%word%' does, without reading every
  visit), an external-content table kept in step by triggers on every insert, update and delete.
  A later migration that makes SQLite rebuild visits_visit drops the triggers with the table: it
  must run create_search_index() again; the search tests fail until it does;
- indexes in the order the meeting and agreement lists are read: newest first, undated last, then
  by slug. PostgreSQL puts NULLs first in a descending index unless told NULLS LAST; SQLite does
  not accept NULLS LAST in an index but puts NULLs last in descending order anyway. Django writes
  NULLS LAST for both, so they are made here rather than in Meta.indexes.
"""

import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.comparison
import django.db.models.functions.text
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from visits.countries import sync_countries
from visits.search_index import create_search_index, drop_search_index

ORDER_INDEXES = {
    "meeting_order_idx": ("visits_meeting", "date"),
    "agreement_order_idx": ("visits_agreement", "signed_on"),
}


def load_countries(apps, schema_editor):
    sync_countries(apps.get_model("visits", "Country"))


def create_order_indexes(apps, schema_editor):
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, (table, column) in ORDER_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} DESC{nulls_last}, slug)"
        )


def drop_order_indexes(apps, schema_editor):
    for name in ORDER_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ("visits", "0001_initial"),
        ("visits", "0002_load_countries"),
        ("visits", "0003_search"),
        ("visits", "0004_search_index"),
        ("visits", "0005_visit_last_day"),
        ("visits", "0006_visit_search_sqlite"),
        ("visits", "0007_meeting_agreement_order_indexes"),
        ("visits", "0008_participant_person_meeting_idx"),
        ("visits", "0009_history"),
        ("visits", "0010_source_url_index"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Country',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='ISO 3166-1 alpha-2 for current countries, ISO 3166-3 alpha-4 for former ones, an agreed code (such as XK) for entities without an ISO code. Upper case.', max_length=8, unique=True)),
                ('alpha_3', models.CharField(blank=True, max_length=3, verbose_name='alpha-3 code')),
                ('numeric', models.CharField(blank=True, max_length=3, verbose_name='numeric code')),
                ('name', models.CharField(max_length=120)),
                ('official_name', models.CharField(blank=True, max_length=200)),
                ('status', models.CharField(choices=[('current', 'current (ISO 3166-1)'), ('former', 'former (ISO 3166-3)'), ('other', 'other (no ISO 3166 code)')], default='current', max_length=10)),
                ('withdrawn', models.CharField(blank=True, help_text="When a former state's code was withdrawn (YYYY or YYYY-MM-DD).", max_length=10)),
            ],
            options={
                'verbose_name_plural': 'countries',
                'ordering': ['name'],
                'indexes': [models.Index(fields=['name'], name='country_name_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('code', django.db.models.functions.text.Upper('code')), models.Q(('code', ''), _negated=True)), name='country_code_upper_case', violation_error_message='The code must be in upper case.')],
            },
        ),
        migrations.CreateModel(
            name='Agreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=160, unique=True)),
                ('title', models.CharField(max_length=400)),
                ('kind', models.CharField(choices=[('treaty', 'treaty'), ('agreement', 'agreement'), ('cooperation-programme', 'cooperation programme'), ('memorandum', 'memorandum of understanding'), ('protocol', 'protocol'), ('declaration', 'joint declaration'), ('other', 'other')], max_length=30)),
                ('signed_on', models.DateField(blank=True, help_text='Empty when it is not known.', null=True)),
                ('signed_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', max_length=5, verbose_name='precision of the signing date')),
                ('signed_place', models.CharField(blank=True, max_length=200, verbose_name='place of signature')),
                ('valid_from', models.DateField(blank=True, null=True)),
                ('valid_until', models.DateField(blank=True, null=True)),
                ('summary', models.TextField(blank=True)),
                ('party_countries', models.ManyToManyField(blank=True, related_name='agreements', to='visits.country', verbose_name='parties (countries)')),
                ('signed_country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='agreements_signed_in', to='visits.country', verbose_name='country of signature')),
            ],
            options={
                'ordering': [models.OrderBy(models.F('signed_on'), descending=True, nulls_last=True), 'slug'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAgreement',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=160)),
                ('title', models.CharField(max_length=400)),
                ('kind', models.CharField(choices=[('treaty', 'treaty'), ('agreement', 'agreement'), ('cooperation-programme', 'cooperation programme'), ('memorandum', 'memorandum of understanding'), ('protocol', 'protocol'), ('declaration', 'joint declaration'), ('other', 'other')], max_length=30)),
                ('signed_on', models.DateField(blank=True, help_text='Empty when it is not known.', null=True)),
                ('signed_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', max_length=5, verbose_name='precision of the signing date')),
                ('signed_place', models.CharField(blank=True, max_length=200, verbose_name='place of signature')),
                ('valid_from', models.DateField(blank=True, null=True)),
                ('valid_until', models.DateField(blank=True, null=True)),
                ('summary', models.TextField(blank=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('signed_country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.country', verbose_name='country of signature')),
            ],
            options={
                'verbose_name': 'historical agreement',
                'verbose_name_plural': 'historical agreements',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAgreement_party_countries',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('agreement', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.agreement')),
                ('country', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.country')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='visits.historicalagreement')),
            ],
            options={
                'verbose_name': 'HistoricalAgreement_party_countries',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCountry',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.CharField(db_index=True, help_text='ISO 3166-1 alpha-2 for current countries, ISO 3166-3 alpha-4 for former ones, an agreed code (such as XK) for entities without an ISO code. Upper case.', max_length=8)),
                ('alpha_3', models.CharField(blank=True, max_length=3, verbose_name='alpha-3 code')),
                ('numeric', models.CharField(blank=True, max_length=3, verbose_name='numeric code')),
                ('name', models.CharField(max_length=120)),
                ('official_name', models.CharField(blank=True, max_length=200)),
                ('status', models.CharField(choices=[('current', 'current (ISO 3166-1)'), ('former', 'former (ISO 3166-3)'), ('other', 'other (no ISO 3166 code)')], default='current', max_length=10)),
                ('withdrawn', models.CharField(blank=True, help_text="When a former state's code was withdrawn (YYYY or YYYY-MM-DD).", max_length=10)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical country',
                'verbose_name_plural': 'historical countries',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPerson',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('slug', models.SlugField(max_length=120)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.country')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical person',
                'verbose_name_plural': 'historical people',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalVisit',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=160)),
                ('title', models.CharField(max_length=300)),
                ('kind', models.CharField(choices=[('state', 'state visit'), ('official', 'official visit'), ('official-working', 'official working visit'), ('working', 'working visit'), ('private', 'private visit'), ('other', 'other visit'), ('unspecified', 'visit (kind not stated)')], default='unspecified', max_length=20)),
                ('start_date', models.DateField(help_text='The day the delegation arrived.')),
                ('end_date', models.DateField(blank=True, help_text='Empty when it is not known.', null=True)),
                ('places', models.CharField(blank=True, help_text='Cities or sites visited, separated by commas.', max_length=300)),
                ('summary', models.TextField(blank=True)),
                ('dataset', models.CharField(blank=True, help_text='The dataset an imported record came from.', max_length=60)),
                ('record_id', models.CharField(blank=True, help_text="The record's id in that dataset.", max_length=60)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('guest_country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.country')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('host_country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.country')),
            ],
            options={
                'verbose_name': 'historical visit',
                'verbose_name_plural': 'historical visits',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=160, unique=True)),
                ('title', models.CharField(max_length=300)),
                ('kind', models.CharField(choices=[('bilateral', 'bilateral meeting'), ('multilateral', 'multilateral meeting'), ('summit', 'summit'), ('conference', 'conference'), ('ceremony', 'ceremony'), ('other', 'other meeting')], max_length=20)),
                ('position', models.PositiveSmallIntegerField(default=0, help_text="Orders a visit's meetings when their dates are the same or not known.", verbose_name='order in the visit')),
                ('date', models.DateField(blank=True, help_text='Empty when it is not known.', null=True)),
                ('date_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', help_text='How much of the date is known.', max_length=5)),
                ('place', models.CharField(blank=True, max_length=200)),
                ('ordinal', models.PositiveSmallIntegerField(blank=True, help_text="Its number in the body's series (4 for the 4th meeting).", null=True)),
                ('summary', models.TextField(blank=True, help_text='What was discussed, in our own words.')),
                ('country', models.ForeignKey(blank=True, help_text='Where it was held.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings_held', to='visits.country')),
            ],
            options={
                'ordering': [models.OrderBy(models.F('date'), descending=True, nulls_last=True), 'slug'],
            },
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='meeting',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The meeting at which it was signed, if any.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.meeting'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='meeting',
            field=models.ForeignKey(blank=True, help_text='The meeting at which it was signed, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agreements', to='visits.meeting'),
        ),
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=300)),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('short_name', models.CharField(blank=True, max_length=60, verbose_name='short name or acronym')),
                ('classification', models.CharField(choices=[('government-body', 'government body'), ('head-of-state-office', 'office of a head of state'), ('legislature', 'legislature'), ('intergovernmental', 'intergovernmental organization'), ('intergovernmental-body', 'body of an intergovernmental organization'), ('news-agency', 'news agency'), ('archive', 'archive or historical office'), ('other', 'other')], max_length=30)),
                ('country', models.ForeignKey(blank=True, help_text='Empty for international organizations and their bodies.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organizations', to='visits.country')),
                ('parent', models.ForeignKey(blank=True, help_text='The organization this one is a body of.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='visits.organization')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='meeting',
            name='body',
            field=models.ForeignKey(blank=True, help_text='The recurring body this is a meeting of (for a series of meetings).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='series_meetings', to='visits.organization'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='host_organization',
            field=models.ForeignKey(blank=True, help_text='The organization that hosted or organized it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings_hosted', to='visits.organization'),
        ),
        migrations.CreateModel(
            name='HistoricalSource',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=160)),
                ('title', models.CharField(blank=True, help_text='Empty when it has none.', max_length=400)),
                ('dateline', models.CharField(blank=True, help_text='The place the document was written in.', max_length=120)),
                ('published_on', models.DateField(blank=True, null=True)),
                ('url', models.URLField(blank=True, max_length=500, verbose_name='URL')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('publisher', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
            ],
            options={
                'verbose_name': 'historical source',
                'verbose_name_plural': 'historical sources',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOrganization',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=300)),
                ('slug', models.SlugField(max_length=120)),
                ('short_name', models.CharField(blank=True, max_length=60, verbose_name='short name or acronym')),
                ('classification', models.CharField(choices=[('government-body', 'government body'), ('head-of-state-office', 'office of a head of state'), ('legislature', 'legislature'), ('intergovernmental', 'intergovernmental organization'), ('intergovernmental-body', 'body of an intergovernmental organization'), ('news-agency', 'news agency'), ('archive', 'archive or historical office'), ('other', 'other')], max_length=30)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, help_text='Empty for international organizations and their bodies.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.country')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, db_constraint=False, help_text='The organization this one is a body of.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
            ],
            options={
                'verbose_name': 'historical organization',
                'verbose_name_plural': 'historical organizations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMeeting',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=160)),
                ('title', models.CharField(max_length=300)),
                ('kind', models.CharField(choices=[('bilateral', 'bilateral meeting'), ('multilateral', 'multilateral meeting'), ('summit', 'summit'), ('conference', 'conference'), ('ceremony', 'ceremony'), ('other', 'other meeting')], max_length=20)),
                ('position', models.PositiveSmallIntegerField(default=0, help_text="Orders a visit's meetings when their dates are the same or not known.", verbose_name='order in the visit')),
                ('date', models.DateField(blank=True, help_text='Empty when it is not known.', null=True)),
                ('date_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', help_text='How much of the date is known.', max_length=5)),
                ('place', models.CharField(blank=True, max_length=200)),
                ('ordinal', models.PositiveSmallIntegerField(blank=True, help_text="Its number in the body's series (4 for the 4th meeting).", null=True)),
                ('summary', models.TextField(blank=True, help_text='What was discussed, in our own words.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, help_text='Where it was held.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.country')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('body', models.ForeignKey(blank=True, db_constraint=False, help_text='The recurring body this is a meeting of (for a series of meetings).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
                ('host_organization', models.ForeignKey(blank=True, db_constraint=False, help_text='The organization that hosted or organized it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
            ],
            options={
                'verbose_name': 'historical meeting',
                'verbose_name_plural': 'historical meetings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAgreement_party_organizations',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('agreement', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.agreement')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='visits.historicalagreement')),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
            ],
            options={
                'verbose_name': 'HistoricalAgreement_party_organizations',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Delegation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('head_office', models.CharField(blank=True, help_text='As held during the visit.', max_length=200, verbose_name='office of the head')),
                ('organization', models.ForeignKey(blank=True, help_text='The body the delegation represented, when stated.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='delegations', to='visits.organization')),
            ],
            options={
                'ordering': ['visit'],
            },
        ),
        migrations.AddField(
            model_name='agreement',
            name='party_organizations',
            field=models.ManyToManyField(blank=True, related_name='agreements', to='visits.organization', verbose_name='parties (organizations)'),
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='visits.country')),
            ],
            options={
                'verbose_name_plural': 'people',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='MeetingParticipant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('office', models.CharField(blank=True, max_length=200)),
                ('role', models.CharField(choices=[('host', 'host'), ('organizer', 'organizer'), ('chair', 'chair'), ('speaker', 'speaker'), ('guest', 'guest'), ('participant', 'participant')], default='participant', max_length=20)),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='visits.meeting')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='visits.organization')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participations', to='visits.person')),
            ],
            options={
                'ordering': ['meeting', 'person__name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalSignatory',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('office', models.CharField(blank=True, max_length=200)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agreement', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.agreement')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, help_text='The party signed for, when it is an organization.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.person')),
            ],
            options={
                'verbose_name': 'historical signatory',
                'verbose_name_plural': 'historical signatories',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMeetingParticipant',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('office', models.CharField(blank=True, max_length=200)),
                ('role', models.CharField(choices=[('host', 'host'), ('organizer', 'organizer'), ('chair', 'chair'), ('speaker', 'speaker'), ('guest', 'guest'), ('participant', 'participant')], default='participant', max_length=20)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.meeting')),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.person')),
            ],
            options={
                'verbose_name': 'historical meeting participant',
                'verbose_name_plural': 'historical meeting participants',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDelegationMember',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('office', models.CharField(blank=True, max_length=200)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('delegation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.delegation')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.person')),
            ],
            options={
                'verbose_name': 'historical delegation member',
                'verbose_name_plural': 'historical delegation members',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='DelegationMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('office', models.CharField(blank=True, max_length=200)),
                ('delegation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='visits.delegation')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='visits.organization')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='delegations_joined', to='visits.person')),
            ],
            options={
                'ordering': ['delegation', 'person__name'],
            },
        ),
        migrations.AddField(
            model_name='delegation',
            name='head',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='delegations_led', to='visits.person'),
        ),
        migrations.CreateModel(
            name='Signatory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('office', models.CharField(blank=True, max_length=200)),
                ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatories', to='visits.agreement')),
                ('organization', models.ForeignKey(blank=True, help_text='The party signed for, when it is an organization.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='visits.organization')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='visits.person')),
            ],
            options={
                'verbose_name_plural': 'signatories',
                'ordering': ['agreement', 'person__name'],
            },
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=160, unique=True)),
                ('title', models.CharField(blank=True, help_text='Empty when it has none.', max_length=400)),
                ('dateline', models.CharField(blank=True, help_text='The place the document was written in.', max_length=120)),
                ('published_on', models.DateField(blank=True, null=True)),
                ('url', models.URLField(blank=True, max_length=500, verbose_name='URL')),
                ('publisher', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sources', to='visits.organization')),
            ],
            options={
                'ordering': ['-published_on', 'slug'],
            },
        ),
        migrations.AddField(
            model_name='meeting',
            name='sources',
            field=models.ManyToManyField(blank=True, related_name='meetings', to='visits.source'),
        ),
        migrations.CreateModel(
            name='HistoricalMeeting_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='visits.historicalmeeting')),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.meeting')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.source')),
            ],
            options={
                'verbose_name': 'HistoricalMeeting_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAgreement_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('agreement', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.agreement')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='visits.historicalagreement')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.source')),
            ],
            options={
                'verbose_name': 'HistoricalAgreement_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='agreement',
            name='sources',
            field=models.ManyToManyField(blank=True, related_name='agreements', to='visits.source'),
        ),
        migrations.CreateModel(
            name='Visit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=160, unique=True)),
                ('title', models.CharField(max_length=300)),
                ('kind', models.CharField(choices=[('state', 'state visit'), ('official', 'official visit'), ('official-working', 'official working visit'), ('working', 'working visit'), ('private', 'private visit'), ('other', 'other visit'), ('unspecified', 'visit (kind not stated)')], default='unspecified', max_length=20)),
                ('start_date', models.DateField(help_text='The day the delegation arrived.')),
                ('end_date', models.DateField(blank=True, help_text='Empty when it is not known.', null=True)),
                ('last_day', models.GeneratedField(db_persist=True, expression=django.db.models.functions.comparison.Coalesce('end_date', 'start_date'), help_text='The end date, else the start date: the last day the visit is known to cover. Kept by the database; date ranges filter on it.', output_field=models.DateField())),
                ('places', models.CharField(blank=True, help_text='Cities or sites visited, separated by commas.', max_length=300)),
                ('summary', models.TextField(blank=True)),
                ('dataset', models.CharField(blank=True, help_text='The dataset an imported record came from.', max_length=60)),
                ('record_id', models.CharField(blank=True, help_text="The record's id in that dataset.", max_length=60)),
                ('search_text', models.TextField(blank=True, editable=False, help_text='Kept up to date by refresh_search_text().')),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('guest_country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits_made', to='visits.country')),
                ('host_country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits_received', to='visits.country')),
                ('sources', models.ManyToManyField(blank=True, related_name='visits', to='visits.source')),
            ],
            options={
                'ordering': ['-start_date', 'slug'],
            },
        ),
        migrations.AddField(
            model_name='meeting',
            name='visit',
            field=models.ForeignKey(blank=True, help_text='The visit during which it was held, if any.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='visits.visit'),
        ),
        migrations.CreateModel(
            name='HistoricalVisit_sources',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='visits.historicalvisit')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.source')),
                ('visit', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.visit')),
            ],
            options={
                'verbose_name': 'HistoricalVisit_sources',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='visit',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The visit during which it was held, if any.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.visit'),
        ),
        migrations.CreateModel(
            name='HistoricalDelegation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('head_office', models.CharField(blank=True, help_text='As held during the visit.', max_length=200, verbose_name='office of the head')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, help_text='The body the delegation represented, when stated.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.organization')),
                ('head', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.person')),
                ('visit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.visit')),
            ],
            options={
                'verbose_name': 'historical delegation',
                'verbose_name_plural': 'historical delegations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='visit',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The visit during which it was signed, if any.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.visit'),
        ),
        migrations.AddField(
            model_name='delegation',
            name='visit',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='delegation', to='visits.visit'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='visit',
            field=models.ForeignKey(blank=True, help_text='The visit during which it was signed, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agreements', to='visits.visit'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(fields=['name'], name='organization_name_idx'),
        ),
        migrations.AddConstraint(
            model_name='organization',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('pk')), _negated=True), name='organization_not_own_parent', violation_error_message='An organization cannot be its own parent.'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name'], name='person_name_idx'),
        ),
        migrations.AddIndex(
            model_name='meetingparticipant',
            index=models.Index(fields=['person', 'meeting'], name='participant_person_meeting_idx'),
        ),
        migrations.AddConstraint(
            model_name='meetingparticipant',
            constraint=models.UniqueConstraint(fields=('meeting', 'person'), name='meeting_participant_once'),
        ),
        migrations.AddConstraint(
            model_name='delegationmember',
            constraint=models.UniqueConstraint(fields=('delegation', 'person'), name='delegation_member_once'),
        ),
        migrations.AddConstraint(
            model_name='signatory',
            constraint=models.UniqueConstraint(fields=('agreement', 'person'), name='signatory_once'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['url'], name='source_url_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['-start_date', 'slug'], name='visit_start_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['last_day', 'start_date'], name='visit_last_day_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['guest_country', 'start_date'], name='visit_guest_start_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['host_country', 'start_date'], name='visit_host_start_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['kind', 'start_date'], name='visit_kind_start_idx'),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='visit_end_not_before_start', violation_error_message='The end date cannot be before the start date.'),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.CheckConstraint(condition=models.Q(('guest_country', models.F('host_country')), _negated=True), name='visit_guest_differs_from_host', violation_error_message='The guest and host countries must differ.'),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.UniqueConstraint(condition=models.Q(('record_id', ''), _negated=True), fields=('dataset', 'record_id'), name='visit_unique_dataset_record'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['date'], name='meeting_date_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['country', 'date'], name='meeting_country_date_idx'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('ordinal__isnull', True), models.Q(('body__isnull', False), ('ordinal__gte', 1)), _connector='OR'), name='meeting_ordinal_needs_body', violation_error_message="A meeting's number needs the body whose series it is in."),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.UniqueConstraint(fields=('body', 'ordinal'), name='meeting_unique_ordinal_in_series'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['signed_on'], name='agreement_signed_idx'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['valid_from', 'valid_until'], name='agreement_validity_idx'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(('valid_from__isnull', True), ('valid_until__isnull', True), ('valid_until__gte', models.F('valid_from')), _connector='OR'), name='agreement_validity_ends_after_start', violation_error_message='The validity cannot end before it starts.'),
        ),
        migrations.RunPython(load_countries, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(create_order_indexes, drop_order_indexes),
    ]
