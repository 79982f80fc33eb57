"""Index a visit's part_of and journey only where they are set (most visits have neither).

Changing the foreign keys makes SQLite rebuild visits_visit, which drops the search index's
triggers with the table: they are made again after it, both ways (see visits.search_index).
"""

import django.db.models.deletion
from django.db import migrations, models

from visits.search_index import create_search_index


class Migration(migrations.Migration):

    dependencies = [
        ('visits', '0012_other_names'),
    ]

    operations = [
        # Run last when the migration is reversed, after the table is rebuilt again.
        migrations.RunPython(migrations.RunPython.noop, create_search_index),
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
        migrations.RunPython(create_search_index, migrations.RunPython.noop),
    ]
