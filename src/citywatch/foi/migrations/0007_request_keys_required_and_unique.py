"""Every request has its key now (0006): the key is required and unique, and new requests
mint theirs at creation (``citywatch.core.public_keys.mint_key``)."""

from django.db import migrations, models

import citywatch.core.public_keys


class Migration(migrations.Migration):
    dependencies = [("foi", "0006_record_public_numbers_and_give_keys")]

    operations = [
        migrations.AlterField(
            model_name="foirequest",
            name="key",
            field=models.CharField(
                default=citywatch.core.public_keys.mint_key,
                editable=False,
                help_text="The request's id in its address and in the API: random, never its "
                "number.",
                max_length=10,
                unique=True,
                verbose_name="public key",
            ),
        ),
    ]
