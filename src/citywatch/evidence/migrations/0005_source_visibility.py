# Sources get a visibility of their own (inherited from what produced them) and an
# unguessable key for their web addresses. Existing sources stay public: they are shown only
# beside records that cite them, as before.

import django.db.models.deletion
import uuid
from django.db import migrations, models


def give_each_source_a_key(apps, schema_editor):
    Source = apps.get_model("evidence", "Source")
    for source in Source.objects.filter(key__isnull=True).only("pk"):
        Source.objects.filter(pk=source.pk).update(key=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ('evidence', '0004_web_address_fields'),
        ('teams', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsource',
            name='embargo_until',
            field=models.DateField(blank=True, help_text='Hidden from the public until this day, whatever its visibility.', null=True, verbose_name='embargoed until'),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='key',
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, help_text="The unguessable id in the source's web address.", verbose_name='key'),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='owner_team',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The team that added the source and decides when it is published.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.team', verbose_name='owning team'),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='visibility',
            field=models.CharField(choices=[('public', 'Public'), ('partners', 'Partners only'), ('private', 'Private to the owning team')], default='public', help_text='Who may see this source, at most. Outside the owning team it is shown only beside records people may see that cite it.', max_length=10, verbose_name='visibility'),
        ),
        migrations.AddField(
            model_name='source',
            name='embargo_until',
            field=models.DateField(blank=True, help_text='Hidden from the public until this day, whatever its visibility.', null=True, verbose_name='embargoed until'),
        ),
        migrations.AddField(
            model_name='source',
            name='key',
            field=models.UUIDField(null=True, editable=False, verbose_name='key'),
        ),
        migrations.RunPython(give_each_source_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='source',
            name='key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, help_text="The unguessable id in the source's web address.", unique=True, verbose_name='key'),
        ),
        migrations.AddField(
            model_name='source',
            name='owner_team',
            field=models.ForeignKey(blank=True, help_text='The team that added the source and decides when it is published.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sources', to='teams.team', verbose_name='owning team'),
        ),
        migrations.AddField(
            model_name='source',
            name='visibility',
            field=models.CharField(choices=[('public', 'Public'), ('partners', 'Partners only'), ('private', 'Private to the owning team')], default='public', help_text='Who may see this source, at most. Outside the owning team it is shown only beside records people may see that cite it.', max_length=10, verbose_name='visibility'),
        ),
    ]
