"""Choices used by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners only")
    PRIVATE = "private", _("Private to the owning team")


class Certainty(models.TextChoices):
    DOCUMENTED = "documented", _("Documented")
    REPORTED = "reported", _("Reported")
    VENDOR_CLAIM = "vendor_claim", _("Vendor claim")
    SPECULATIVE = "speculative", _("Speculative")
