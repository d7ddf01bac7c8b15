"""FOI requests get a public key, and old numeric addresses are limited to then-public records.

A database number is sequential: the gaps between public numbers counted and dated the hidden
records. From this migration on, a request's address and API id is its ``key`` (10 random
base32 letters, ``citywatch.core.public_keys``), and a source's its UUID ``key``.

Old addresses (``/foi/<number>/``, ``/sources/<number>/``) keep working only for the records
anyone could see when this migration ran: their number is kept as ``legacy_number``. Every
other number, including those of records made later, answers 404 like an unknown one. A fresh
install has no such records.

The rule of "anyone could see" is the permission module's rule for a visitor on the day of the
upgrade, written out here with the historical models (a migration must not import the live
rules, which will change). For sources it is kept on the safe side: a source counts as public
when its own visibility is public and a public deployment (or one of its parts or claims), a
public FOI request, a place, a legal-card entry or an organisation a public record names cites
or holds it. A source missed by that rule merely loses its old address. Not reversed: the keys
stay (they are the addresses now).
"""

import datetime as dt
import secrets

from django.db import migrations
from django.db.models import Q

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
KEY_LENGTH = 10


def public(today: dt.date, prefix: str = "") -> Q:
    """``teams.permissions.public_q`` as of this migration."""
    p = prefix
    return Q(**{f"{p}visibility": "public", f"{p}embargo_until__isnull": True}) | Q(
        **{f"{p}embargo_until__isnull": False, f"{p}embargo_until__lte": today}
    )


def fresh_key(taken: set[str]) -> str:
    while True:
        key = "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
        if not key.isdigit() and key not in taken:
            taken.add(key)
            return key


def give_keys(apps, schema_editor):
    FoiRequest = apps.get_model("foi", "FoiRequest")
    taken: set[str] = set()
    for pk in FoiRequest.objects.order_by("pk").values_list("pk", flat=True):
        FoiRequest.objects.filter(pk=pk).update(key=fresh_key(taken))


def public_request_ids(apps, today: dt.date) -> set[int]:
    FoiRequest = apps.get_model("foi", "FoiRequest")
    rows = FoiRequest.objects.filter(public(today)).exclude(status="draft")
    return set(rows.values_list("pk", flat=True))


def named_organisation_ids(apps, today: dt.date, requests: set[int]) -> set[int]:
    """Organisations a visitor could see: named by a public record, or by no record at all."""
    Organisation = apps.get_model("actors", "Organisation")
    Party = apps.get_model("atlas", "Party")
    Component = apps.get_model("atlas", "Component")
    Money = apps.get_model("atlas", "Money")
    VendorClaim = apps.get_model("atlas", "VendorClaim")
    FoiRequest = apps.get_model("foi", "FoiRequest")
    on_public_deal = public(today, "deployment__")
    naming = [
        (Party.objects, "organisation_id", on_public_deal),
        (Component.objects.filter(supplier__isnull=False), "supplier_id", on_public_deal),
        (Money.objects.filter(lender__isnull=False), "lender_id", on_public_deal),
        (VendorClaim.objects, "vendor_id", Q(deployment__isnull=True) | on_public_deal),
        (FoiRequest.objects, "authority_id", Q(pk__in=requests)),
        (FoiRequest.objects, "requester_id", Q(pk__in=requests)),
    ]
    named_publicly: set[int] = set()
    named_at_all: set[int] = set()
    for rows, column, condition in naming:
        named_at_all.update(rows.values_list(column, flat=True))
        named_publicly.update(rows.filter(condition).values_list(column, flat=True))
    unnamed = Organisation.objects.exclude(pk__in=named_at_all).values_list("pk", flat=True)
    return named_publicly | set(unnamed)


def public_source_ids(apps, today: dt.date, requests: set[int]) -> set[int]:
    Source = apps.get_model("evidence", "Source")
    Citation = apps.get_model("evidence", "Citation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deployment = apps.get_model("atlas", "Deployment")
    FoiMessage = apps.get_model("foi", "FoiMessage")
    FoiEvent = apps.get_model("foi", "FoiEvent")
    FoiAttachment = apps.get_model("foi", "FoiAttachment")
    FoiRequest = apps.get_model("foi", "FoiRequest")
    deals = set(Deployment.objects.filter(public(today)).values_list("pk", flat=True))
    targets = {
        "deployment": ("atlas", deals),
        "party": ("atlas", None),
        "component": ("atlas", None),
        "money": ("atlas", None),
        "event": ("atlas", None),
        "vendorclaim": ("atlas", None),
        "organisation": ("actors", named_organisation_ids(apps, today, requests)),
    }
    cited: set[int] = set()
    for model_name, (app_label, ids) in targets.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is None:
            continue
        if ids is None:  # a part: public when its deployment is
            model = apps.get_model(app_label, model_name)
            condition = Q(deployment__in=deals)
            if model_name == "vendorclaim":
                condition |= Q(deployment__isnull=True)
            ids = set(model.objects.filter(condition).values_list("pk", flat=True))
        citations = Citation.objects.filter(content_type=content_type, object_id__in=ids)
        cited.update(citations.values_list("source_id", flat=True))
    for model_name, app_label in (("locality", "places"), ("legalcardentry", "places")):
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is not None:
            citations = Citation.objects.filter(content_type=content_type)
            cited.update(citations.values_list("source_id", flat=True))
    held = [
        FoiRequest.objects.filter(pk__in=requests).values_list("source_id", flat=True),
        FoiMessage.objects.filter(request__in=requests).values_list("source_id", flat=True),
        FoiEvent.objects.filter(request__in=requests).values_list("source_id", flat=True),
        FoiAttachment.objects.filter(message__request__in=requests).values_list(
            "source_id", flat=True
        ),
    ]
    for rows in held:
        cited.update(rows)
    cited.discard(None)
    rows = Source.objects.filter(public(today), pk__in=cited)
    return set(rows.values_list("pk", flat=True))


def keep_public_numbers(apps, schema_editor):
    FoiRequest = apps.get_model("foi", "FoiRequest")
    Source = apps.get_model("evidence", "Source")
    if not FoiRequest.objects.exists() and not Source.objects.exists():
        return  # a fresh install: no old addresses to keep
    today = dt.date.today()
    requests = public_request_ids(apps, today)
    for pk in sorted(requests):
        FoiRequest.objects.filter(pk=pk).update(legacy_number=pk)
    for pk in sorted(public_source_ids(apps, today, requests)):
        Source.objects.filter(pk=pk).update(legacy_number=pk)


class Migration(migrations.Migration):
    dependencies = [
        ("foi", "0005_public_keys_for_requests"),
        ("evidence", "0008_source_legacy_number"),
        ("atlas", "0009_unguessable_slugs_for_hidden_deployments"),
        ("actors", "0002_organisation_seat"),
        ("places", "0004_locality_region_unique_and_approximate"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.RunPython(keep_public_numbers, migrations.RunPython.noop),
    ]
