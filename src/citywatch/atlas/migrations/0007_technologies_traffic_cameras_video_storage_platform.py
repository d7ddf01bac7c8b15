"""Add the technology terms traffic cameras, video storage and smart-city platform (the
taxonomy is data: atlas/taxonomy.py; safe to re-run)."""

from django.db import migrations


def sync(apps, schema_editor):
    from citywatch.atlas.taxonomy import sync_technologies

    sync_technologies(apps.get_model("atlas", "Technology"))


class Migration(migrations.Migration):
    dependencies = [("atlas", "0006_loan_terms_ranges_planned_quantities")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
