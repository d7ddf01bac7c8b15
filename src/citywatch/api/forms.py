from django import forms
from django.utils.translation import gettext_lazy as _

from citywatch.api.models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'R scripts'.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial="read")

    def __init__(self, *args, can_write: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_write:
            self.fields["scope"].choices = [(TokenScope.READ, TokenScope.READ.label)]
            self.fields["scope"].help_text = _("Only reviewers may create write tokens.")
