"""A deployment change (see ``citywatch.atlas.services``) as rows a reviewer reads.

``describe_changes`` turns the plain JSON of a change into ``[(label, value), ...]`` in the
active language: choices by their labels, organisations and sources by name, existing rows by
what they are now and what the change makes of them. It reads names only; it writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas.models import Deployment, Technology
from citywatch.atlas.services import (
    CITATION_FIELDS,
    NEW,
    PART_FIELDS,
    PART_MODELS,
    ROW_KEYS,
    plain_field,
)
from citywatch.core.choices import Visibility
from citywatch.evidence.models import Citation, Source, SourceKind
from citywatch.places.models import Country

Rows = list[tuple[str, str]]


def describe_changes(changes: dict[str, Any], deployment: Deployment | None = None) -> Rows:
    """What a change would write, as (label, value) rows of plain text.

    ``deployment`` is the record changed (None for a new one). Unknown references read
    "(removed)", so a proposal whose organisation or source vanished still reads."""
    if not isinstance(changes, dict):
        return []
    summary = _Summary(changes, deployment)
    return summary.rows


class _Summary:
    def __init__(self, changes: dict[str, Any], deployment: Deployment | None) -> None:
        self.changes = changes
        self.deployment = deployment
        self.rows: Rows = []
        self.sources()
        self.organisations()
        self.fields()
        self.place()
        self.citations(Deployment, deployment, changes.get("citations") or [], _("The deal"))
        for kind, model in PART_MODELS.items():
            for row in changes.get(kind) or []:
                self.part(kind, model, row)

    def add(self, label: Any, value: Any) -> None:
        self.rows.append((str(label), str(value)))

    # -- references

    def organisation(self, ref: Any) -> str:
        if not ref:
            return "—"
        text = str(ref)
        if text.startswith(NEW):
            for row in self.changes.get("organisations") or []:
                if str(row.get("ref")) == text[len(NEW) :]:
                    return _("%(name)s (new)") % {"name": row.get("name", "")}
            return _("(removed)")
        found = Organisation.objects.filter(slug=text).first()
        return found.name if found else _("(removed)")

    def source(self, ref: Any) -> str:
        text = str(ref or "")
        if text.startswith(NEW):
            for row in self.changes.get("sources") or []:
                if str(row.get("ref")) == text[len(NEW) :]:
                    return _("%(title)s (new)") % {"title": row.get("title", "")}
            return _("(removed)")
        try:
            found = Source.objects.filter(key=text).first() if text else None
        except (ValueError, ValidationError):  # a malformed key reads as removed
            found = None
        if found is None:
            return _("(removed)")
        if found.visibility != Visibility.PUBLIC:
            return _("%(title)s (%(visibility)s: its footnotes stay hidden from the public)") % {
                "title": found.title,
                "visibility": found.get_visibility_display(),
            }
        return found.title

    def value(self, model: type[models.Model], name: str, value: Any) -> str:
        """A plain value as people read it."""
        if name in ("organisation", "supplier", "lender"):
            return self.organisation(value)
        if name == "technology":
            found = Technology.objects.filter(slug=str(value or "")).first()
            return found.display_name if found else _("(removed)")
        if value in (None, ""):
            return "—"
        if value is True:
            return _("yes")
        if value is False:
            return _("no")
        field = model._meta.get_field(name)
        choices = dict(field.flatchoices)
        return str(choices.get(value, value))

    def label(self, model: type[models.Model], name: str) -> str:
        return str(capfirst(model._meta.get_field(name).verbose_name))

    # -- sections

    def sources(self) -> None:
        for row in self.changes.get("sources") or []:
            parts = [row.get("title", "")]
            for name in ("publisher", "published_on", "url", "language"):
                if row.get(name):
                    parts.append(str(row[name]))
            kind = dict(SourceKind.choices).get(row.get("kind"), row.get("kind") or "—")
            visibility = dict(Visibility.choices).get(row.get("visibility"), _("Public"))
            parts.append(str(kind))
            parts.append(_("visibility once applied: %(visibility)s") % {"visibility": visibility})
            self.add(_("New source"), " · ".join(parts))

    def organisations(self) -> None:
        for row in self.changes.get("organisations") or []:
            kind = dict(OrganisationKind.choices).get(row.get("kind"), row.get("kind") or "—")
            country = Country.objects.filter(code=str(row.get("country") or "")).first()
            details = ", ".join(str(part) for part in (kind, country and country.name) if part)
            self.add(_("New organisation"), f"{row.get('name', '')} ({details})")

    def fields(self) -> None:
        for name, value in (self.changes.get("deployment") or {}).items():
            if name not in Deployment._meta._forward_fields_map:
                continue
            shown = self.value(Deployment, name, value)
            if self.deployment is not None:
                before = self.value(Deployment, name, plain_field(self.deployment, name))
                shown = f"{before} → {shown}"
            self.add(self.label(Deployment, name), shown)

    def place(self) -> None:
        place = self.changes.get("place")
        if not isinstance(place, dict):
            return
        country = Country.objects.filter(code=str(place.get("country") or "").upper()).first()
        country_name = country.name if country else str(place.get("country") or "—")
        if place.get("nationwide"):
            shown = _("country-wide, %(country)s") % {"country": country_name}
        else:
            parts = [str(place.get("name") or "—")]
            if place.get("subdivision"):
                parts.append(str(place["subdivision"]))
            parts.append(str(country_name))
            shown = ", ".join(parts)
            if place.get("latitude") not in (None, "") and place.get("longitude") not in (None, ""):
                shown += f" ({place['latitude']}, {place['longitude']})"
        if self.deployment is not None:
            now = self.deployment.locality.name if self.deployment.locality else _("country-wide")
            shown = f"{now}, {self.deployment.country.name} → {shown}"
        self.add(_("Place"), shown)

    def part(self, kind: str, model: type[models.Model], row: dict[str, Any]) -> None:
        noun = capfirst(model._meta.verbose_name)
        existing = None
        if row.get("id") is not None and self.deployment is not None:
            existing = model._default_manager.filter(
                deployment=self.deployment, pk=row["id"]
            ).first()
        if row.get("id") is not None:
            name = str(existing) if existing is not None else _("(removed)")
            if row.get("delete"):
                self.add(_("%(noun)s removed") % {"noun": noun}, name)
                return
            changed = [
                f"{self.label(model, key)}: "
                + (f"{self.value(model, key, plain_field(existing, key))} → " if existing else "")
                + self.value(model, key, value)
                for key, value in row.items()
                if key not in ROW_KEYS and key in PART_FIELDS[kind]
            ]
            if changed:
                self.add(
                    _("%(noun)s “%(name)s” changed") % {"noun": noun, "name": name},
                    "; ".join(changed),
                )
            title = f"{noun} “{name}”"
        else:
            values = [
                f"{self.label(model, key)}: {self.value(model, key, row[key])}"
                for key in PART_FIELDS[kind]
                if row.get(key) not in (None, "")
            ]
            self.add(_("New %(noun)s") % {"noun": model._meta.verbose_name}, "; ".join(values))
            title = _("the new %(noun)s") % {"noun": model._meta.verbose_name}
        self.citations(model, existing, row.get("citations") or [], title)

    def citations(
        self, model: type[models.Model], record: Any, rows: list[dict[str, Any]], title: str
    ) -> None:
        for row in rows:
            if row.get("id") is not None:
                citation = Citation.objects.filter(pk=row["id"]).select_related("source").first()
                shown = (
                    f"{citation.source.title}: “{citation.quote}”" if citation else _("(removed)")
                )
                if row.get("delete"):
                    self.add(_("Source note removed from %(fact)s") % {"fact": title}, shown)
                    continue
                changed = [
                    f"{self.citation_label(name)}: {self.citation_value(model, name, value)}"
                    for name, value in row.items()
                    if name in CITATION_FIELDS
                ]
                self.add(
                    _("Source note of %(fact)s changed") % {"fact": title},
                    f"{shown} → " + "; ".join(changed),
                )
                continue
            fact = self.citation_value(model, "field_name", row.get("field_name", ""))
            parts = [self.source(row.get("source"))]
            if row.get("quote"):
                parts.append(f"“{row['quote']}”")
            if row.get("stated_value"):
                parts.append(_("states: %(value)s") % {"value": row["stated_value"]})
            if row.get("locator"):
                parts.append(str(row["locator"]))
            self.add(
                _("Source for %(fact)s — %(field)s") % {"fact": title, "field": fact},
                " · ".join(parts),
            )

    def citation_label(self, name: str) -> str:
        return self.label(Citation, name)

    def citation_value(self, model: type[models.Model], name: str, value: Any) -> str:
        if name == "source":
            return self.source(value)
        if name == "field_name":
            if not value:
                return _("the record as a whole")
            try:
                return str(capfirst(model._meta.get_field(value).verbose_name))
            except FieldDoesNotExist:  # a field name the check refuses
                return str(value)
        return str(value or "—")


def describe_path(path: str) -> str:
    """Where in a change a problem is, in words: "components.0.citations.1.field_name" reads
    "Component 1, source note 2, field" (rows counted from 1, in the change's order)."""
    from citywatch.atlas.services import PART_MODELS

    words: list[str] = []
    parts = path.split(".")
    model: Any = Deployment
    index = 0
    while index < len(parts):
        part = parts[index]
        number = parts[index + 1] if index + 1 < len(parts) else ""
        if part in PART_MODELS and number.isdigit():
            model = PART_MODELS[part]
            words.append(f"{capfirst(model._meta.verbose_name)} {int(number) + 1}")
            index += 2
        elif part == "citations" and number.isdigit():
            words.append(_("source note %(number)d") % {"number": int(number) + 1})
            model = Citation
            index += 2
        elif part == "sources" and number.isdigit():
            words.append(_("New source %(number)d") % {"number": int(number) + 1})
            model = Source
            index += 2
        elif part == "organisations" and number.isdigit():
            words.append(_("New organisation %(number)d") % {"number": int(number) + 1})
            model = Organisation
            index += 2
        elif part == "place":
            words.append(_("Place"))
            model = None
            index += 1
        elif part == "deployment":
            words.append(_("The deal"))
            model = Deployment
            index += 1
        else:
            words.append(field_label(model, part))
            index += 1
    return ", ".join(words) or _("The deal")


def field_label(model: Any, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return {
        "name": _("name"),
        "country": _("country"),
        "subdivision": _("region"),
        "latitude": _("latitude"),
        "longitude": _("longitude"),
    }.get(name, name)
