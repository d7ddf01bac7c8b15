"""Writes for research: accepting a suggested fact (the fact and its citation in one step)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation
from citywatch.atlas import services as atlas_services
from citywatch.atlas.models import Component, Event, Money, Party, Technology
from citywatch.evidence.models import Citation, Source
from citywatch.evidence.queries import text_file
from citywatch.evidence.services import certainty_for
from citywatch.places.models import Locality
from citywatch.research import suggestions
from citywatch.teams import permissions

# ---------------------------------------------------------------- accepting a suggestion


def find_suggestion(source: Source, key: str, user: Any = None) -> suggestions.Suggestion:
    """The suggestion with this key among those the source's text gives now, to ``user``
    (organisations only among those they may see; None: the public).

    Raises:
        ValidationError: the text no longer gives it (the text changed, or a stale page).
    """
    stored = text_file(source)
    for suggestion in suggestions.suggest(stored.text if stored else "", user=user):
        if suggestion.key == key:
            return suggestion
    raise ValidationError(_("This suggestion no longer applies; reload the page."))


def locator_for(suggestion: suggestions.Suggestion) -> str:
    """The citation's locator for a suggestion: its page ("p. 4") when known, else ""."""
    return _("p. %(page)d") % {"page": suggestion.page} if suggestion.page else ""


@transaction.atomic
def accept_suggestion(
    source: Source,
    key: str,
    deployment: Any,
    options: dict[str, str] | None = None,
    *,
    by: Any,
) -> Citation:
    """Create the suggested fact on the deployment and cite the sentence, in one step; the
    fact and its citation are written by ``atlas.services`` (as ``by``).

    ``options`` may correct the suggested values: ``quantity``, ``unit``, ``technology``,
    ``qualifier`` (devices); ``amount``, ``currency``, ``financing`` (money); ``role``
    (organisations); ``event_kind``, ``title``, ``date`` (dates). When the deployment already
    has the same fact, only the citation is added.

    Raises:
        ValidationError: the suggestion no longer applies, or a corrected value is invalid.
        PermissionDenied: ``by`` may not write the deployment.
    """
    suggestion = find_suggestion(source, key, by)
    options = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    handler = {
        suggestions.DEVICE: _accept_device_count,
        suggestions.MONEY: _accept_money,
        suggestions.ORGANISATION: _accept_organisation,
        suggestions.PLACE: _accept_place,
        suggestions.DATE: _accept_date,
    }[suggestion.kind]
    target, field_name = handler(suggestion, deployment, options, certainty_for(source), by)
    lookup = {
        "source": source,
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": target.pk,
        "field_name": field_name,
        "quote": suggestion.sentence,
    }
    citation = Citation.objects.filter(**lookup).first()
    if citation is None:
        citation = Citation(
            **lookup, stated_value=suggestion.matched[:300], locator=locator_for(suggestion)
        )
        _clean_save(citation, by, validate=False)  # as get_or_create did: no full_clean
    return citation


def _clean_save(record: models.Model, by: Any, validate: bool = True) -> models.Model:
    """Save a record; a deployment's record through its one writer, ``atlas.services``."""
    if atlas_services.is_deployment_record(record):
        return atlas_services.save_record(record, by=by, validate=validate)
    if validate:
        record.full_clean()
    record.save()
    return record


def _accept_device_count(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:

    value = suggestion.value
    technology = Technology.objects.filter(slug=options.get("technology", value["technology"]))
    if not technology.exists():
        raise ValidationError({"technology": _("Unknown technology.")})
    try:
        quantity = int(options.get("quantity", value["quantity"]))
    except ValueError as error:
        raise ValidationError({"quantity": _("Enter a whole number.")}) from error
    component = Component.objects.filter(
        deployment=deployment, technology=technology.get(), quantity=quantity
    ).first()
    if component is None:
        component = _clean_save(
            Component(
                deployment=deployment,
                technology=technology.get(),
                quantity=quantity,
                quantity_qualifier=options.get("qualifier", value["qualifier"]),
                unit=options.get("unit", value["unit"]),
                facial_recognition="present" if value.get("facial_recognition") else "unknown",
                certainty=certainty,
            ),
            by,
        )
    return component, "quantity"


def _accept_money(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:

    try:
        amount = Decimal(options.get("amount", suggestion.value["amount"]))
    except InvalidOperation as error:
        raise ValidationError({"amount": _("Enter an amount.")}) from error
    currency = options.get("currency", suggestion.value["currency"]).upper()
    money = Money.objects.filter(deployment=deployment, amount=amount, currency=currency).first()
    if money is None:
        money = _clean_save(
            Money(
                deployment=deployment,
                amount=amount,
                currency=currency,
                financing=options.get("financing", "unknown"),
                dated=options.get("dated", ""),
                certainty=certainty,
            ),
            by,
        )
    return money, "amount"


def _accept_organisation(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:
    organisation = Organisation.objects.get(pk=suggestion.value["organisation"])
    default_role = "supplier" if organisation.kind == "vendor" else "buyer"
    role = options.get("role", default_role)
    party = Party.objects.filter(deployment=deployment, organisation=organisation, role=role)
    if party.exists():
        return party.get(), ""
    party = Party(deployment=deployment, organisation=organisation, role=role, certainty=certainty)
    return _clean_save(party, by), ""


def _accept_place(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:
    value = suggestion.value
    if value["country"] != deployment.country_id:
        raise ValidationError(_("This place is not in the deployment's country."))
    locality = None
    # Only places the reviewer may see: a custom place only hidden records name is not reused.
    localities = permissions.visible(by, Locality)
    if value.get("locality"):
        locality = localities.filter(pk=value["locality"]).first()
    if locality is None and value.get("geonames_id"):
        locality = localities.filter(geonames_id=value["geonames_id"]).first()
    if locality is None:
        locality = localities.filter(country_id=value["country"], name=value["name"]).first()
    if locality is None:
        locality = _clean_save(Locality(country_id=value["country"], name=value["name"]), by)
    deployment.locality = locality
    _clean_save(deployment, by)
    return deployment, "locality"


def _accept_date(
    suggestion: suggestions.Suggestion, deployment: Any, options: dict, certainty: str, by: Any
) -> tuple[Any, str]:
    date = options.get("date", suggestion.value["date"])
    kind = options.get("event_kind", "other")
    title = options.get("title") or suggestion.sentence[:300]
    event = Event.objects.filter(deployment=deployment, date=date, kind=kind).first()
    if event is None:
        event = _clean_save(
            Event(deployment=deployment, date=date, kind=kind, title=title, certainty=certainty),
            by,
        )
    return event, "date"
