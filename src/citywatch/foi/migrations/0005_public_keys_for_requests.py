"""FOI requests get a public key (filled by 0006, made unique by 0007) and room for the
number of those that were public (see 0006)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("foi", "0004_reply_documents_private_to_their_team")]

    operations = [
        migrations.AddField(
            model_name="foirequest",
            name="key",
            field=models.CharField(
                editable=False, max_length=10, null=True, verbose_name="public key"
            ),
        ),
        migrations.AddField(
            model_name="foirequest",
            name="legacy_number",
            field=models.PositiveBigIntegerField(
                blank=True,
                editable=False,
                help_text="The number of a request that was public when public keys were "
                "introduced: its old address /foi/<number>/ still leads to it.",
                null=True,
                unique=True,
                verbose_name="former public number",
            ),
        ),
    ]
