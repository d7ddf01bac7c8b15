"""The catalogue of freedom-of-information laws: the schema and one data module per
jurisdiction.

``citywatch.foi.laws.schema`` defines what a law is; ``spain``, ``france``, ``serbia``,
``uganda``, ``united_kingdom``, ``germany``, ``united_states``, ``india``, ``brazil``,
``south_africa``, ``kenya`` and ``myanmar`` hold the data. This package gathers them:

>>> from citywatch.foi.laws import get_law
>>> get_law("gb-foia-2000").period
Period(amount=20, unit=<Unit.WORKING_DAYS: 'working_days'>)
"""

from __future__ import annotations

from citywatch.foi.laws import (
    brazil,
    france,
    germany,
    india,
    kenya,
    myanmar,
    serbia,
    south_africa,
    spain,
    uganda,
    united_kingdom,
    united_states,
)
from citywatch.foi.laws.schema import (
    CHECKED_2026_11,
    FIGURE_LABELS,
    SATURDAY_SUNDAY,
    SUBDIVISION_TIME_ZONES,
    SUNDAY_ONLY,
    AppealStage,
    AppealTrigger,
    Basis,
    ClockStart,
    ClockStopRule,
    Extension,
    Figure,
    FoiLaw,
    HolidayCalendar,
    Note,
    Period,
    Rollover,
    Seat,
    SilenceEffect,
    Source,
    StopEffect,
    StopKind,
    StrOrPromise,
    Unit,
    figure_label,
    iter_texts,
    law_from_dict,
    law_to_dict,
    seat_time_zone,
)

__all__ = [
    "CHECKED_2026_11",
    "FIGURE_LABELS",
    "SATURDAY_SUNDAY",
    "SUBDIVISION_TIME_ZONES",
    "SUNDAY_ONLY",
    "AppealStage",
    "AppealTrigger",
    "Basis",
    "ClockStart",
    "ClockStopRule",
    "Extension",
    "Figure",
    "FoiLaw",
    "HolidayCalendar",
    "Note",
    "Period",
    "Rollover",
    "Seat",
    "SilenceEffect",
    "Source",
    "StopEffect",
    "StopKind",
    "StrOrPromise",
    "Unit",
    "all_laws",
    "figure_label",
    "get_law",
    "iter_texts",
    "law_from_dict",
    "law_to_dict",
    "seat_time_zone",
]

_LAWS: tuple[FoiLaw, ...] = (
    *spain.LAWS,
    *france.LAWS,
    *serbia.LAWS,
    *uganda.LAWS,
    *united_kingdom.LAWS,
    *germany.LAWS,
    *united_states.LAWS,
    *india.LAWS,
    *brazil.LAWS,
    *south_africa.LAWS,
    *kenya.LAWS,
    *myanmar.LAWS,
)
_BY_ID: dict[str, FoiLaw] = {law.id: law for law in _LAWS}


def all_laws() -> tuple[FoiLaw, ...]:
    """Every law in the catalogue, in a stable order."""
    return _LAWS


def get_law(law_id: str) -> FoiLaw:
    """The law with this id.

    Raises:
        KeyError: no law has this id; the message names the known ids.
    """
    try:
        return _BY_ID[law_id]
    except KeyError:
        known = ", ".join(sorted(_BY_ID))
        raise KeyError(f"unknown FOI law {law_id!r}; known laws: {known}") from None
