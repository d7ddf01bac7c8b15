"""Hidden deployments (private, partners-only, or under an embargo not yet passed) get an
unguessable slug: their slug plus six random base32 letters, as
``atlas.services.free_deployment_slug`` gives new ones, so that no hidden record holds a slug
made from its title alone (an existence oracle: review F3/F4). The former slug is kept in the
record's history (``atlas.queries.former_deployment`` redirects it for those who may see the
record). Not reversed: the former slugs stay in the history."""

import datetime as dt
import secrets

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
SUFFIX = 6
REASON = "Unguessable slug for a hidden record"


def hidden_slug(Deployment, slug: str) -> str:
    limit = Deployment._meta.get_field("slug").max_length - SUFFIX - 1
    base = slug[:limit].strip("-") or "deployment"
    while True:
        candidate = f"{base}-{''.join(secrets.choice(ALPHABET) for _ in range(SUFFIX))}"
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
    for deployment in Deployment.objects.exclude(public).order_by("pk"):
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
    dependencies = [("atlas", "0008_indexes_for_lists_and_facets")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
