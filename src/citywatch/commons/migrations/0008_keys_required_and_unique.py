"""Every tip and proposal has its key now (0007): the key is required and unique, and new
ones mint theirs at creation (``citywatch.core.public_keys.mint_key``)."""

import citywatch.core.public_keys
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commons", "0007_give_tips_and_proposals_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="changeproposal",
            name="key",
            field=models.CharField(
                default=citywatch.core.public_keys.mint_key,
                editable=False,
                help_text="The proposal's id in its review address and in the API: random, never its number.",
                max_length=10,
                unique=True,
                verbose_name="key",
            ),
        ),
        migrations.AlterField(
            model_name="tip",
            name="key",
            field=models.CharField(
                default=citywatch.core.public_keys.mint_key,
                editable=False,
                help_text="The tip's id in its review address: random, never its number.",
                max_length=10,
                unique=True,
                verbose_name="key",
            ),
        ),
    ]
