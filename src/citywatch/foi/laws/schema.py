"""The shape of a freedom-of-information law, as plain data.

Each law is a frozen dataclass that the deadline engine (:mod:`citywatch.foi.deadlines`) reads;
the data itself lives in one module per jurisdiction beside this one. Nothing here touches the
database: the same records seed the ``FoiLaw`` table, fill the law pages and the API, and are
checked in tests. The only Django import is ``gettext_lazy``, so that every text a reader sees
(names, appeal stages, notes, source descriptions) can be translated.

**A source for every figure.** Each figure of a law (its response period, the rollover rule,
the holiday calendar, the extension, what silence means, each clock stop, each appeal stage)
carries a :class:`Basis`: the provision it comes from, the sources it was checked against
(address, description, month of the check) and, when it could not be confirmed, a note saying
what is known. :meth:`Basis.is_complete` is false for a figure with neither a source nor a
"not verified" note; a test keeps the catalogue complete.

Texts meant for readers are lazy translation strings; :func:`law_to_dict` stores their source
(English) text, and :func:`law_from_dict` turns them back into lazy strings, so a law read from
the database is shown in the reader's language wherever a translation exists.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

StrOrPromise = str | Promise

SATURDAY_SUNDAY = frozenset({5, 6})
SUNDAY_ONLY = frozenset({6})

# The month in which the catalogue's figures were last checked against their sources
# (see /work/shared/laws/verified-figures.md, November 2026), as YYYY-MM.
CHECKED_2026_11 = "2026-11"
_CHECKED_FORMAT = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")


class Unit(StrEnum):
    """How a period is counted."""

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"  # seven calendar days each
    MONTHS = "months"


class ClockStart(StrEnum):
    """When the count begins.

    ``DAY_AFTER_RECEIPT``: day one is the day after the request reached the authority, whatever
    kind of day receipt was on.

    ``DAY_AFTER_RECEIPT_WORKING``: a request received on a non-working day counts as received
    on the next working day; day one is the day after that (Spain, Ley 39/2015 art. 31.2.b).
    """

    DAY_AFTER_RECEIPT = "day_after_receipt"
    DAY_AFTER_RECEIPT_WORKING = "day_after_receipt_working"


class Rollover(StrEnum):
    """What happens when the last day of a period is not a working day."""

    NEXT_WORKING_DAY = "next_working_day"
    NONE = "none"


class SilenceEffect(StrEnum):
    """What the law says an unanswered request means once the deadline has passed."""

    DEEMED_REFUSED = "deemed_refused"
    DEEMED_GRANTED = "deemed_granted"
    NOTHING = "nothing"


class StopKind(StrEnum):
    """Why an authority may stop the clock."""

    CLARIFICATION = "clarification"
    FEES = "fees"
    THIRD_PARTY = "third_party"


class StopEffect(StrEnum):
    """How the clock behaves once the reason for stopping it is gone."""

    PAUSE = "pause"  # resumes where it stopped; the stopped days are not counted
    RESTART = "restart"  # starts again from zero on the day the reply arrives


class AppealTrigger(StrEnum):
    """The event from which a requester's appeal period runs."""

    DECISION = "decision_notified"
    SILENCE = "deadline_expired"
    REVIEW_DECISION = "review_decision_notified"
    SECOND_REVIEW_DECISION = "second_review_decision_notified"
    COMMISSIONER_DECISION = "commissioner_decision_notified"


