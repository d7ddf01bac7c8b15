"""The public tip form and the reviewer's form for turning a tip into a deployment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from citywatch.actors.models import Organisation, OrganisationKind
from citywatch.atlas.models import DeploymentStatus
from citywatch.core.choices import Certainty, Visibility
from citywatch.evidence import cleaning
from citywatch.places.models import Country
from citywatch.teams import permissions

# Every text field has a limit, in the browser (maxlength) and on the server.
WHAT_MAX = 2000
DETAILS_MAX = 5000
PLACE_MAX = 300
VENDOR_MAX = 200
URL_MAX = 1000
HONEYPOT_FIELD = "website"
WEB_ONLY = URLValidator(schemes=["http", "https"])


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Country) -> str:
        return str(obj.name)


def countries() -> Any:
    return Country.objects.order_by("english_name")


class TipForm(forms.Form):
    """What the public fills in. Nothing here asks who they are."""

    what = forms.CharField(
        label=_("What is being deployed?"),
        max_length=WHAT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Cameras, facial recognition, a control centre, a contract, a pilot…"),
    )
    place = forms.CharField(
        label=_("Where?"),
        max_length=PLACE_MAX,
        required=False,
        help_text=_("A city, a region, a street."),
    )
    country = CountryChoiceField(
        label=_("Country"),
        queryset=Country.objects.none(),
        required=False,
        empty_label=_("(not sure)"),
    )
    vendor = forms.CharField(
        label=_("Which vendor?"),
        max_length=VENDOR_MAX,
        required=False,
        help_text=_("E.g. Huawei, Hikvision, Dahua, ZTE, NEC."),
    )
    source_url = forms.URLField(
        label=_("A link to a source"),
        max_length=URL_MAX,
        required=False,
        assume_scheme="https",
        validators=[WEB_ONLY],
        help_text=_("A news article, a procurement notice, an official announcement."),
    )
    details = forms.CharField(
        label=_("Anything else"),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachment = forms.FileField(
        label=_("A photo or document (optional)"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP photos, PDF, Word, Excel, PowerPoint or OpenDocument files, up "
            "to 10 MB. "
            "Location, camera and author details are removed before the file is stored."
        ),
    )
    # Left empty by people; filled in by bots that fill in every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, upload_refused: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries()
        self.upload_refused = upload_refused

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def public_fields(self) -> list:
        """The fields people see (the honeypot is rendered apart, out of sight)."""
        return [field for field in self.visible_fields() if field.name != HONEYPOT_FIELD]

    def clean_attachment(self) -> cleaning.CleanedFile | None:
        """Check the file by its content and clean it (mat2, then our own pass, in a private
        folder removed at once); the result is what is kept."""
        if self.upload_refused:
            raise forms.ValidationError(self.upload_refused)
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if upload.size > cleaning.MAX_BYTES:
            raise forms.ValidationError(cleaning.too_large_message())
        try:
            return cleaning.clean_file(upload.read())
        except cleaning.CannotClean as refused:
            raise forms.ValidationError(str(refused)) from refused


class TipAcceptForm(forms.Form):
    """What a reviewer completes before the tip becomes a (draft) deployment."""

    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.none())
    locality_name = forms.CharField(
        label=_("Locality"),
        max_length=200,
        required=False,
        help_text=_("A city or region. Leave empty for a country-wide deployment."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=8,
        decimal_places=5,
        min_value=-90,
        max_value=90,
        required=False,
        help_text=_("Only for a new locality that is not in the city list."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=8,
        decimal_places=5,
        min_value=-180,
        max_value=180,
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=DeploymentStatus.choices)
    certainty = forms.ChoiceField(label=_("Certainty"), choices=Certainty.choices)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        help_text=_("Public deployments appear on the map at once."),
    )
    vendor = forms.ModelChoiceField(
        label=_("Vendor (supplier)"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
    )
    source_title = forms.CharField(
        label=_("Title of the tip's source"),
        max_length=500,
        required=False,
        help_text=_("The link becomes a crowd-sourced source cited on the deployment."),
    )
    publish_attachment = forms.BooleanField(
        label=_("Publish the tip's file as a source"),
        required=False,
        help_text=_("The file was stripped of identifying metadata when it arrived."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        has_link: bool = True,
        has_file: bool = False,
        user: Any = None,
        **kwargs: Any,
    ) -> None:
        """``user``: the reviewer; the vendors offered are those the reviewer may see."""
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries()
        self.fields["vendor"].queryset = (
            permissions.visible(user, Organisation)
            .filter(kind=OrganisationKind.VENDOR)
            .order_by("name")
        )
        if not has_link:
            del self.fields["source_title"]
        if not has_file:
            del self.fields["publish_attachment"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data
