# Team and Membership now belong to the teams app (same tables): state only, plus their
# content types, so admin log entries and permissions follow them.

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("team", "membership"):
        if not ContentType.objects.filter(app_label="teams", model=model).exists():
            ContentType.objects.filter(app_label="commons", model=model).update(app_label="teams")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("team", "membership"):
        if not ContentType.objects.filter(app_label="commons", model=model).exists():
            ContentType.objects.filter(app_label="teams", model=model).update(app_label="commons")


class Migration(migrations.Migration):

    dependencies = [
        ("commons", "0002_web_address_fields"),
        ("atlas", "0005_owner_team_in_teams_app"),
        ("teams", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="changeproposal",
                    name="team",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="proposals", to="teams.team", verbose_name="team"),
                ),
                migrations.RemoveField(model_name="team", name="members"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="Team"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