# --- where a figure comes from -----------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A place a figure was checked against.

    ``url`` is the address (official text, regulator's page, court decision or guidance);
    ``description`` says in a few words what it is (a translatable text); ``checked`` is when
    the figure was last checked against it, as ``YYYY-MM`` (or ``YYYY-MM-DD``): the precision
    of the record, no finer.
    """

    url: str
    description: StrOrPromise
    checked: str = CHECKED_2026_11


@dataclass(frozen=True)
class Basis:
    """The legal basis of one figure: provision, sources and how sure we are.

    ``provision`` is the legal reference in the statute's own terms ("FOIA 2000 s. 10(1)",
    "Ley 39/2015 art. 30.5"); it is not translated. ``verified`` is false when the figure
    could not be confirmed, and ``note`` then says what is known and what is not. A confirmed
    figure may carry a note too (a remark, e.g. that a limit is guidance, not law).
    """

    provision: str = ""
    sources: tuple[Source, ...] = ()
    verified: bool = True
    note: StrOrPromise = ""

    @property
    def checked(self) -> str:
        """The latest month any source was checked (``YYYY-MM``), or "" without sources."""
        return max((source.checked for source in self.sources), default="")

    def is_complete(self) -> bool:
        """True when the figure has a source and a provision (or, for the absence of a law, a
        note), or is marked not verified with a note saying what is known. The catalogue's
        completeness test relies on this."""
        said = bool(self.provision) or bool(str(self.note).strip())
        sourced = said and any(source.url for source in self.sources)
        dates_ok = all(_CHECKED_FORMAT.match(source.checked) for source in self.sources)
        flagged = not self.verified and bool(str(self.note).strip())
        return dates_ok and (sourced or flagged)


@dataclass(frozen=True)
class Note:
    """A remark about one figure of a law; ``verified=False`` marks a figure as unconfirmed.

    ``topic`` is the figure's key (``period``, ``extension``, ``appeal:<stage id>``...); it
    is data for programs and is never shown as such: pages show :func:`figure_label`.
    """

    topic: str
    text: StrOrPromise
    verified: bool = True


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit


@dataclass(frozen=True)
class Extension:
    """An extension the authority may take (normally by notifying the requester in time).

    Either a fixed ``amount`` of ``unit`` (taken up to ``times`` times), or, when ``share`` is
    set, a share of the initial period (``(1, 2)``: half of it, Llei 19/2014 art. 33.2),
    counted in calendar days from the end of the initial period: the number of days in the
    initial period times the share, rounded up.
    """

    amount: int = 0
    unit: Unit = Unit.CALENDAR_DAYS
    times: int = 1
    share: tuple[int, int] | None = None

    def days_for(self, initial_days: int) -> int:
        """Calendar days of a share extension for an initial period of ``initial_days``.

        Raises:
            ValueError: the extension is not a share of the period.
        """
        if self.share is None:
            raise ValueError("this extension is a fixed amount, not a share of the period")
        numerator, denominator = self.share
        return math.ceil(initial_days * numerator / denominator)


@dataclass(frozen=True)
class ClockStopRule:
    kind: StopKind
    effect: StopEffect
    basis: Basis = field(default_factory=Basis)

    @property
    def citation(self) -> str:
        return self.basis.provision


@dataclass(frozen=True)
class HolidayCalendar:
    """Which days are not working days, for the ``holidays`` package.

    ``subdivisions`` lists subdivision codes as the ``holidays`` package spells them ("MD",
    "SCT"); when there are several, a holiday in any of them is a non-working day (the UK
    Freedom of Information Act counts bank holidays in any part of the UK). ``weekend`` holds
    ``date.weekday()`` numbers (Monday is 0). ``language`` picks the language of holiday names.

    ``seat_subdivision``: the holidays of the first-level subdivision where the authority sits
    replace ``subdivisions`` when that seat is known (Spain, Ley 39/2015 art. 30.6; Germany,
    BGB § 193). ``seat_municipality``: the local holidays of the seat's municipality, entered
    by staff, are non-working days too (Spain, Ley 39/2015 art. 30.7). ``local_days`` holds
    those local holidays for one computation (date, name); the law's own calendar has none.
    """

    country: str
    subdivisions: tuple[str, ...] = ()
    language: str | None = None
    weekend: frozenset[int] = SATURDAY_SUNDAY
    seat_subdivision: bool = False
    seat_municipality: bool = False
    local_days: tuple[tuple[date, str], ...] = ()


@dataclass(frozen=True)
class AppealStage:
    """A step the requester can take, with the requester's own deadline.

    ``period`` is ``None`` when no time limit applies (``basis.verified``) or none could be
    found (not verified). ``any_time`` marks a stage that is in practice accepted at any time
    although a period is stated: the stated date is still computed, as the safe target.
    ``advisory`` marks a time limit that is a body's guidance, not a rule of law (the ICO's six
    weeks). ``trigger_note`` is one sentence for a stage whose period runs from a date the
    requester may not know (intimation, the day a notice was sent). ``rollover`` overrides the
    law's rollover rule for this stage.
    """

    id: str
    name: StrOrPromise
    body: StrOrPromise
    period: Period | None
    counted_from: AppealTrigger
    basis: Basis = field(default_factory=Basis)
    rollover: Rollover | None = None
    any_time: bool = False
    advisory: bool = False
    trigger_note: StrOrPromise = ""

    @property
    def citation(self) -> str:
        return self.basis.provision

    @property
    def verified(self) -> bool:
        return self.basis.verified

    @property
    def note(self) -> StrOrPromise:
        return self.basis.note


@dataclass(frozen=True)
class Figure:
    """One figure of a law with its basis; ``key`` is stable data, never shown as such."""

    key: str
    basis: Basis
    stage: AppealStage | None = None


@dataclass(frozen=True, kw_only=True)
class FoiLaw:
    """One freedom-of-information law (or, for Myanmar, the absence of one).

    ``name`` and ``short_name`` are translatable (a Serbian page shows the Serbian name of
    Serbia's law); ``official_name`` is the title in the law's own language, never translated.
    ``citation`` lists the main provisions, for letters ("FOIA 2000 s. 1 and s. 10"): no prose.
    ``time_zone`` is the IANA zone the law's authorities keep their day in (see
    docs/foi-deadlines.md for each choice); :func:`seat_time_zone` refines it by the seat.
    """

    id: str
    country: str  # ISO 3166-1 alpha-2
    subdivision: str | None  # ISO 3166-2, e.g. "ES-MD"
    name: StrOrPromise
    short_name: StrOrPromise
    official_name: str
    citation: str
    url: str  # official text, or "" when no address could be confirmed
    time_zone: str
    period: Period | None  # None: no law, nothing binds the authority
    period_basis: Basis
    start: ClockStart
    rollover: Rollover
    rollover_basis: Basis
    calendar: HolidayCalendar
    calendar_basis: Basis
    extension: Extension | None
    extension_basis: Basis
    silence: SilenceEffect
    silence_basis: Basis
    stops: tuple[ClockStopRule, ...] = ()
    stops_basis: Basis = field(default_factory=Basis)  # about clock stops in general
    appeals: tuple[AppealStage, ...] = ()
    advisory_follow_up_days: int | None = None  # only for countries without a law

    @property
    def jurisdiction(self) -> str:
        return self.subdivision or self.country

    @property
    def has_law(self) -> bool:
        return self.period is not None

    def figures(self) -> tuple[Figure, ...]:
        """Every figure of the law with its basis, in the order pages show them.

        A country without a law has one figure: the absence of a law (``period``). The
        general ``stops`` figure appears only when the law records something about stops
        beyond its stop rules (e.g. that fees do not stop the clock).
        """
        if not self.has_law:
            return (Figure("period", self.period_basis),)
        found = [
            Figure("period", self.period_basis),
            Figure("rollover", self.rollover_basis),
            Figure("calendar", self.calendar_basis),
            Figure("extension", self.extension_basis),
            Figure("silence", self.silence_basis),
        ]
        found += [Figure(f"stop:{rule.kind}", rule.basis) for rule in self.stops]
        if self.stops_basis != Basis():
            found.append(Figure("stops", self.stops_basis))
        found += [Figure(f"appeal:{stage.id}", stage.basis, stage) for stage in self.appeals]
        return tuple(found)

    @property
    def verified(self) -> bool:
        """True only when every figure of the law and of its appeal stages is confirmed."""
        return not self.unverified_notes()

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every figure's note (confirmed remarks and uncertainties alike)."""
        return tuple(
            Note(figure.key, figure.basis.note, figure.basis.verified)
            for figure in self.figures()
            if str(figure.basis.note).strip()
        )

    def unverified_notes(self) -> tuple[Note, ...]:
        return tuple(note for note in self.notes if not note.verified)

    def notes_about(self, *topics: str) -> tuple[Note, ...]:
        """The notes of these figures; ``stop`` matches every clock stop."""

        def wanted(topic: str) -> bool:
            return topic in topics or topic.split(":", 1)[0] in topics

        return tuple(note for note in self.notes if wanted(note.topic))

    def stop_rule(self, kind: StopKind) -> ClockStopRule | None:
        return next((rule for rule in self.stops if rule.kind == kind), None)

    def stage(self, stage_id: str) -> AppealStage:
        """The appeal stage with this id.

        Raises:
            KeyError: when the law has no stage with this id.
        """
        for stage in self.appeals:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)


