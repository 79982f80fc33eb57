"""Index a visit's part_of and journey only where they are set (most visits have neither).

Changing the foreign keys makes SQLite rebuild visits_visit, which drops the search index's
triggers with the table: they are made again after it, both ways (see visits.search_index). The
rebuilt table also loses its query planner statistics: where the database had some (ANALYZE ran,
as generate_demo does), they are gathered again, or SQLite would plan its joins blind (the home
page's latest visits took 400 ms at 100,000 visits).
"""

import django.db.models.deletion
from django.db import migrations, models

from visits.search_index import create_search_index


def analyze_again(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE visits_visit")


def after_rebuild(apps, schema_editor):
    create_search_index(apps, schema_editor)
    analyze_again(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('visits', '0012_other_names'),
    ]

    operations = [
        # Run last when the migration is reversed, after the table is rebuilt again.
        migrations.RunPython(migrations.RunPython.noop, after_rebuild),
        migrations.AlterField(
            model_name='visit',
            name='journey',
            field=models.ForeignKey(blank=True, db_index=False, help_text='The trip this visit is a stop of.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='stops', to='visits.journey'),
        ),
        migrations.AlterField(
            model_name='visit',
            name='part_of',
            field=models.ForeignKey(blank=True, db_index=False, help_text='The visit this one was part of: a Secretary of State who accompanied the President. Counting events once leaves such visits out.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='accompanying', to='visits.visit', verbose_name='part of'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(condition=models.Q(('part_of__isnull', False)), fields=['part_of'], name='visit_part_of_idx'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(condition=models.Q(('journey__isnull', False)), fields=['journey'], name='visit_journey_idx'),
        ),
        migrations.RunPython(after_rebuild, migrations.RunPython.noop),
    ]
