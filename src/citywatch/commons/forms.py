from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from citywatch.atlas.models import Deployment
from citywatch.commons.models import Profile
from citywatch.commons.services import EDITABLE_DEPLOYMENT_FIELDS


class DeploymentProposalForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Why, and on what source?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    class Meta:
        model = Deployment
        fields = EDITABLE_DEPLOYMENT_FIELDS
        widgets = {"embargo_until": forms.DateInput(attrs={"type": "date"})}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "credit_publicly"]
