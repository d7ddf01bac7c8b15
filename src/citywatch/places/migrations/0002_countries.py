"""Create every ISO 3166-1 country plus Kosovo (reference data, safe to re-run)."""

from django.db import migrations


def create_countries(apps, schema_editor):
    from citywatch.places.services import sync_countries

    sync_countries(apps.get_model("places", "Country"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(create_countries, migrations.RunPython.noop)]
