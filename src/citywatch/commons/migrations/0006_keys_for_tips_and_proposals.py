"""Tips and change proposals get a random key (filled by 0007, made unique by 0008): their
review addresses and the API's answer name them by it, never by their sequential number."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("commons", "0005_change_reasons_name_nobody")]

    operations = [
        migrations.AddField(
            model_name="tip",
            name="key",
            field=models.CharField(editable=False, max_length=10, null=True, verbose_name="key"),
        ),
        migrations.AddField(
            model_name="changeproposal",
            name="key",
            field=models.CharField(editable=False, max_length=10, null=True, verbose_name="key"),
        ),
    ]
