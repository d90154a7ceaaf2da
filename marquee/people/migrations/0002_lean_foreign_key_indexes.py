# Dropping each foreign key's own index: a composite index leading with it covers it.

import django.db.models.deletion
from django.db import migrations, models

from marquee.migration_ops import drop_own_index


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_lean_foreign_key_indexes"),
        ("people", "0001_initial"),
    ]

    operations = [
        drop_own_index(
            "people",
            migrations.AlterField(
                model_name="credit",
                name="movie",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="credits",
                    to="catalog.movie",
                ),
            ),
            "movie_id",
        ),
        drop_own_index(
            "people",
            migrations.AlterField(
                model_name="credit",
                name="person",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="credits",
                    to="people.person",
                ),
            ),
            "person_id",
        ),
    ]
