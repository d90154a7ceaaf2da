# Which fields of a person an editor changed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_lean_foreign_key_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonEdit",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="edit",
                        serialize=False,
                        to="people.person",
                    ),
                ),
                ("fields", models.CharField(help_text="As “name, biography”.", max_length=200)),
            ],
        ),
    ]
