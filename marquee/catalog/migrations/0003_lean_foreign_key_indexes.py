# Dropping each foreign key's own index: a composite index leading with it covers it.

import django.db.models.deletion
from django.db import migrations, models

from marquee.migration_ops import drop_own_index


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_listing_original_language"),
    ]

    operations = [
        drop_own_index(
            "catalog",
            migrations.AlterField(
                model_name="movie",
                name="original_language",
                field=models.ForeignKey(
                    blank=True,
                    db_index=False,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="catalog.language",
                ),
            ),
            "original_language_id",
        ),
        drop_own_index(
            "catalog",
            migrations.AlterField(
                model_name="moviecountry",
                name="country",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.PROTECT,
                    to="catalog.country",
                ),
            ),
            "country_id",
        ),
        drop_own_index(
            "catalog",
            migrations.AlterField(
                model_name="moviecountry",
                name="movie",
                field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, to="catalog.movie"
                ),
            ),
            "movie_id",
        ),
        drop_own_index(
            "catalog",
            migrations.AlterField(
                model_name="moviegenre",
                name="genre",
                field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.PROTECT, to="catalog.genre"
                ),
            ),
            "genre_id",
        ),
        drop_own_index(
            "catalog",
            migrations.AlterField(
                model_name="moviegenre",
                name="movie",
                field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, to="catalog.movie"
                ),
            ),
            "movie_id",
        ),
    ]
