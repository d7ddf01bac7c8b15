"""Forms for uploading documents, citing passages and accepting suggestions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from citywatch.core.public_keys import opaque_id
from citywatch.evidence import cleaning
from citywatch.evidence.models import Source

DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def max_upload_bytes() -> int:
    return getattr(settings, "CITYWATCH_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


class DocumentForm(forms.ModelForm):
    """A new source made from an uploaded file (PDF, web page, text or image)."""

    upload = forms.FileField(
        label=_("File"), help_text=_("PDF, HTML, plain text or an image, e.g. an FOI reply.")
    )

    class Meta:
        model = Source
        fields = [
            "title",
            "kind",
            "publisher",
            "published_on",
            "language",
            "url",
            "notes",
            "owner_team",
            "visibility",
        ]

    def __init__(self, *args: Any, team_ids: list[int] | None = None, **kwargs: Any) -> None:
        """``team_ids``: the teams that may own the new source (those the user contributes
        to, decided by the permission module)."""
        super().__init__(*args, **kwargs)
        team_field = self.fields["owner_team"]
        team_field.queryset = team_field.queryset.filter(pk__in=team_ids or [])
        team_field.to_field_name = "slug"  # as every choice of a form: never a database number
        self.only_team = team_field.queryset[0] if len(team_field.queryset) == 1 else None
        team_field.required = self.only_team is None
        team_field.initial = self.only_team.slug if self.only_team else None
        self.fields["visibility"].required = False
        self.fields["visibility"].initial = "private"
        self.fields["visibility"].help_text = _(
            "A contributor's upload stays private to the team until a reviewer publishes it. "
            "Published or not, a source is shown only beside records that cite it."
        )

    def clean_owner_team(self) -> Any:
        """The user's only team when they have one and chose none."""
        return self.cleaned_data.get("owner_team") or self.only_team

    def clean_visibility(self) -> str:
        return self.cleaned_data.get("visibility") or "private"

    def clean_upload(self) -> Any:
        """The uploaded file, its author's traces removed (citywatch.evidence.cleaning): the
        cleaned bytes replace the upload before anything keeps them."""
        upload = self.cleaned_data["upload"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": max_upload_bytes() // (1024 * 1024)}
            )
        try:
            content = cleaning.clean_document(upload.read(), max_upload_bytes())
        except cleaning.CannotClean as refused:
            raise forms.ValidationError(str(refused)) from refused
        return ContentFile(content, name=upload.name)


class AttachForm(forms.Form):
    """A file for an existing source."""

    upload = forms.FileField(label=_("File"))

    clean_upload = DocumentForm.clean_upload


def fact_value(content_type: ContentType, pk: int, field_name: str) -> str:
    """The value a fact's option carries in the page: "model:opaque id:field", the id an HMAC
    of the record's number (``opaque_id``), never the number itself, which would count the
    hidden deployments' parts made in between. ``CiteForm.target`` reads it back among the
    deployment's own facts."""
    model = content_type.model
    return f"{model}:{opaque_id(f'fact.{model}', pk)}:{field_name}"


def fact_choices(deployment: Any) -> list[tuple[str, str]]:
    """The facts of a deployment a passage can be cited for, as (``fact_value``, label)."""
    return [(value, label) for value, label, _target in fact_options(deployment)]


def fact_options(deployment: Any) -> list[tuple[str, str, tuple[int, int, str]]]:
    """The facts of a deployment a passage can be cited for: (value shown in the page, label,
    (content type id, record number, field name))."""

    def option(record: Any, field_name: str, label: str) -> tuple[str, str, tuple[int, int, str]]:
        content_type = ContentType.objects.get_for_model(record)
        value = fact_value(content_type, record.pk, field_name)
        return (value, label, (content_type.pk, record.pk, field_name))

    choices = [
        option(deployment, "", _("The deployment as a whole")),
        option(deployment, "status", _("Its status")),
        option(deployment, "locality", _("Its place")),
    ]
    for party in deployment.parties.select_related("organisation"):
        choices.append(option(party, "", f"{_('Party')}: {party}"))
    for component in deployment.components.select_related("technology"):
        label = f"{_('Component')}: {component.technology.display_name}"
        choices.append(option(component, "", label))
        choices.append(option(component, "quantity", f"{label} — {_('quantity')}"))
    for money in deployment.money.all():
        choices.append(option(money, "amount", f"{_('Money')}: {money} — {_('amount')}"))
    for event in deployment.events.all():
        choices.append(option(event, "", f"{_('Event')}: {event}"))
    for claim in deployment.claims.all():
        choices.append(option(claim, "", f"{_('Vendor claim')}: {claim.statement[:60]}"))
    return choices


class CiteForm(forms.Form):
    fact = forms.ChoiceField(label=_("Fact"))
    quote = forms.CharField(
        label=_("Quote"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Select a passage in the text to fill this in, or type it word for word."),
    )
    locator = forms.CharField(label=_("Page or locator"), max_length=100, required=False)
    stated_value = forms.CharField(
        label=_("Value stated by this source"), max_length=300, required=False
    )

    def __init__(self, *args: Any, deployment: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = fact_options(deployment) if deployment else []
        self.fields["fact"].choices = [(value, label) for value, label, _target in options]
        self.targets = {value: target for value, _label, target in options}

    def target(self) -> tuple[int, int, str]:
        """The chosen fact as (content type id, record number, field name)."""
        return self.targets[self.cleaned_data["fact"]]
