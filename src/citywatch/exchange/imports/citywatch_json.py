"""Import `citywatch.json` (the round-trip format): every record is found by its stable id, or
by its natural key (a deployment's slug, a locality's name in its country…) when the id is new
here, then created or updated."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation
from citywatch.atlas.models import (
    Component,
    Deployment,
    Event,
    Money,
    Party,
    Technology,
    VendorClaim,
)
from citywatch.evidence.models import Citation, Source
from citywatch.exchange import keys, meta
from citywatch.exchange.dataset import (
    CITATION_FIELDS,
    CLAIM_FIELDS,
    COMPONENT_FIELDS,
    DEPLOYMENT_FIELDS,
    EVENT_FIELDS,
    LEGAL_ENTRY_FIELDS,
    LOCALITY_FIELDS,
    MONEY_FIELDS,
    ORGANISATION_FIELDS,
    PARTY_FIELDS,
    SOURCE_FIELDS,
    TARGET_MODELS,
)
from citywatch.exchange.imports.base import (
    Importer,
    check_coordinates,
    only_one,
    parse_decimal,
)
from citywatch.exchange.imports.reading import load_json
from citywatch.exchange.imports.report import Change, RowRejected
from citywatch.places.models import Country, LegalCardEntry, Locality

LISTS = [
    "sources",
    "organisations",
    "localities",
    "legal_entries",
    "deployments",
    "vendor_claims",
    "citations",
]
NULLABLE = {"quantity", "geonames_id"}


def is_dataset(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == meta.FORMAT_NAME


class JsonImporter(Importer):
    format_name = "citywatch-json"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.found: dict[tuple[type, str], int] = {}
        self.created: set[tuple[type, str]] = set()
        self.countries = set(Country.objects.values_list("code", flat=True))
        self.technologies = dict(Technology.objects.values_list("slug", "pk"))

    # Reading values -------------------------------------------------------------------------

    def text(self, item: dict[str, Any], name: str) -> Any:
        value = item.get(name)
        if value is None:
            return None if name in NULLABLE else ""
        if name in NULLABLE:
            if isinstance(value, bool) or not isinstance(value, int):
                raise RowRejected(_("%(name)s must be a whole number") % {"name": name})
            return value
        if not isinstance(value, str):
            raise RowRejected(_("%(name)s must be text") % {"name": name})
        return value

    def values(self, item: dict[str, Any], names: list[str]) -> dict[str, Any]:
        return {name: self.text(item, name) for name in names}

    def key(self, item: Any) -> str:
        if not isinstance(item, dict):
            raise RowRejected(_("each entry must be a JSON object"))
        key = item.get("id")
        if not isinstance(key, str) or not key.strip():
            raise RowRejected(_("the entry has no id"))
        return key

    def country(self, code: Any, required: bool = True) -> str | None:
        if code in (None, "") and not required:
            return None
        if not isinstance(code, str) or code.upper() not in self.countries:
            raise RowRejected(_("unknown country %(code)r") % {"code": code})
        return code.upper()

    def ref(self, model: type[models.Model], key: Any, required: bool = True) -> int | None:
        """The primary key of a record named by a stable id in this file or already here."""
        if key in (None, "") and not required:
            return None
        if not isinstance(key, str):
            raise RowRejected(_("a reference must be an id (text)"))
        pk = self.found.get((model, key)) or keys.find(model, key)
        if pk is None:
            raise RowRejected(
                _("unknown %(kind)s id %(key)s") % {"kind": model._meta.verbose_name, "key": key}
            )
        return pk

    def existing(self, model: type[models.Model], key: str, natural: models.QuerySet | None):
        pk = keys.find(model, key)
        if pk is not None:
            return model._default_manager.get(pk=pk)
        return only_one(natural) if natural is not None else None

    def upsert(
        self,
        model: type[models.Model],
        key: str,
        values: dict[str, Any],
        natural: models.QuerySet | None,
        label: str,
    ) -> models.Model:
        record = self.existing(model, key, natural)
        if record is None:
            self.created.add((model, key))
        record = self.save(model, record, values, label)
        self.remember(record, key)
        self.found[(model, key)] = record.pk
        return record

    # The file ---------------------------------------------------------------------------------

    def run(self, text: str) -> None:
        data, lines, problems = load_json(text)
        self.report.problems += problems
        if problems:
            return
        if not is_dataset(data):
            self.report.problem(1, _("not a CityWatch dataset (citywatch.json) file"))
            return
        for name in LISTS:
            if not isinstance(data.get(name, []), list):
                self.report.problem(None, _("%(name)s must be a list") % {"name": name})
                return

        def each(name: str, handler: Any) -> None:
            for index, item in enumerate(data.get(name, [])):
                self.report.rows += 1
                line = lines.get((name, index))
                self.row(line, f"{name}[{index}]", lambda item=item: handler(item))

        each("sources", self.source)
        each("organisations", self.organisation)
        for index, item in enumerate(data.get("organisations", [])):
            line = lines.get(("organisations", index))
            self.row(line, f"organisations[{index}]", lambda item=item: self.parent(item))
        each("localities", self.locality)
        each("legal_entries", self.legal_entry)
        each("deployments", self.deployment)
        each("vendor_claims", lambda item: self.claim(item, None))
        each("citations", self.citation)

    def source(self, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, SOURCE_FIELDS)
        if values["url"]:
            natural = Source.objects.filter(url=values["url"])
        else:
            natural = Source.objects.filter(title=values["title"], publisher=values["publisher"])
        self.upsert(Source, key, values, natural, values["title"])

    def organisation(self, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, ORGANISATION_FIELDS)
        values["country_id"] = self.country(item.get("country"), required=False)
        natural = Organisation.objects.filter(slug=values["slug"])
        self.upsert(Organisation, key, values, natural, values["slug"])

    def parent(self, item: Any) -> None:
        key = self.key(item)
        pk = self.found.get((Organisation, key))
        if pk is None:  # the organisation itself was rejected, and reported
            return
        organisation = Organisation.objects.get(pk=pk)
        parent = self.ref(Organisation, item.get("parent"), required=False)
        if organisation.parent_id == parent:
            return
        organisation.parent_id = parent
        organisation.full_clean()
        organisation.save()
        if (Organisation, key) not in self.created:  # a new record's parent is part of creating it
            self.pending.append(Change(self.line, "update", "organisation", organisation.slug))

    def locality(self, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, LOCALITY_FIELDS)
        values["country_id"] = self.country(item.get("country"))
        latitude = parse_decimal(item.get("latitude"), 5, "latitude")
        longitude = parse_decimal(item.get("longitude"), 5, "longitude")
        check_coordinates(latitude, longitude)
        values.update(latitude=latitude, longitude=longitude)
        natural = Locality.objects.filter(country_id=values["country_id"], name=values["name"])
        self.upsert(Locality, key, values, natural, values["name"])

    def legal_entry(self, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, LEGAL_ENTRY_FIELDS)
        values["country_id"] = self.country(item.get("country"))
        natural = LegalCardEntry.objects.filter(
            country_id=values["country_id"], topic=values["topic"], name=values["name"]
        )
        label = f"{values['country_id']} {values['topic']}"
        self.upsert(LegalCardEntry, key, values, natural, label)

    def deployment(self, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, DEPLOYMENT_FIELDS)
        values["country_id"] = self.country(item.get("country"))
        values["locality_id"] = self.ref(Locality, item.get("locality"), required=False)
        natural = Deployment.objects.filter(slug=values["slug"])
        deployment = self.upsert(Deployment, key, values, natural, values["slug"])
        for part, handler in (
            ("parties", self.party),
            ("components", self.component),
            ("money", self.money),
            ("events", self.event),
        ):
            entries = item.get(part, [])
            if not isinstance(entries, list):
                raise RowRejected(_("%(name)s must be a list") % {"name": part})
            for index, entry in enumerate(entries):
                try:
                    handler(deployment, entry)
                except RowRejected as error:
                    raise RowRejected(f"{part}[{index}]: {error}") from error
        for index, entry in enumerate(item.get("claims", []) or []):
            try:
                self.claim(entry, deployment)
            except RowRejected as error:
                raise RowRejected(f"claims[{index}]: {error}") from error

    def party(self, deployment: Deployment, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, PARTY_FIELDS)
        values["deployment_id"] = deployment.pk
        values["organisation_id"] = self.ref(Organisation, item.get("organisation"))
        natural = Party.objects.filter(
            deployment=deployment, organisation_id=values["organisation_id"], role=values["role"]
        )
        self.upsert(Party, key, values, natural, f"{deployment.slug}/{values['role']}")

    def component(self, deployment: Deployment, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, COMPONENT_FIELDS)
        slug = item.get("technology")
        if slug not in self.technologies:
            raise RowRejected(_("unknown technology %(slug)r") % {"slug": slug})
        values["deployment_id"] = deployment.pk
        values["technology_id"] = self.technologies[slug]
        values["supplier_id"] = self.ref(Organisation, item.get("supplier"), required=False)
        natural = Component.objects.filter(deployment=deployment, technology__slug=slug)
        self.upsert(Component, key, values, natural, f"{deployment.slug}/{slug}")

    def money(self, deployment: Deployment, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, MONEY_FIELDS)
        values["deployment_id"] = deployment.pk
        values["amount"] = parse_decimal(item.get("amount"), 2, "amount")
        values["lender_id"] = self.ref(Organisation, item.get("lender"), required=False)
        natural = Money.objects.filter(
            deployment=deployment, dated=values["dated"], financing=values["financing"]
        )
        self.upsert(Money, key, values, natural, f"{deployment.slug}/{values['financing']}")

    def event(self, deployment: Deployment, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, EVENT_FIELDS)
        values["deployment_id"] = deployment.pk
        natural = Event.objects.filter(
            deployment=deployment, kind=values["kind"], title=values["title"]
        )
        self.upsert(Event, key, values, natural, f"{deployment.slug}/{values['title'][:40]}")

    def claim(self, item: Any, deployment: Deployment | None) -> None:
        key = self.key(item)
        values = self.values(item, CLAIM_FIELDS)
        values["vendor_id"] = self.ref(Organisation, item.get("vendor"))
        values["deployment_id"] = deployment.pk if deployment else None
        natural = VendorClaim.objects.filter(
            vendor_id=values["vendor_id"], deployment=deployment, statement=values["statement"]
        )
        self.upsert(VendorClaim, key, values, natural, values["statement"][:40])

    def citation(self, item: Any) -> None:
        key = self.key(item)
        values = self.values(item, CITATION_FIELDS)
        target = item.get("target")
        if not isinstance(target, dict) or target.get("type") not in TARGET_MODELS:
            raise RowRejected(_("the citation's target must name a kind of record and its id"))
        model = TARGET_MODELS[target["type"]]
        values["source_id"] = self.ref(Source, item.get("source"))
        values["content_type_id"] = ContentType.objects.get_for_model(model).pk
        values["object_id"] = self.ref(model, target.get("id"))
        natural = Citation.objects.filter(
            source_id=values["source_id"],
            content_type_id=values["content_type_id"],
            object_id=values["object_id"],
            field_name=values["field_name"],
            quote=values["quote"],
        )
        self.upsert(Citation, key, values, natural, f"{target['type']} ← {values['source_id']}")
