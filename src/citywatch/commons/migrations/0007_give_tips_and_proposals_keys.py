"""Every existing tip and change proposal gets its random key (10 base32 letters, as
``citywatch.core.public_keys.mint_key`` makes them; written out here, since a migration must
not import live code that may change).

Their old numeric review addresses (/review/tips/<n>/, /review/proposals/<n>/) are not kept:
only signed-in reviewers used them, and the queue links to the new ones. Not reversed: the
keys stay.
"""

import secrets

from django.db import migrations

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
KEY_LENGTH = 10


def fresh_key(taken: set[str]) -> str:
    while True:
        key = "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
        if not key.isdigit() and key not in taken:
            taken.add(key)
            return key


def give_keys(apps, schema_editor):
    for model_name in ("Tip", "ChangeProposal"):
        model = apps.get_model("commons", model_name)
        taken: set[str] = set()
        for pk in model.objects.order_by("pk").values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(key=fresh_key(taken))


class Migration(migrations.Migration):
    dependencies = [("commons", "0006_keys_for_tips_and_proposals")]

    operations = [migrations.RunPython(give_keys, migrations.RunPython.noop)]
