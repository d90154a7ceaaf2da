"""Genre and country listings carry their movie's original language, as they carry its sort
keys, so a genre filtered by language is read in order from the genre's listing."""

import django.db.models.deletion
from django.db import migrations, models

FILL = (
    "UPDATE {table} SET original_language_id = (SELECT m.original_language_id"
    " FROM catalog_movie m WHERE m.id = {table}.movie_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="moviecountry",
            name="original_language",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.language",
            ),
        ),
        migrations.AddField(
            model_name="moviegenre",
            name="original_language",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.language",
            ),
        ),
        migrations.RunSQL(FILL.format(table="catalog_moviegenre"), migrations.RunSQL.noop),
        migrations.RunSQL(FILL.format(table="catalog_moviecountry"), migrations.RunSQL.noop),
    ]
