"""Latitude and longitude validators shared by places and anything else with a point."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

LATITUDE_VALIDATORS = [
    MinValueValidator(Decimal("-90"), message=_("Latitude must be between -90 and 90.")),
    MaxValueValidator(Decimal("90"), message=_("Latitude must be between -90 and 90.")),
]
LONGITUDE_VALIDATORS = [
    MinValueValidator(Decimal("-180"), message=_("Longitude must be between -180 and 180.")),
    MaxValueValidator(Decimal("180"), message=_("Longitude must be between -180 and 180.")),
]
