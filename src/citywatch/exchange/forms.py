from django import forms
from django.utils.translation import gettext_lazy as _

from citywatch.exchange.imports import FORMAT_CHOICES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV or JSON, UTF-8, up to 20 MB."))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Recognise from the file")), *FORMAT_CHOICES],
        required=False,
    )
    scheme = forms.SlugField(
        label=_("Name of your ids"),
        initial="external",
        max_length=40,
        help_text=_(
            "For CSV rows with an external_id column: a short name for whose ids they are "
            "(e.g. your organisation), so the next import of the same rows updates them."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload
