from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Sign-in throttling counts in the database cache; making its table here spares operators
    # a `createcachetable` step. The command skips a table that exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.CACHE_TABLE)}")


def create_moderators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=settings.MODERATORS_GROUP)


def create_missing_profiles(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Profile = apps.get_model("members", "Profile")
    missing = User.objects.filter(profile__isnull=True).values_list("pk", flat=True)
    Profile.objects.bulk_create([Profile(member_id=pk) for pk in missing.iterator()], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
        migrations.RunPython(create_moderators_group, migrations.RunPython.noop),
        migrations.RunPython(create_missing_profiles, migrations.RunPython.noop),
    ]
