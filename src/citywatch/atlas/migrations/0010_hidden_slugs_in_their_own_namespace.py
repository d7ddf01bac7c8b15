"""Hidden deployments (private, partners-only, or under an embargo not yet passed) whose slug
has no double hyphen get one: their slug (without the six random letters 0009 added) plus
``--`` and six random base32 letters, as ``atlas.services.unguessable_slug`` now makes them.
``core.slugs.slug_text`` never makes a double hyphen, so no slug a new record is given can
equal a hidden one's: asking for a hidden deal's exact slug is answered as for an unknown one
(review 3, G3). The former slug is kept in the record's history
(``atlas.queries.former_deployment`` redirects it for those who may see the record). Not
reversed: the former slugs stay in the history."""

import datetime as dt
import re
import secrets

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
SUFFIX = 6
SEPARATOR = "--"
OLD_SUFFIX = re.compile(r"-[a-z2-7]{6}$")
REASON = "Unguessable slug for a hidden record"


def hidden_slug(Deployment, slug: str) -> str:
    limit = Deployment._meta.get_field("slug").max_length - SUFFIX - len(SEPARATOR)
    base = re.sub(r"-+", "-", OLD_SUFFIX.sub("", slug) or slug)[:limit].strip("-")
    base = base or "deployment"
    while True:
        candidate = f"{base}{SEPARATOR}{''.join(secrets.choice(ALPHABET) for _ in range(SUFFIX))}"
        if not Deployment.objects.filter(slug=candidate).exists():
            return candidate


def forwards(apps, schema_editor):
    Deployment = apps.get_model("atlas", "Deployment")
    History = apps.get_model("atlas", "HistoricalDeployment")
    today = dt.date.today()
    public = Q(visibility="public", embargo_until__isnull=True) | Q(
        embargo_until__isnull=False, embargo_until__lte=today
    )
    names = {f.attname for f in History._meta.fields}
    hidden = Deployment.objects.exclude(public).exclude(slug__contains=SEPARATOR)
    for deployment in hidden.order_by("pk"):
        deployment.slug = hidden_slug(Deployment, deployment.slug)
        Deployment.objects.filter(pk=deployment.pk).update(slug=deployment.slug)
        values = {
            f.attname: getattr(deployment, f.attname)
            for f in Deployment._meta.fields
            if f.attname in names
        }
        History.objects.create(
            **values,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [("atlas", "0009_unguessable_slugs_for_hidden_deployments")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
