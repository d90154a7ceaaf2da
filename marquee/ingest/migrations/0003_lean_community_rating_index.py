# A community rating's film had two indexes: its own, and community_rating_movie (film, source),
# which leads with it. Ratings come by the million, so the first one goes.

import django.db.models.deletion
from django.db import migrations, models

from marquee.migration_ops import drop_own_index


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0002_lean_foreign_key_indexes"),
    ]

    operations = [
        drop_own_index(
            "ingest",
            migrations.AlterField(
                model_name="communityrating",
                name="movie",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="catalog.movie",
                ),
            ),
            "movie_id",
        ),
    ]
