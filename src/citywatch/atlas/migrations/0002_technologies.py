"""Create the technology taxonomy (reference data, safe to re-run)."""

from django.db import migrations


def create_technologies(apps, schema_editor):
    from citywatch.atlas.taxonomy import sync_technologies

    sync_technologies(apps.get_model("atlas", "Technology"))


class Migration(migrations.Migration):
    dependencies = [("atlas", "0001_initial")]
    operations = [migrations.RunPython(create_technologies, migrations.RunPython.noop)]
