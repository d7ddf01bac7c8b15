# A request belongs to a team (its campaigners handle it); existing requests go to the team
# of their requesting organisation, when there is exactly one.

import django.db.models.deletion
from django.db import migrations, models


def owner_from_requester(apps, schema_editor):
    FoiRequest = apps.get_model("foi", "FoiRequest")
    Team = apps.get_model("teams", "Team")
    for request in FoiRequest.objects.filter(owner_team__isnull=True):
        teams = list(Team.objects.filter(organisation_id=request.requester_id)[:2])
        if len(teams) == 1:
            FoiRequest.objects.filter(pk=request.pk).update(owner_team=teams[0])


class Migration(migrations.Migration):

    dependencies = [
        ('foi', '0001_initial'),
        ('teams', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='foirequest',
            name='owner_team',
            field=models.ForeignKey(blank=True, help_text='The team that files and handles the request; its members see it while it is private or a draft.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='foi_requests', to='teams.team', verbose_name='owning team'),
        ),
        migrations.RunPython(owner_from_requester, migrations.RunPython.noop),
    ]
