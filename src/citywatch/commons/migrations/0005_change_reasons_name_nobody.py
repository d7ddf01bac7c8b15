# Change reasons kept in history said "API (<username>)", "Imported from <file name>",
# "From public tip #<n>" and "Reverted to version <n>": the first two name people who did not
# choose to be credited (file names often carry names). They now say only what happened.

from django.db import migrations

HISTORICAL_MODELS = [
    ("atlas", "historicaldeployment"),
    ("atlas", "historicalparty"),
    ("atlas", "historicalcomponent"),
    ("atlas", "historicalmoney"),
    ("atlas", "historicalevent"),
    ("atlas", "historicalvendorclaim"),
    ("evidence", "historicalsource"),
    ("evidence", "historicalcitation"),
    ("actors", "historicalorganisation"),
    ("places", "historicallocality"),
    ("places", "historicallegalcardentry"),
]
REWRITES = [
    ("API (", "changed through the API"),
    ("Imported from ", "imported"),
    ("From public tip #", "created from a public tip"),
    ("Reverted to version ", "reverted to an earlier version"),
]


def name_nobody(apps, schema_editor):
    for app_label, model_name in HISTORICAL_MODELS:
        model = apps.get_model(app_label, model_name)
        for prefix, reason in REWRITES:
            model.objects.filter(history_change_reason__startswith=prefix).update(
                history_change_reason=reason
            )


class Migration(migrations.Migration):

    dependencies = [
        ("commons", "0004_proposal_operations"),
        ("atlas", "0005_owner_team_in_teams_app"),
        ("evidence", "0005_source_visibility"),
        ("actors", "0001_initial"),
        ("places", "0002_countries"),
    ]

    operations = [migrations.RunPython(name_nobody, migrations.RunPython.noop)]
