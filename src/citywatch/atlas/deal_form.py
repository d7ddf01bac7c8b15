"""The deal page's form: a deployment, its place, parties, components, money and events, and a
source and quote beside each fact, on one page, validated together.

Plain Django forms and formsets (it works without JavaScript; ``atlas/deal-form.js`` only adds
rows without a round trip, filters long lists, searches the place list and shows a small map).
Each part's rows carry their own formset of citations. Every choice comes from the permission
module: the organisations and sources the user may see, the teams the user may add to.

``DealForm.changes()`` gives the plain-JSON change that ``citywatch.atlas.services`` writes
(directly, or later from a proposal); ``DealForm.add_errors()`` puts the problems it reports
back on the fields they are about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citywatch.actors.models import Organisation
from citywatch.atlas import queries, services
from citywatch.atlas.change_summary import describe_path
from citywatch.atlas.models import Component, Deployment, Event, Money, Party, Technology
from citywatch.atlas.services import (
    CITATION_FIELDS,
    DEPLOYMENT_FIELDS,
    NEW,
    PART_FIELDS,
    plain_field,
    plain_place,
)
from citywatch.core.choices import Visibility
from citywatch.core.public_keys import opaque_id
from citywatch.evidence.models import Citation, Source, citable_field_choices
from citywatch.places.models import Country, Locality
from citywatch.places.services import PlaceError, locate
from citywatch.teams import permissions
from citywatch.teams.models import Team

MORE_PATTERN = re.compile(
    r"^(sources|organisations|citations|parties|components|money|events)"
    r"(-\d+-citations)?$"
)
MAX_ROWS = 200


# --- choices the permission module allows ---------------------------------------------------


@dataclass
class Choices:
    """The lists a user may pick from, read once per request."""

    sources: list[tuple[str, str]]
    organisations: list[tuple[str, str]]
    new_sources: list[tuple[str, str]]
    new_organisations: list[tuple[str, str]]

    def source_choices(self) -> list[Any]:
        return [
            ("", "—"),
            (_("New sources on this page"), self.new_sources),
            (_("Sources in CityWatch"), self.sources),
        ]

    def label(self, value: str) -> str:
        """The label an organisation or source choice is shown with."""
        lists = (self.organisations, self.new_organisations, self.sources, self.new_sources)
        for choices in lists:
            for key, label in choices:
                if key == value:
                    return label
        return value

    def organisation_choices(self) -> list[Any]:
        return [
            ("", "—"),
            (_("New organisations on this page"), self.new_organisations),
            (_("Organisations in CityWatch"), self.organisations),
        ]


def source_label(source: Source) -> str:
    parts = [source.title]
    if source.publisher:
        parts.append(source.publisher)
    if source.published_on:
        parts.append(source.published_on[:4])
    label = " · ".join(parts)
    if source.visibility != Visibility.PUBLIC:
        label += " (" + str(source.get_visibility_display()) + ")"
    return label


def read_choices(user: Any, new_sources: list[str], new_organisations: list[str]) -> Choices:
    """The sources and organisations ``user`` may see, and labels for the new ones typed on
    this page (their titles, as far as they are typed)."""
    sources = permissions.visible(user, Source).order_by("title", "pk")
    organisations = permissions.visible(user, Organisation).order_by("name", "pk")
    return Choices(
        sources=[(str(source.key), source_label(source)) for source in sources],
        organisations=[
            (organisation.slug, f"{organisation.name} ({organisation.get_kind_display()})")
            for organisation in organisations
        ],
        new_sources=[
            (f"{NEW}{index}", new_label(_("New source %(number)d"), index, title))
            for index, title in enumerate(new_sources)
        ],
        new_organisations=[
            (f"{NEW}{index}", new_label(_("New organisation %(number)d"), index, name))
            for index, name in enumerate(new_organisations)
        ],
    )


def new_label(template: str, index: int, title: str) -> str:
    label = template % {"number": index + 1}
    return f"{label}: {title}" if title else label


# --- widgets ---------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CountrySelect(forms.Select):
    """Countries, each option carrying its ISO numeric code for the small map's shapes."""

    def __init__(self, numeric: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.numeric = numeric

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict:
        option = super().create_option(name, value, *args, **kwargs)
        if value and self.numeric.get(str(value)):
            option["attrs"]["data-numeric"] = self.numeric[str(value)]
        return option


def partial_date_help() -> Any:
    return gettext_lazy("As precise as the source: 2021, 2021-06 or 2021-06-15.")


# --- the deal itself and its place -----------------------------------------------------------


class DeploymentForm(forms.ModelForm):
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=gettext_lazy("The team whose reviewers decide about this record."),
    )

    class Meta:
        model = Deployment
        fields = list(DEPLOYMENT_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "embargo_until": DateInput(),
        }

    def __init__(self, *args: Any, teams: list[Team] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = teams or []
        if self.instance.pk is not None or len(self.teams) < 2:
            del self.fields["team"]
        else:
            self.fields["team"].queryset = Team.objects.filter(
                pk__in=[team.pk for team in self.teams]
            )
            self.fields["team"].required = True

    def chosen_team(self) -> Team | None:
        if "team" in self.fields:
            return self.cleaned_data.get("team")
        return self.teams[0] if self.teams else None


class PlaceForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    nationwide = forms.BooleanField(
        label=gettext_lazy("Country-wide (no particular place)"), required=False
    )
    name = forms.CharField(
        label=gettext_lazy("Place"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "A city or town as the place list names it, e.g. Nairobi; accents optional."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    subdivision = forms.CharField(
        label=gettext_lazy("Region (optional)"),
        required=False,
        max_length=60,
        help_text=gettext_lazy(
            "Only when several places share the name: ISO 3166-2 code or name, e.g. US-MA."
        ),
    )
    latitude = forms.CharField(
        label=gettext_lazy("Latitude (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=gettext_lazy("For a place not in the list, e.g. -1.28333."),
    )
    longitude = forms.CharField(
        label=gettext_lazy("Longitude (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=gettext_lazy("E.g. 36.81667."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        countries = sorted(Country.objects.all(), key=lambda country: str(country.name))
        self.fields["country"].choices = [("", "—")] + [
            (country.code, str(country.name)) for country in countries
        ]
        self.fields["country"].widget = CountrySelect(
            {country.code: country.numeric for country in countries},
            choices=self.fields["country"].choices,
        )

    def clean(self) -> dict[str, Any]:
        """The place must be one the place list (or the atlas) can tell apart: asked now, so
        an ambiguous name is named with the page's other problems."""
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        if cleaned.get("nationwide") or (self.initial and not self.has_changed()):
            return cleaned  # country-wide, or the deal's place as it is
        if not name:
            self.add_error("name", _("Give the place, or mark the deployment country-wide."))
            return cleaned
        coordinates = []
        for field in ("latitude", "longitude"):
            text = (cleaned.get(field) or "").strip().replace(",", ".")
            try:
                number = Decimal(text) if text else None
            except InvalidOperation:
                number = Decimal("NaN")
            limit = 90 if field == "latitude" else 180
            if number is not None and (not number.is_finite() or abs(number) > limit):
                self.add_error(
                    field, _("Enter a number between -%(limit)d and %(limit)d.") % {"limit": limit}
                )
                return cleaned
            coordinates.append(number)
        if None in coordinates and coordinates != [None, None]:
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
            return cleaned
        if cleaned.get("country"):
            try:
                code = cleaned["country"]
                locate(
                    name,
                    code,
                    cleaned.get("subdivision") or "",
                    *coordinates,
                    # Only places the writer may see, as the deal is saved (atlas.services).
                    localities=permissions.visible(self.user, Locality).filter(country_id=code),
                )
            except PlaceError as error:
                self.add_error("name", str(error))
        return cleaned


# --- new sources and organisations ------------------------------------------------------------


class NewSourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = list(services.SOURCE_FIELDS)
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto", "data-new-label": "source"}),
            "publisher": forms.TextInput(attrs={"dir": "auto"}),
        }

    def __init__(self, *args: Any, proposing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].required = False
        self.fields["visibility"].initial = Visibility.PUBLIC
        self.fields["published_on"].help_text = partial_date_help()
        if proposing:
            self.fields["visibility"].help_text = _(
                "The source belongs to your team and stays private to it until a reviewer "
                "of your team applies your change; it is then shown as chosen here."
            )
        else:
            self.fields["visibility"].help_text = _(
                "The source belongs to the deal's team. Whatever you choose, it is shown only "
                "beside records that cite it."
            )

    def clean_visibility(self) -> str:
        return self.cleaned_data.get("visibility") or Visibility.PUBLIC


class NewOrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = list(services.NEW_ORGANISATION_FIELDS)
        widgets = {"name": forms.TextInput(attrs={"dir": "auto", "data-new-label": "organisation"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = sorted(Country.objects.all(), key=lambda country: str(country.name))
        self.fields["country"].choices = [("", "—")] + [
            (country.code, str(country.name)) for country in countries
        ]


# --- a source beside a fact ----------------------------------------------------------------


GONE_ROW_MESSAGE = gettext_lazy(
    "This row is no longer part of this deal (someone removed it meanwhile): reload the page "
    "and make your change again."
)


def row_id(model_name: str, pk: int) -> str:
    """The id an existing part or citation carries in the page's hidden ``id`` field: an HMAC
    of its number (``opaque_id``), never the number, which would count the hidden records'
    parts and citations made in between. Rows are matched back among this deal's own."""
    return opaque_id(f"deal-row.{model_name}", pk)


class CitationForm(forms.Form):
    id = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        required=False,
        widget=forms.Select(attrs={"data-choices": "source"}),
    )
    field_name = forms.ChoiceField(label=gettext_lazy("Backs"), required=False)
    quote = forms.CharField(
        label=gettext_lazy("Quote"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=gettext_lazy("The sentence, word for word, pasted from the source."),
    )
    stated_value = forms.CharField(
        label=gettext_lazy("Value it states (optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=gettext_lazy("E.g. 50, when sources differ."),
    )
    locator = forms.CharField(
        label=gettext_lazy("Page or locator (optional)"), required=False, max_length=100
    )

    def __init__(
        self, *args: Any, model: type[models.Model], choices: Choices, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.model = model
        self.fields["source"].choices = choices.source_choices()
        choices = citable_field_choices(model)
        stored = self.initial.get("field_name") or ""
        if stored and stored not in dict(choices):  # from before the rule: kept until changed
            choices.append((stored, _("%(field)s (not shown on the page)") % {"field": stored}))
        self.fields["field_name"].choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        deleting = self.cleaned_data.get("DELETE")
        missing = not cleaned.get("source") and "source" not in self.errors
        if self.has_changed() and not deleting and missing:
            self.add_error("source", _("Pick the source of this note, or add a new one."))
        return cleaned


class AddedRows:
    """Formsets whose rows added by the page's "add" buttons without JavaScript (``add_row``)
    are shown unbound: with their initial values, as a new row would be, rather than as
    empty data."""

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        first_added = self.data.get(f"{self.prefix}-ADDED") if self.is_bound else None
        if first_added is not None and str(first_added).isdigit() and i >= int(first_added):
            form.is_bound = False
            form.data = {}
        return form


class BaseNewFormSet(AddedRows, forms.BaseFormSet):
    """New sources or organisations typed on the page."""


class BaseCitationFormSet(AddedRows, forms.BaseFormSet):
    """The sources beside one record; its empty row (for the page's "add" button) uses the
    placeholder ``__cite__``, so a part's empty row can hold it inside its own ``__prefix__``."""

    @property
    def empty_form(self) -> forms.Form:
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__cite__"),
            empty_permitted=True,
            use_required_attribute=False,
            **self.get_form_kwargs(None),
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


CitationFormSet = forms.formset_factory(
    CitationForm, formset=BaseCitationFormSet, extra=0, can_delete=True, max_num=MAX_ROWS
)


def citation_initial(citation: Citation) -> dict[str, Any]:
    return {
        "id": row_id("citation", citation.pk),
        "source": str(citation.source.key),
        "field_name": citation.field_name,
        "quote": citation.quote,
        "stated_value": citation.stated_value,
        "locator": citation.locator,
    }


# --- the parts ------------------------------------------------------------------------------


class PartForm(forms.ModelForm):
    """One row of a part; ``citations`` is its own formset, attached by the row formset."""

    id = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    organisation_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.organisation_fields:
            self.fields[name].choices = choices.organisation_choices()
        for name, field in self.fields.items():
            if name in ("started_on", "ended_on", "dated", "date"):
                field.help_text = partial_date_help()

    def has_changed(self) -> bool:
        citations = getattr(self, "citations", None)
        return super().has_changed() or bool(citations is not None and citations.has_changed())


def organisation_field(label: Any, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=required, widget=forms.Select(attrs={"data-choices": "organisation"})
    )


class PartyForm(PartForm):
    organisation = organisation_field(gettext_lazy("Organisation"), required=True)
    organisation_fields = ("organisation",)
    field_order = ["organisation", "role"]

    class Meta:
        model = Party
        fields = ["role", "started_on", "ended_on", "certainty", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "dir": "auto"})}


class ComponentForm(PartForm):
    supplier = organisation_field(gettext_lazy("Supplier"))
    organisation_fields = ("supplier",)
    field_order = [
        "technology",
        "quantity_qualifier",
        "quantity",
        "planned_quantity",
        "unit",
        "facial_recognition",
        "plate_recognition",
        "supplier",
    ]

    class Meta:
        model = Component
        fields = [name for name in PART_FIELDS["components"] if name != "supplier"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "dir": "auto"})}
        labels = {"quantity": gettext_lazy("Quantity installed")}


class MoneyForm(PartForm):
    lender = organisation_field(gettext_lazy("Lender"))
    organisation_fields = ("lender",)
    field_order = ["financing", "amount_qualifier", "amount", "amount_max", "currency", "dated"]

    class Meta:
        model = Money
        fields = [name for name in PART_FIELDS["money"] if name != "lender"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "currency": forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
        }


class EventForm(PartForm):
    field_order = ["date", "kind", "title"]

    class Meta:
        model = Event
        fields = list(PART_FIELDS["events"])
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "description": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        }


class BaseRowFormSet(AddedRows, forms.BaseFormSet):
    """Rows of one kind of part, each with its citations formset (prefix
    ``<row prefix>-citations``)."""

    model: type[models.Model]

    def __init__(self, *args: Any, choices: Choices, citation_extra: int = 1, **kwargs: Any):
        self.choices = choices
        self.citation_extra = citation_extra
        super().__init__(*args, form_kwargs={"choices": choices}, **kwargs)

    def attach_citations(self, form: forms.Form, bound: bool) -> forms.Form:
        initial = form.initial.get("citations") or []
        formset_class = forms.formset_factory(
            CitationForm,
            formset=BaseCitationFormSet,
            extra=0 if initial else self.citation_extra,
            can_delete=True,
            max_num=MAX_ROWS,
        )
        form.citations = formset_class(
            self.data if bound else None,
            prefix=f"{form.prefix}-citations",
            initial=initial,
            form_kwargs={"model": self.model, "choices": self.choices},
        )
        return form

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        return self.attach_citations(form, form.is_bound)

    def clean(self) -> None:
        """An organisation has each role in a deal once."""
        if self.model is not Party:
            return
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if self._should_delete_form(form) or not cleaned:
                continue
            key = (cleaned.get("organisation") or "", cleaned.get("role") or "")
            if all(key) and key in seen:
                form.add_error(
                    "role",
                    _("%(organisation)s already has this role in this deal.")
                    % {"organisation": self.choices.label(key[0])},
                )
            seen.add(key)

    @property
    def empty_form(self) -> forms.Form:
        return self.attach_citations(super().empty_form, bound=False)


def row_formset(form: type[PartForm], model: type[models.Model]) -> type[BaseRowFormSet]:
    formset = forms.formset_factory(
        form, formset=BaseRowFormSet, extra=0, can_delete=True, max_num=MAX_ROWS
    )
    formset.model = model
    return formset


# What one row of each part is called on the page (its legend) and in the problems listed.
SECTION_NOUNS = {
    "parties": gettext_lazy("Party"),
    "components": gettext_lazy("Component"),
    "money": gettext_lazy("Amount"),
    "events": gettext_lazy("Event"),
}
SECTIONS: dict[str, tuple[type[PartForm], type[models.Model]]] = {
    "parties": (PartyForm, Party),
    "components": (ComponentForm, Component),
    "money": (MoneyForm, Money),
    "events": (EventForm, Event),
}


def part_initial(kind: str, record: models.Model, citations: list[Citation]) -> dict[str, Any]:
    initial: dict[str, Any] = {"id": row_id(record._meta.model_name, record.pk)}
    for name in PART_FIELDS[kind]:
        field = record._meta.get_field(name)
        if name == "technology":
            initial[name] = record.technology_id
        elif field.is_relation:
            initial[name] = plain_field(record, name) or ""
        else:
            initial[name] = getattr(record, name)
    initial["citations"] = [citation_initial(citation) for citation in citations]
    return initial


# --- the whole page --------------------------------------------------------------------------


class DealForm:
    """Every form of the deal page, validated together; see the module docstring."""

    def __init__(
        self,
        data: Any = None,
        *,
        user: Any,
        deployment: Deployment | None = None,
        teams: list[Team] | None = None,
        proposing: bool = False,
    ) -> None:
        self.user = user
        self.deployment = deployment
        self.data = data
        self.proposing = proposing
        self.is_new = deployment is None
        bound = data is not None
        extra = 1 if self.is_new else 0
        records: dict[str, list[models.Model]] = {kind: [] for kind in SECTIONS}
        cited: dict[tuple[str, int], list[Citation]] = {}
        if deployment is not None:
            records = {
                "parties": list(deployment.parties.select_related("organisation")),
                "components": list(deployment.components.select_related("technology", "supplier")),
                "money": list(deployment.money.select_related("lender")),
                "events": list(queries.events_in_order(deployment.events.all())),
            }
            every = [deployment, *(record for rows in records.values() for record in rows)]
            for citation in queries.citations_for(every, user):
                key = (citation.content_type.model, citation.object_id)
                cited.setdefault(key, []).append(citation)
        self.records = records
        self.cited = cited

        self.sources = forms.formset_factory(NewSourceForm, extra=extra, max_num=MAX_ROWS)(
            data, prefix="sources", form_kwargs={"proposing": proposing}
        )
        self.organisations = forms.formset_factory(
            NewOrganisationForm, extra=extra, max_num=MAX_ROWS
        )(data, prefix="organisations")
        self.choices = read_choices(
            user,
            self.typed(data, "sources", "title", extra),
            self.typed(data, "organisations", "name", extra),
        )

        self.deal = DeploymentForm(
            data,
            prefix="deployment",
            instance=Deployment.objects.get(pk=deployment.pk) if deployment else Deployment(),
            teams=teams,
        )
        self.place = PlaceForm(data, prefix="place", initial=self.place_initial(), user=user)
        deployment_citations = cited.get(("deployment", deployment.pk), []) if deployment else []
        self.citations = forms.formset_factory(
            CitationForm,
            formset=BaseCitationFormSet,
            extra=0 if deployment_citations else 1,
            can_delete=True,
            max_num=MAX_ROWS,
        )(
            data,
            prefix="citations",
            initial=[citation_initial(citation) for citation in deployment_citations],
            form_kwargs={"model": Deployment, "choices": self.choices},
        )
        self.parts: dict[str, BaseRowFormSet] = {}
        for kind, (form, model) in SECTIONS.items():
            initial = [
                part_initial(kind, record, cited.get((model._meta.model_name, record.pk), []))
                for record in records[kind]
            ]
            row_extra = (2 if kind == "parties" else 1) if self.is_new else 0
            formset_class = row_formset(form, model)
            formset_class.extra = row_extra
            self.parts[kind] = formset_class(
                data if bound else None,
                prefix=kind,
                initial=initial,
                choices=self.choices,
            )
        self.reason = forms.CharField(
            label=_("Why, and on what source? (optional)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        )
        self.reason_form = forms.Form(data)
        self.reason_form.fields["reason"] = self.reason
        self.non_field_errors: list[str] = []
        self.paths: dict[str, forms.Form] = {}

    # -- reading the data

    @staticmethod
    def typed(data: Any, prefix: str, field: str, extra: int) -> list[str]:
        """The titles (or names) typed in each new-source (new-organisation) row so far."""
        if data is None:
            return [""] * extra
        try:
            total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
        except (TypeError, ValueError):
            total = 0
        return [str(data.get(f"{prefix}-{index}-{field}", "")).strip() for index in range(total)]

    def place_initial(self) -> dict[str, Any]:
        deployment = self.deployment
        if deployment is None:
            return {}
        locality = deployment.locality
        return {
            "country": deployment.country_id,
            "nationwide": locality is None,
            "name": locality.name if locality else "",
            "subdivision": locality.subdivision_code if locality else "",
            "latitude": str(locality.latitude)
            if locality and locality.latitude is not None
            else "",
            "longitude": str(locality.longitude)
            if locality and locality.longitude is not None
            else "",
        }

    def all_forms(self) -> list[forms.Form]:
        found: list[forms.Form] = [self.deal, self.place, self.reason_form]
        found += list(self.sources.forms) + list(self.organisations.forms)
        found += list(self.citations.forms)
        for formset in self.parts.values():
            for form in formset.forms:
                found.append(form)
                found += list(form.citations.forms)
        return found

    def all_formsets(self) -> list[forms.BaseFormSet]:
        formsets: list[forms.BaseFormSet] = [self.sources, self.organisations, self.citations]
        for formset in self.parts.values():
            formsets.append(formset)
            formsets += [form.citations for form in formset.forms]
        return formsets

    def is_valid(self) -> bool:
        results = [formset.is_valid() for formset in self.all_formsets()]
        results += [self.deal.is_valid(), self.place.is_valid(), self.reason_form.is_valid()]
        results.append(self.check_new_references())
        results.append(self.check_row_ids())
        return all(results) and not self.non_field_errors

    def check_row_ids(self) -> bool:
        """Every row sent with an id names a row of this deal as the page showed it. One that
        does not (removed meanwhile by someone else, or another record's row typed in) is
        refused with a message, never taken as a new row (review 5)."""
        fine = True

        def check(forms_: list[forms.Form], known: set[str]) -> None:
            nonlocal fine
            for form in forms_:
                given = (getattr(form, "cleaned_data", None) or {}).get("id")
                if given and given not in known:
                    form.add_error(None, GONE_ROW_MESSAGE)
                    fine = False

        check(self.citations.forms, self.cited_row_ids(self.deployment))
        for kind, formset in self.parts.items():
            records = {row_id(r._meta.model_name, r.pk): r for r in self.records[kind]}
            check(formset.forms, set(records))
            for form in formset.forms:
                record = records.get((getattr(form, "cleaned_data", None) or {}).get("id"))
                check(form.citations.forms, self.cited_row_ids(record))
        return fine

    def cited_row_ids(self, record: models.Model | None) -> set[str]:
        """The shown ids of the citations of ``record`` this page showed (none for a new one)."""
        if record is None or record.pk is None:
            return set()
        shown = self.cited.get((record._meta.model_name, record.pk), [])
        return {row_id("citation", citation.pk) for citation in shown}

    def check_new_references(self) -> bool:
        """Rows that pick a new source or organisation of this page pick a filled-in one."""
        filled = {
            "source": {
                f"{NEW}{i}" for i, form in enumerate(self.sources.forms) if form.has_changed()
            },
            "organisation": {
                f"{NEW}{i}" for i, form in enumerate(self.organisations.forms) if form.has_changed()
            },
        }
        messages = {
            "source": _("That new source is not filled in: give its title, or pick another."),
            "organisation": _("That new organisation is not filled in: give its name."),
        }
        fine = True
        picks: list[tuple[forms.Form, str, str]] = [
            (form, "source", "source") for form in self.live_forms(self.citations)
        ]
        for formset in self.parts.values():
            for form in self.live_forms(formset):
                picks += [(form, name, "organisation") for name in form.organisation_fields]
                picks += [(cite, "source", "source") for cite in self.live_forms(form.citations)]
        for form, name, kind in picks:
            value = str(form.cleaned_data.get(name) or "")
            if value.startswith(NEW) and value not in filled[kind]:
                form.add_error(name, messages[kind])
                fine = False
        return fine

    @staticmethod
    def live_forms(formset: forms.BaseFormSet) -> list[forms.Form]:
        """The rows of a formset that are kept and were filled in (validated ones only)."""
        return [
            form
            for form in formset.forms
            if getattr(form, "cleaned_data", None) and not formset._should_delete_form(form)
        ]

    def quiet(self) -> None:
        """Show the data again without judging it (after adding a row, before saving)."""
        for formset in self.all_formsets():
            formset._errors = [ErrorDict() for _form in formset.forms]
            formset._non_form_errors = ErrorList()
        for form in self.all_forms():
            form._errors = ErrorDict()

    def team(self) -> Team | None:
        return self.deal.chosen_team() if self.is_new else self.deployment.owner_team

    def reason_text(self) -> str:
        return (self.reason_form.cleaned_data.get("reason") or "").strip()

    # -- the change

    def changes(self) -> dict[str, Any]:
        """The plain-JSON change of this page (call after ``is_valid()``)."""
        changes: dict[str, Any] = {}
        self.paths = {"deployment": self.deal, "place": self.place}
        sources = self.new_rows(self.sources, "sources", services.SOURCE_FIELDS)
        organisations = self.new_rows(
            self.organisations, "organisations", services.NEW_ORGANISATION_FIELDS
        )
        if sources:
            changes["sources"] = sources
        if organisations:
            changes["organisations"] = organisations
        fields, was = self.deal_changes()
        if fields:
            changes["deployment"] = fields
        if self.is_new or self.place.has_changed():
            changes["place"] = self.place_change()
            if not self.is_new:
                was["place"] = plain_place(self.deployment)
        if was:
            changes["was"] = was
        citations = self.citation_rows(self.citations, "citations", self.deployment)
        if citations:
            changes["citations"] = citations
        for kind, formset in self.parts.items():
            rows = self.part_rows(kind, formset)
            if rows:
                changes[kind] = rows
        return changes

    def new_rows(
        self, formset: forms.BaseFormSet, key: str, names: tuple[str, ...]
    ) -> list[dict[str, Any]]:
        rows = []
        for index, form in enumerate(formset.forms):
            if not form.has_changed():
                continue
            row = {"ref": str(index)}
            row.update({name: plain(form.cleaned_data.get(name)) for name in names})
            self.paths[f"{key}.{len(rows)}"] = form
            rows.append(row)
        return rows

    def deal_changes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        cleaned = self.deal.cleaned_data
        if self.is_new:
            return {name: plain(cleaned.get(name)) for name in DEPLOYMENT_FIELDS}, {}
        changed = [name for name in self.deal.changed_data if name in DEPLOYMENT_FIELDS]
        fields = {name: plain(cleaned.get(name)) for name in changed}
        was = {name: plain_field(self.deployment, name) for name in changed}
        return fields, was

    def place_change(self) -> dict[str, Any]:
        cleaned = self.place.cleaned_data
        return {
            "country": cleaned.get("country") or "",
            "nationwide": bool(cleaned.get("nationwide")),
            "name": "" if cleaned.get("nationwide") else (cleaned.get("name") or "").strip(),
            "subdivision": (cleaned.get("subdivision") or "").strip(),
            "latitude": (cleaned.get("latitude") or "").strip(),
            "longitude": (cleaned.get("longitude") or "").strip(),
        }

    def part_rows(self, kind: str, formset: BaseRowFormSet) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        model = formset.model
        existing = {
            row_id(record._meta.model_name, record.pk): record for record in self.records[kind]
        }
        for form in formset.forms:
            record = existing.get(form.cleaned_data.get("id")) if form.cleaned_data else None
            deleting = formset._should_delete_form(form)
            path = f"{kind}.{len(rows)}"
            if record is None:
                if deleting or not form.has_changed():
                    continue
                row = {name: plain(form.cleaned_data.get(name)) for name in PART_FIELDS[kind]}
            elif deleting:
                self.paths[path] = form
                rows.append({"id": record.pk, "delete": True})
                continue
            else:
                changed = [name for name in form.changed_data if name in PART_FIELDS[kind]]
                row = {"id": record.pk}
                row.update({name: plain(form.cleaned_data.get(name)) for name in changed})
                if changed:
                    row["was"] = {name: plain_field(record, name) for name in changed}
            citations = self.citation_rows(form.citations, f"{path}.citations", record, model)
            if citations:
                row["citations"] = citations
            if record is not None and len(row) == 1:
                continue  # an existing row left as it was
            self.paths[path] = form
            rows.append(row)
        return rows

    def citation_rows(
        self,
        formset: forms.BaseFormSet,
        base: str,
        record: models.Model | None,
        model: type[models.Model] = Deployment,
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        existing: dict[str, Citation] = {}
        if record is not None:
            shown = self.cited.get((record._meta.model_name, record.pk), [])
            existing = {row_id("citation", citation.pk): citation for citation in shown}
        for form in formset.forms:
            citation = existing.get(form.cleaned_data.get("id")) if form.cleaned_data else None
            deleting = formset._should_delete_form(form)
            path = f"{base}.{len(rows)}"
            if citation is None:
                if deleting or not form.has_changed():
                    continue
                row = {name: plain(form.cleaned_data.get(name)) for name in CITATION_FIELDS}
            elif deleting:
                row = {"id": citation.pk, "delete": True}
            else:
                changed = [name for name in form.changed_data if name in CITATION_FIELDS]
                if not changed:
                    continue
                row = {"id": citation.pk}
                row.update({name: plain(form.cleaned_data.get(name)) for name in changed})
                row["was"] = {name: plain_citation(citation, name) for name in changed}
            self.paths[path] = form
            rows.append(row)
        return rows

    # -- problems

    def add_errors(self, error: ValidationError) -> None:
        """Put the problems the services found on the fields they are about."""
        messages = (
            error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        )
        for path, texts in messages.items():
            form, field = self.form_for(path)
            if form is None:
                self.non_field_errors += [
                    text if path == "__all__" else f"{describe_path(path)}: {text}"
                    for text in texts
                ]
                continue
            if field not in form.fields:
                field = None
            if form._errors is None:
                form.full_clean()
            form.add_error(field, list(texts))

    def form_for(self, path: str) -> tuple[forms.Form | None, str | None]:
        parts = path.split(".")
        for length in range(len(parts), 0, -1):
            prefix = ".".join(parts[:length])
            if prefix in self.paths:
                rest = parts[length:]
                return self.paths[prefix], (rest[0] if rest else None)
        return None, None

    def problems(self) -> list[dict[str, str]]:
        """Every problem on the page, in page order, each with where it is and a link."""
        found = [
            {"where": "", "message": text, "anchor": "deal-form"} for text in self.non_field_errors
        ]
        for section, label, form in self.labelled_forms():
            if not form.is_bound or form._errors is None:
                continue
            for name, texts in form.errors.items():
                if name == "__all__":
                    anchor, field_label = f"{form.prefix or section}", ""
                else:
                    anchor = form[name].auto_id if name in form.fields else (form.prefix or section)
                    field_label = str(form.fields[name].label) if name in form.fields else name
                where = ", ".join(part for part in (label, field_label) if part)
                for text in texts:
                    found.append({"where": where, "message": text, "anchor": anchor})
        for formset in self.all_formsets():
            if formset.is_bound and formset._non_form_errors:
                for text in formset.non_form_errors():
                    found.append({"where": "", "message": text, "anchor": formset.prefix})
        return found

    def labelled_forms(self) -> list[tuple[str, str, forms.Form]]:
        labelled = [
            ("deal", _("The deal"), self.deal),
            ("place", _("Place"), self.place),
            ("reason", "", self.reason_form),
        ]
        for index, form in enumerate(self.sources.forms):
            labelled.append(("sources", _("New source %(number)d") % {"number": index + 1}, form))
        for index, form in enumerate(self.organisations.forms):
            labelled.append(
                ("organisations", _("New organisation %(number)d") % {"number": index + 1}, form)
            )
        for index, form in enumerate(self.citations.forms):
            labelled.append(
                ("citations", _("Source of the deal %(number)d") % {"number": index + 1}, form)
            )
        for kind, formset in self.parts.items():
            noun = SECTION_NOUNS[kind]
            for index, form in enumerate(formset.forms):
                row = f"{noun} {index + 1}"
                labelled.append((kind, row, form))
                for number, citation in enumerate(form.citations.forms):
                    labelled.append(
                        (
                            kind,
                            _("%(row)s, source %(number)d") % {"row": row, "number": number + 1},
                            citation,
                        )
                    )
        return labelled


def plain(value: Any) -> Any:
    """A cleaned form value as plain JSON, as atlas.services reads it."""
    if isinstance(value, Technology):
        return value.slug
    if isinstance(value, models.Model):
        return getattr(value, "slug", None) or getattr(value, "code", None) or value.pk
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None:
        return None
    return value


def plain_citation(citation: Citation, name: str) -> Any:
    if name == "source":
        return str(citation.source.key)
    return getattr(citation, name)


def add_row(data: Any, target: str) -> Any:
    """The posted data with one more row in the formset named ``target`` (the page's "add"
    buttons without JavaScript); unknown targets change nothing."""
    if not MORE_PATTERN.match(target or ""):
        return data
    key = f"{target}-TOTAL_FORMS"
    if key not in data:
        return data
    data = data.copy()
    try:
        total = int(data[key])
    except (TypeError, ValueError):
        return data
    data[key] = str(min(total + 1, MAX_ROWS))
    data[f"{target}-ADDED"] = str(total)
    return data
