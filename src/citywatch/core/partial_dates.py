"""Dates of known precision: "2019", "2019-03" (March 2019) or "2019-11-19".

A partial date is stored as its ISO text, so it keeps its precision and sorts correctly as
plain text on every database: "2019" < "2019-03" < "2019-03-05" < "2020".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

PARTIAL_DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

YEAR = "year"
MONTH = "month"
DAY = "day"


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """The partial date written as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (surrounding
        spaces allowed).

        Raises:
            ValueError: when the text has another form, or its year, month or day is out of range.
        """
        match = PARTIAL_DATE_PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"not a date of the form YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
        year, month, day = (int(part) if part else None for part in match.groups())
        value = cls(year, month, day)
        value.check()
        return value

    def check(self) -> None:
        """Check the parts: a year in 1…9999, a month in 1…12 and a day that exists in its
        month; a day needs a month.

        Raises:
            ValueError: when a part is out of range, or a day is given without a month.
        """
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            last_day = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last_day:
                raise ValueError(f"day out of range for {self.year}-{self.month:02d}: {self.day}")

    @property
    def precision(self) -> str:
        if self.day is not None:
            return DAY
        if self.month is not None:
            return MONTH
        return YEAR

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def display(self) -> str:
        """As precise as it is, in the active language: "2019", "March 2021", "19 Nov 2019"."""
        if self.precision == YEAR:
            return str(self.year)
        if self.precision == MONTH:
            return formats.date_format(self.first_day(), "YEAR_MONTH_FORMAT")
        return formats.date_format(self.first_day(), "DATE_FORMAT")

    def __str__(self) -> str:
        return self.isoformat()


def validate_partial_date(value: Any) -> None:
    """Field validator: a blank value, or a partial date ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``.

    Raises:
        ValidationError: (code ``invalid_partial_date``) when the value is not such a date.
    """
    if value in (None, ""):
        return
    try:
        PartialDate.parse(str(value))
    except ValueError as error:
        raise ValidationError(
            _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (%(error)s)."),
            code="invalid_partial_date",
            params={"error": error},
        ) from error


class PartialDateField(models.CharField):
    """A date of year, month or day precision, stored as ISO text ("2019", "2019-03")."""

    description = _("Date of year, month or day precision")
    default_validators = [validate_partial_date]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text", _("YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source is.")
        )
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 10:
            del kwargs["max_length"]
        return name, path, args, kwargs


def display_partial_date(text: str | None) -> str:
    """Render a stored partial date for people; empty text stays empty."""
    if not text:
        return ""
    try:
        return PartialDate.parse(text).display()
    except ValueError:
        return text