# What each figure is called on pages and in explanations ("Not verified (extension): ...").
FIGURE_LABELS: dict[str, StrOrPromise] = {
    "period": gettext_lazy("response period"),
    "rollover": gettext_lazy("moving a deadline past non-working days"),
    "calendar": gettext_lazy("working days and holidays"),
    "extension": gettext_lazy("extension"),
    "silence": gettext_lazy("what silence means"),
    "stops": gettext_lazy("clock stops"),
    "stop:clarification": gettext_lazy("clock stop for a clarification"),
    "stop:fees": gettext_lazy("clock stop for fees"),
    "stop:third_party": gettext_lazy("clock stop for third parties' comments"),
    "appeal": gettext_lazy("appeal time limit"),
}


def figure_label(key: str, stage: AppealStage | None = None) -> StrOrPromise:
    """A figure's name for readers: an appeal stage's own name, else the label of its key.

    Unknown keys (e.g. from an explanation stored by an older version) get a generic label,
    so that no internal id is ever shown.
    """
    if stage is not None:
        return stage.name
    return (
        FIGURE_LABELS.get(key)
        or FIGURE_LABELS.get(key.split(":", 1)[0])
        or gettext_lazy("this figure")
    )


# --- the authority's seat ----------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """Where an authority sits: country, first-level subdivision, municipality.

    ``subdivision`` is an ISO 3166-2 code ("ES-MD", "DE-BE"); ``municipality`` a name for
    explanations. ``local_holidays`` are the municipality's local holidays entered by staff
    (date, name) and ``local_years`` the years for which staff entered them, so that a year
    with none entered can be told apart from a year checked and found empty.
    """

    country: str = ""
    subdivision: str = ""
    municipality: str = ""
    local_holidays: tuple[tuple[date, str], ...] = ()
    local_years: frozenset[int] = frozenset()

    @property
    def subdivision_suffix(self) -> str:
        """The part after the country ("MD" of "ES-MD"), as the holidays package spells it."""
        return self.subdivision.split("-", 1)[1] if "-" in self.subdivision else ""


# The IANA zone of subdivisions whose clocks differ from their law's default zone. Only the
# countries of the catalogue are listed; each US state by the zone of its capital.
SUBDIVISION_TIME_ZONES: dict[str, str] = {
    "ES-CN": "Atlantic/Canary",
    "FR-971": "America/Guadeloupe",
    "FR-972": "America/Martinique",
    "FR-973": "America/Cayenne",
    "FR-974": "Indian/Reunion",
    "FR-976": "Indian/Mayotte",
    "BR-AC": "America/Rio_Branco",
    "BR-AM": "America/Manaus",
    "BR-MS": "America/Campo_Grande",
    "BR-MT": "America/Cuiaba",
    "BR-RO": "America/Porto_Velho",
    "BR-RR": "America/Boa_Vista",
    "US-AK": "America/Anchorage",
    "US-AL": "America/Chicago",
    "US-AR": "America/Chicago",
    "US-AZ": "America/Phoenix",
    "US-CA": "America/Los_Angeles",
    "US-CO": "America/Denver",
    "US-HI": "Pacific/Honolulu",
    "US-IA": "America/Chicago",
    "US-ID": "America/Boise",
    "US-IL": "America/Chicago",
    "US-KS": "America/Chicago",
    "US-LA": "America/Chicago",
    "US-MN": "America/Chicago",
    "US-MO": "America/Chicago",
    "US-MS": "America/Chicago",
    "US-MT": "America/Denver",
    "US-ND": "America/Chicago",
    "US-NE": "America/Chicago",
    "US-NM": "America/Denver",
    "US-NV": "America/Los_Angeles",
    "US-OK": "America/Chicago",
    "US-OR": "America/Los_Angeles",
    "US-SD": "America/Chicago",
    "US-TX": "America/Chicago",
    "US-UT": "America/Denver",
    "US-WA": "America/Los_Angeles",
    "US-WI": "America/Chicago",
    "US-WY": "America/Denver",
    "US-GU": "Pacific/Guam",
    "US-PR": "America/Puerto_Rico",
    "US-VI": "America/St_Thomas",
    "US-AS": "Pacific/Pago_Pago",
    "US-MP": "Pacific/Saipan",
}


def seat_time_zone(law: FoiLaw, seat: Seat | None = None) -> str:
    """The IANA time zone in which an authority under ``law`` keeps its day.

    The law's ``time_zone``, unless the seat's subdivision (in the law's country) keeps a
    different clock (a Spanish body in the Canary Islands: Atlantic/Canary; a US agency's
    office in California: America/Los_Angeles).
    """
    if seat is not None and seat.subdivision.startswith(f"{law.country}-"):
        return SUBDIVISION_TIME_ZONES.get(seat.subdivision.upper(), law.time_zone)
    return law.time_zone


# --- plain-data form (JSON) -----------------------------------------------------------------
#
# The database keeps each law as the JSON below, so a law can be stored, compared and edited
# without losing anything the engine needs; law_from_dict(law_to_dict(law)) == law. Texts are
# stored in their source language (English) and read back as lazy translations.


def _text(value: StrOrPromise) -> str:
    return str(value)


def _lazy(value: Any) -> StrOrPromise:
    text = str(value or "")
    return gettext_lazy(text) if text else ""


def _period_to_dict(period: Period | None) -> dict | None:
    return None if period is None else {"amount": period.amount, "unit": str(period.unit)}


def _period_from_dict(data: dict | None) -> Period | None:
    return None if data is None else Period(int(data["amount"]), Unit(data["unit"]))


def _basis_to_dict(basis: Basis) -> dict:
    return {
        "provision": basis.provision,
        "sources": [
            {"url": s.url, "description": _text(s.description), "checked": s.checked}
            for s in basis.sources
        ],
        "verified": basis.verified,
        "note": _text(basis.note),
    }


def _basis_from_dict(data: dict | None) -> Basis:
    if not data:
        return Basis()
    return Basis(
        provision=str(data.get("provision", "")),
        sources=tuple(
            Source(str(s["url"]), _lazy(s.get("description")), str(s.get("checked", "")))
            for s in data.get("sources", [])
        ),
        verified=bool(data.get("verified", True)),
        note=_lazy(data.get("note")),
    )


def _stage_to_dict(stage: AppealStage) -> dict:
    return {
        "id": stage.id,
        "name": _text(stage.name),
        "body": _text(stage.body),
        "period": _period_to_dict(stage.period),
        "counted_from": str(stage.counted_from),
        "basis": _basis_to_dict(stage.basis),
        "rollover": None if stage.rollover is None else str(stage.rollover),
        "any_time": stage.any_time,
        "advisory": stage.advisory,
        "trigger_note": _text(stage.trigger_note),
    }


def _stage_from_dict(data: dict) -> AppealStage:
    return AppealStage(
        id=data["id"],
        name=_lazy(data["name"]),
        body=_lazy(data["body"]),
        period=_period_from_dict(data.get("period")),
        counted_from=AppealTrigger(data["counted_from"]),
        basis=_basis_from_dict(data.get("basis")),
        rollover=Rollover(data["rollover"]) if data.get("rollover") else None,
        any_time=bool(data.get("any_time", False)),
        advisory=bool(data.get("advisory", False)),
        trigger_note=_lazy(data.get("trigger_note")),
    )


def _calendar_to_dict(calendar: HolidayCalendar) -> dict:
    return {
        "country": calendar.country,
        "subdivisions": list(calendar.subdivisions),
        "language": calendar.language,
        "weekend": sorted(calendar.weekend),
        "seat_subdivision": calendar.seat_subdivision,
        "seat_municipality": calendar.seat_municipality,
    }


def _calendar_from_dict(data: dict) -> HolidayCalendar:
    return HolidayCalendar(
        data["country"],
        tuple(data.get("subdivisions", ())),
        data.get("language"),
        frozenset(int(day) for day in data.get("weekend", (5, 6))),
        seat_subdivision=bool(data.get("seat_subdivision", False)),
        seat_municipality=bool(data.get("seat_municipality", False)),
    )


def _extension_to_dict(extension: Extension | None) -> dict | None:
    if extension is None:
        return None
    return {
        "amount": extension.amount,
        "unit": str(extension.unit),
        "times": extension.times,
        "share": list(extension.share) if extension.share else None,
    }


def _extension_from_dict(data: dict | None) -> Extension | None:
    if data is None:
        return None
    share = data.get("share")
    return Extension(
        int(data.get("amount", 0)),
        Unit(data.get("unit", Unit.CALENDAR_DAYS)),
        int(data.get("times", 1)),
        (int(share[0]), int(share[1])) if share else None,
    )


def law_to_dict(law: FoiLaw, *, translated: bool = False) -> dict:
    """The law as JSON-ready data (lists, dicts, strings and numbers only).

    Texts are in their source language (English), as stored; ``translated=True`` gives them
    in the active language instead, for readers (the API).
    """
    with translation.override(translation.get_language() if translated else None):
        return _law_to_dict(law)


def _law_to_dict(law: FoiLaw) -> dict:
    return {
        "id": law.id,
        "country": law.country,
        "subdivision": law.subdivision,
        "name": _text(law.name),
        "short_name": _text(law.short_name),
        "official_name": law.official_name,
        "citation": law.citation,
        "url": law.url,
        "time_zone": law.time_zone,
        "period": _period_to_dict(law.period),
        "period_basis": _basis_to_dict(law.period_basis),
        "start": str(law.start),
        "rollover": str(law.rollover),
        "rollover_basis": _basis_to_dict(law.rollover_basis),
        "calendar": _calendar_to_dict(law.calendar),
        "calendar_basis": _basis_to_dict(law.calendar_basis),
        "extension": _extension_to_dict(law.extension),
        "extension_basis": _basis_to_dict(law.extension_basis),
        "silence": str(law.silence),
        "silence_basis": _basis_to_dict(law.silence_basis),
        "stops": [
            {
                "kind": str(rule.kind),
                "effect": str(rule.effect),
                "basis": _basis_to_dict(rule.basis),
            }
            for rule in law.stops
        ],
        "stops_basis": _basis_to_dict(law.stops_basis),
        "appeals": [_stage_to_dict(stage) for stage in law.appeals],
        "advisory_follow_up_days": law.advisory_follow_up_days,
    }


def law_from_dict(data: dict) -> FoiLaw:
    """The inverse of :func:`law_to_dict` (of its stored, untranslated form).

    Raises:
        KeyError: a required field is missing.
        ValueError: a field holds a value the schema does not know (e.g. an unknown unit).
        TypeError: a field has the wrong shape.
    """
    return FoiLaw(
        id=data["id"],
        country=data["country"],
        subdivision=data.get("subdivision") or None,
        name=_lazy(data["name"]),
        short_name=_lazy(data["short_name"]),
        official_name=str(data.get("official_name", "")),
        citation=str(data.get("citation", "")),
        url=str(data.get("url", "")),
        time_zone=str(data.get("time_zone") or "UTC"),
        period=_period_from_dict(data.get("period")),
        period_basis=_basis_from_dict(data.get("period_basis")),
        start=ClockStart(data["start"]),
        rollover=Rollover(data["rollover"]),
        rollover_basis=_basis_from_dict(data.get("rollover_basis")),
        calendar=_calendar_from_dict(data["calendar"]),
        calendar_basis=_basis_from_dict(data.get("calendar_basis")),
        extension=_extension_from_dict(data.get("extension")),
        extension_basis=_basis_from_dict(data.get("extension_basis")),
        silence=SilenceEffect(data["silence"]),
        silence_basis=_basis_from_dict(data.get("silence_basis")),
        stops=tuple(
            ClockStopRule(
                StopKind(rule["kind"]),
                StopEffect(rule["effect"]),
                _basis_from_dict(rule.get("basis")),
            )
            for rule in data.get("stops", [])
        ),
        stops_basis=_basis_from_dict(data.get("stops_basis")),
        appeals=tuple(_stage_from_dict(stage) for stage in data.get("appeals", [])),
        advisory_follow_up_days=data.get("advisory_follow_up_days"),
    )


def iter_texts(law: FoiLaw) -> Iterator[StrOrPromise]:
    """Every reader-facing text of a law (for translation checks): names, stage names and
    bodies, notes, trigger notes, source descriptions."""
    yield law.name
    yield law.short_name
    for figure in law.figures():
        if str(figure.basis.note):
            yield figure.basis.note
        for source in figure.basis.sources:
            yield source.description
        if figure.stage is not None:
            yield figure.stage.name
            yield figure.stage.body
            if str(figure.stage.trigger_note):
                yield figure.stage.trigger_note
