"""Where an authority sits, as the deadline engine needs it (reads only).

The deadline engine is pure: it takes a :class:`~citywatch.foi.laws.Seat` (region,
municipality, the municipality's local holidays entered by staff). These functions build that
seat from an authority's record or from the calculator's inputs, and give the time zone in
which the authority keeps its day.

>>> authority_time_zone(authority, law)       # doctest: +SKIP
'Europe/Madrid'
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from citywatch.actors.models import Organisation
from citywatch.foi.laws import FoiLaw, Seat, seat_time_zone
from citywatch.places.models import LocalHoliday, Locality


def _catalogue_law(law: Any) -> FoiLaw:
    """The catalogue form of a law given as catalogue data or as a ``FoiLaw`` record."""
    return law.as_catalogue() if hasattr(law, "as_catalogue") else law


def _local_holidays(municipality: Locality | None) -> tuple[tuple[dt.date, str], ...]:
    if municipality is None or municipality.pk is None:
        return ()
    rows = LocalHoliday.objects.filter(municipality=municipality).values_list("date", "name")
    return tuple(sorted(rows))


def _seat(country: str, subdivision: str, municipality: Locality | None, name: str) -> Seat:
    local = _local_holidays(municipality)
    return Seat(
        country=country,
        subdivision=subdivision,
        municipality=name,
        local_holidays=local,
        local_years=frozenset(day.year for day, _name in local),
    )


def seat_of(authority: Organisation | None) -> Seat | None:
    """The seat of an authority as recorded (country, region, municipality and its local
    holidays), or None when nothing beyond its country is known."""
    if authority is None:
        return None
    municipality = authority.seat_municipality
    region = authority.seat_region
    if not region and municipality is None:
        return None
    return _seat(
        authority.country_id or "",
        region,
        municipality,
        municipality.name if municipality is not None else "",
    )


def find_municipality(country: str, name: str) -> Locality | None:
    """The locality called ``name`` (any case) in ``country``, or None."""
    if not name.strip():
        return None
    return (
        Locality.objects.filter(country_id=country.upper(), name__iexact=name.strip())
        .order_by("pk")
        .first()
    )


def seat_from_input(country: str, subdivision: str = "", municipality: str = "") -> Seat | None:
    """A seat typed into the calculator, the API or the command.

    ``subdivision`` is an ISO 3166-2 code (already validated by the caller); ``municipality``
    a name, looked up among the localities of ``country`` for its local holidays. A name
    CityWatch does not know is kept, so the explanation can say that no local holidays are
    entered for it. Returns None when neither is given.
    """
    subdivision = subdivision.strip().upper()
    municipality = municipality.strip()
    if not subdivision and not municipality:
        return None
    locality = find_municipality(country, municipality)
    if locality is not None and not subdivision:
        subdivision = locality.subdivision_code
    return _seat(
        country.upper(), subdivision, locality, locality.name if locality else municipality
    )


def authority_time_zone(authority: Organisation | None, law: Any) -> str:
    """The IANA time zone in which ``authority`` keeps its day under ``law``.

    ``law`` is the catalogue law or its ``FoiLaw`` record. The law's zone (see each law's
    ``time_zone``), refined by the authority's seat where its region keeps another clock (a
    Spanish body in the Canary Islands: Atlantic/Canary).
    """
    catalogue_law = _catalogue_law(law)
    if authority is None:
        return catalogue_law.time_zone
    seat = Seat(country=authority.country_id or "", subdivision=authority.seat_region)
    return seat_time_zone(catalogue_law, seat)


def authority_local_date(moment: dt.datetime, authority: Organisation | None, law: Any) -> dt.date:
    """The authority's local calendar day at ``moment`` (an aware datetime).

    An e-mail sent at 23:30 UTC on 3 June 2024 reaches a London authority on 4 June.

    Raises:
        ValueError: ``moment`` is naive (without a time zone).
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the moment must carry its time zone")
    return moment.astimezone(ZoneInfo(authority_time_zone(authority, law))).date()
