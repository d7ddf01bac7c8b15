# The owning team's model moved from commons to teams (same table): state only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("atlas", "0004_deployment_owner_team"),
        ("teams", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="deployment",
                    name="owner_team",
                    field=models.ForeignKey(blank=True, help_text="The team whose members see the record while it is private.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="deployments", to="teams.team", verbose_name="owning team"),
                ),
                migrations.AlterField(
                    model_name="historicaldeployment",
                    name="owner_team",
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text="The team whose members see the record while it is private.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="teams.team", verbose_name="owning team"),
                ),
            ],
            database_operations=[],
        ),
    ]
