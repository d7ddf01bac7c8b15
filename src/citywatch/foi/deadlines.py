"""The deadline engine: when an authority must answer, and when the requester must appeal.

Pure functions over the plain data in :mod:`citywatch.foi.laws`; no database. Every result
carries the date *and* the steps that led to it. Steps are structured data (a code plus dates,
numbers, names and the provision applied) so that the wording lives in one place,
:data:`PHRASES`, whose values are lazy translation strings; counted text ("21 calendar days")
goes through ``ngettext`` so that every language gets its plural forms. :func:`describe`
renders one step in the active language, English by default.

Callers pass what the engine cannot know: the authority's seat (:class:`Seat`: its region and
municipality, with the local holidays staff entered for that municipality).

Rules applied everywhere (see docs/foi-deadlines.md):

* Day one is the day after the triggering date (receipt of the request, notification of a
  decision). ``ClockStart.DAY_AFTER_RECEIPT_WORKING`` first moves a receipt on a non-working
  day to the next working day.
* Months run date to date; when the target month is shorter, the period ends on its last day.
  Weeks are seven calendar days each.
* An extension in the same unit lengthens the period (one month + one month = two months from
  receipt); an extension in another unit, or a share of the initial period, is counted on from
  the end of the initial period.
* A paused clock does not count the days from the day it stopped to the day the reply
  arrived, both included (working days for working-day laws, calendar days otherwise). A
  restarted clock counts afresh from the day the reply arrived.
* The last day moves to the next working day when the law says so; when it does not, the
  explanation says so once, with a warning that the last day is not a working day.
* Dates must lie within the years the holiday data covers for the law's country; otherwise
  :class:`DateOutOfRange` is raised (the calculator's doors answer it as a bad date).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from citywatch.foi.laws import (
    AppealStage,
    AppealTrigger,
    ClockStart,
    FoiLaw,
    HolidayCalendar,
    Note,
    Period,
    Rollover,
    Seat,
    SilenceEffect,
    StopEffect,
    StopKind,
    StrOrPromise,
    Unit,
    all_laws,
    figure_label,
    get_law,
)

__all__ = [
    "PHRASES",
    "AppealDeadline",
    "ClockStop",
    "DateOutOfRange",
    "DeadlineResult",
    "Seat",
    "Step",
    "add_months",
    "all_laws",
    "amount_text",
    "calendar_for_seat",
    "compute_appeal_deadlines",
    "compute_due_date",
    "describe",
    "get_law",
    "holiday_name",
    "is_working_day",
    "non_working_reason",
    "render",
    "stage_lines",
    "step_from_dict",
    "step_to_dict",
    "supported_years",
]

ONE_DAY = timedelta(days=1)

# Every phrase of the explanations, as lazy translation strings. Keys are stable codes; values
# are str.format templates (translators keep the {placeholders}). Fields available to a
# template: day, other (formatted dates), amount (a counted period, "20 working days", in the
# right plural form), count (a bare number), name, detail, cited (" (provision)" or ""),
# kind (a clock-stop reason), event (an appeal trigger), label (a figure's name), weekday,
# month, year.
PHRASES: dict[str, StrOrPromise] = {
    "law_period": _("{name}: the authority must answer within {amount}{cited}."),
    "received": _("The request reached the authority on {day}."),
    "deemed_received": _(
        "It arrived on a non-working day, so it counts as received on the next working day, {day}."
    ),
    "seat_region": _("The authority sits in {detail}: holidays there are non-working days."),
    "seat_region_municipality": _(
        "The authority sits in {name} ({detail}): holidays there are non-working days."
    ),
    "seat_region_unknown_to_data": _(
        "The holiday data has no separate calendar for {detail}, where the authority sits: "
        "only national holidays are counted."
    ),
    "seat_outside_country": _(
        "The authority's seat ({detail}) is outside this law's country, so it does not change "
        "the holidays counted."
    ),
    "seat_not_used": _(
        "This law counts the same holidays wherever the authority sits, so its seat "
        "({detail}) changes nothing."
    ),
    "regional_holidays_unknown": _(
        "Holidays of the region where the authority sits may also be non-working days; its "
        "seat is not known, so only national holidays are counted."
    ),
    "local_holidays_unknown": _(
        "Local holidays of the municipality where the authority sits may also be non-working "
        "days; its municipality is not known, so none are counted."
    ),
    "local_holidays_missing": _(
        "Local holidays of {name} may also be non-working days, but none are entered for "
        "{detail}: the deadline may fall a day or two later."
    ),
    "local_holidays_counted": _("Local holidays of {name} entered for {detail} are counted."),
    "skipped_weekend": _("{day} skipped: weekend ({weekday})."),
    "skipped_weekend_holiday": _("{day} skipped: weekend ({weekday}), also holiday: {name}."),
    "skipped_holiday": _("{day} skipped: holiday: {name}."),
    "period_end": _("{amount} after {other} is {day}."),
    "period_end_paused": _("{amount} after {other}, leaving out the paused days, is {day}."),
    "period_shifted": _("Adding the paused days ({amount}), the period ends on {day}."),
    "month_end_clamped": _(
        "{month} {year} has no day {count}, so the period ends on the last day of that "
        "month, {day}."
    ),
    "extension": _("Extension{cited}: {amount} more."),
    "extension_half": _(
        "Extension{cited}: half the initial period of {detail} days, rounded up: {amount} more."
    ),
    "extension_share": _(
        "Extension{cited}: {detail} of the initial period, rounded up: {amount} more."
    ),
    "extension_unavailable": _(
        "This law provides no extension, so a claimed extension does not move the deadline."
    ),
    "clock_paused": _(
        "The clock stopped on {day} while waiting for {kind} and resumed after {other}: "
        "{amount} not counted."
    ),
    "clock_restarted": _(
        "The clock stopped on {day} while waiting for {kind} and started again from zero "
        "when it arrived on {other}."
    ),
    "clock_stopped_open": _(
        "The clock has been stopped since {day} while waiting for {kind}: there is no due "
        "date until it arrives."
    ),
    "stop_not_recognised": _(
        "This law does not stop the clock while waiting for {kind}: the stop from {day} is ignored."
    ),
    "stop_after_deadline": _(
        "The stop from {day} (waiting for {kind}) began after the deadline had passed and "
        "changes nothing."
    ),
    "rollover": _("{day} is not a working day, so the deadline moves to {other}{cited}."),
    "no_rollover_weekend": _(
        "Warning: the last day, {day}, falls on a weekend ({weekday}) and is not a working "
        "day, but this law does not move the deadline to the next working day."
    ),
    "no_rollover_holiday": _(
        "Warning: the last day, {day}, is a holiday ({name}) and not a working day, but this "
        "law does not move the deadline to the next working day."
    ),
    # Stored by versions before November 2026; kept so that old explanations still render.
    "no_rollover": _(
        "Warning: the last day, {day}, is not a working day, but this law does not move the "
        "deadline to the next working day."
    ),
    "due": _("Due date: {day}."),
    "silence_deemed_refused": _(
        "If there is no answer by then, the request counts as refused{cited}."
    ),
    "silence_deemed_granted": _(
        "If there is no answer by then, the request counts as granted{cited}."
    ),
    "silence_nothing": _(
        "If there is no answer by then, the law does not treat silence as a decision, but the "
        "authority is in breach and the requester can escalate{cited}."
    ),
    "unverified": _("Not verified ({label}): {name}"),
    "no_law": _(
        "{name}: there is no freedom-of-information law, so no deadline is legally binding."
    ),
    "advisory": _(
        "CityWatch suggests a follow-up on {day}, {amount} after sending. This date is "
        "advisory only and has no legal force."
    ),
    "appeal_stage": _("{name} (heard by: {detail}){cited}."),
    "appeal_trigger": _("Counted from {day}, when {event}."),
    "appeal_trigger_note": _("{name}"),
    "appeal_due": _("Last day to act: {day}."),
    "appeal_no_limit": _("No time limit applies or none was found: act promptly."),
    "appeal_no_limit_confirmed": _("There is no time limit for this step."),
    "appeal_limit": _("Time limit: {amount} from when {event}."),
    "appeal_any_time": _(
        "In practice this step is also accepted after that date; the date above is the "
        "stated limit and the safe target."
    ),
    "appeal_advisory": _(
        "This time limit is the body's guidance, not a rule of law: a later step may still "
        "be accepted, or refused for delay."
    ),
    "note": _("{name}"),
    # Building blocks.
    "date": _("{weekday} {d} {month} {year}"),
    "cited": _(" ({provision})"),
    "stop:clarification": _("a clarification from the requester"),
    "stop:fees": _("a fee to be paid"),
    "stop:third_party": _("comments from third parties"),
    "event:decision_notified": _("the decision was notified"),
    "event:deadline_expired": _("the deadline for an answer passed"),
    "event:review_decision_notified": _("the review decision was notified"),
    "event:second_review_decision_notified": _("the decision on the second appeal was notified"),
    "event:commissioner_decision_notified": _("the commissioner's decision was sent"),
    "weekday:0": _("Monday"),
    "weekday:1": _("Tuesday"),
    "weekday:2": _("Wednesday"),
    "weekday:3": _("Thursday"),
    "weekday:4": _("Friday"),
    "weekday:5": _("Saturday"),
    "weekday:6": _("Sunday"),
    "month:1": _("January"),
    "month:2": _("February"),
    "month:3": _("March"),
    "month:4": _("April"),
    "month:5": _("May"),
    "month:6": _("June"),
    "month:7": _("July"),
    "month:8": _("August"),
    "month:9": _("September"),
    "month:10": _("October"),
    "month:11": _("November"),
    "month:12": _("December"),
}

# Steps whose ``name`` (and, for appeal stages, ``detail``) hold catalogue text: it is stored in
# its source language and translated when rendered.
_CATALOGUE_TEXT = {
    "law_period",
    "no_law",
    "unverified",
    "note",
    "appeal_stage",
    "appeal_trigger_note",
}


class DateOutOfRange(ValueError):
    """A date outside the years the holiday data covers for a law's country.

    ``day`` is the offending date (an input, or a computed date beyond the data); ``first``
    and ``last`` are the first and last years covered. Doors turn it into a 422 answer, a
    form error or a command-line error.
    """

    def __init__(self, day: date, first: int, last: int, country: str) -> None:
        self.day, self.first, self.last, self.country = day, first, last, country
        super().__init__(
            f"{day.isoformat()} is outside {first}-{last}, the years the holiday data covers "
            f"for {country}"
        )


@dataclass(frozen=True)
class Step:
    """One line of an explanation, as data. Render it with :func:`describe`."""

    code: str
    day: date | None = None
    other: date | None = None
    count: int | None = None
    unit: str = ""
    name: StrOrPromise = ""
    detail: StrOrPromise = ""
    provision: str = ""


@dataclass(frozen=True)
class ClockStop:
    """The authority stopped the clock on ``start``; the awaited reply arrived on ``end``.

    ``end`` is ``None`` while the authority is still waiting.
    """

    kind: StopKind
    start: date
    end: date | None = None


@dataclass(frozen=True)
class DeadlineResult:
    law_id: str
    sent: date
    due: date | None  # None: no binding deadline (no law) or the clock is stopped
    silence: SilenceEffect
    steps: tuple[Step, ...]
    binding: bool = True
    clock_running: bool = True
    advisory_date: date | None = None

    def text(self) -> str:
        return render(self.steps)


@dataclass(frozen=True)
class AppealDeadline:
    stage: AppealStage
    trigger: date
    due: date | None  # None: no time limit applies or none was found
    steps: tuple[Step, ...]
    any_time: bool = False

    def text(self) -> str:
        return render(self.steps)


# --- rendering -------------------------------------------------------------------------


def _format_date(day: date | None) -> str:
    if day is None:
        return ""
    return PHRASES["date"].format(
        weekday=PHRASES[f"weekday:{day.weekday()}"],
        d=day.day,
        month=PHRASES[f"month:{day.month}"],
        year=day.year,
    )


def amount_text(count: int | None, unit: str) -> str:
    """A counted period in the active language with its plural form ("1 working day",
    "2 working days"; in Serbian "21 kalendarski dan", "42 kalendarska dana")."""
    if count is None:
        return ""
    if unit == Unit.CALENDAR_DAYS:
        template = ngettext("{count} calendar day", "{count} calendar days", count)
    elif unit == Unit.WORKING_DAYS:
        template = ngettext("{count} working day", "{count} working days", count)
    elif unit == Unit.WEEKS:
        template = ngettext("{count} week", "{count} weeks", count)
    elif unit == Unit.MONTHS:
        template = ngettext("{count} month", "{count} months", count)
    else:
        return str(count)
    return template.format(count=count)


def _catalogue_text(text: StrOrPromise) -> str:
    """Catalogue text in the active language: lazy strings translate themselves; stored
    strings are looked up as their source text."""
    if isinstance(text, Promise):
        return str(text)
    return gettext(text) if text else ""


def describe(step: Step) -> str:
    """One step as a sentence in the active language (English unless another is active)."""
    name, detail = step.name, step.detail
    if step.code in _CATALOGUE_TEXT:
        name = _catalogue_text(name)
        detail = _catalogue_text(detail) if step.code == "appeal_stage" else detail
    cited = PHRASES["cited"].format(provision=step.provision) if step.provision else ""
    context = {
        "day": _format_date(step.day),
        "other": _format_date(step.other),
        "count": step.count,
        "amount": amount_text(step.count, step.unit),
        "name": name,
        "detail": detail,
        "cited": cited,
        "kind": PHRASES.get(f"stop:{detail}", detail),
        "event": PHRASES.get(f"event:{detail}", detail),
        "label": figure_label(str(detail)),
        "weekday": PHRASES[f"weekday:{step.day.weekday()}"] if step.day else "",
        "month": PHRASES[f"month:{step.day.month}"] if step.day else "",
        "year": step.day.year if step.day else "",
    }
    template = PHRASES.get(step.code)
    if template is None:  # a step stored by a newer version: show its text, never its code
        return str(name)
    return str(template).format(**context)


def render(steps: Sequence[Step]) -> str:
    """All steps as text in the active language, one sentence per line."""
    return "\n".join(describe(step) for step in steps)


# --- calendars ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _country_data(country: str) -> tuple[int, int, frozenset[str]]:
    table = holidays.country_holidays(country)
    return type(table).start_year, type(table).end_year, frozenset(table.subdivisions)


def supported_years(country: str) -> tuple[int, int]:
    """The first and last year the pinned ``holidays`` package covers for ``country``."""
    first, last, _subdivisions = _country_data(country)
    return first, last


def _check_in_range(spec: HolidayCalendar, day: date) -> None:
    first, last = supported_years(spec.country)
    if not first <= day.year <= last:
        raise DateOutOfRange(day, first, last, spec.country)


@lru_cache(maxsize=512)
def _holidays_in_year(spec: HolidayCalendar, year: int) -> dict[date, str]:
    """Holiday names by date; with several subdivisions, regional ones name their region."""
    subdivisions: tuple[str | None, ...] = spec.subdivisions or (None,)
    found: dict[date, dict[str, list[str]]] = {}
    for subdivision in subdivisions:
        table = holidays.country_holidays(
            spec.country, subdiv=subdivision, years=year, language=spec.language
        )
        for day, names in table.items():
            if day.year != year:
                continue
            for name in names.split("; "):
                found.setdefault(day, {}).setdefault(name, []).append(subdivision or "")
    result: dict[date, str] = {}
    for day, by_name in found.items():
        labels = []
        for name, where in by_name.items():
            if len(subdivisions) > 1 and len(where) < len(subdivisions):
                regions = ", ".join(f"{spec.country}-{code}" for code in where)
                labels.append(f"{name} ({regions})")
            else:
                labels.append(name)
        result[day] = "; ".join(labels)
    for day, name in spec.local_days:
        if day.year == year:
            result[day] = f"{result[day]}; {name}" if day in result else name
    return result


def holiday_name(spec: HolidayCalendar, day: date) -> str | None:
    """The holiday on ``day`` in this calendar, or None.

    Raises:
        DateOutOfRange: ``day`` is outside the years the holiday data covers.
    """
    _check_in_range(spec, day)
    return _holidays_in_year(spec, day.year).get(day)


def is_working_day(spec: HolidayCalendar, day: date) -> bool:
    """False on the calendar's weekend days and holidays (local ones included).

    Raises:
        DateOutOfRange: ``day`` is outside the years the holiday data covers.
    """
    return day.weekday() not in spec.weekend and holiday_name(spec, day) is None


def non_working_reason(spec: HolidayCalendar, day: date) -> Step | None:
    """A 'skipped' step saying why ``day`` is not a working day, or None if it is one."""
    name = holiday_name(spec, day)
    if day.weekday() in spec.weekend:
        code = "skipped_weekend_holiday" if name else "skipped_weekend"
        return Step(code, day=day, name=name or "")
    if name:
        return Step("skipped_holiday", day=day, name=name)
    return None


def _next_working_day(spec: HolidayCalendar, day: date, steps: list[Step]) -> date:
    """The first working day from ``day`` on, noting each day skipped on the way."""
    while (reason := non_working_reason(spec, day)) is not None:
        steps.append(reason)
        day += ONE_DAY
    return day


# --- the authority's seat ----------------------------------------------------------------


@dataclass(frozen=True)
class SeatCalendar:
    """The calendar a computation uses once the seat is applied, and what to say about it.

    ``header`` steps say which regional calendar is used; ``warnings`` (added after the due
    date) say which holidays may apply but are not counted. ``municipality`` is set when the
    seat's local holidays count under this law.
    """

    spec: HolidayCalendar
    header: tuple[Step, ...] = ()
    municipality_applies: bool = False
    seat: Seat | None = None


def calendar_for_seat(law: FoiLaw, seat: Seat | None) -> SeatCalendar:
    """The holiday calendar for an authority under ``law`` sitting at ``seat``.

    The seat's first-level subdivision replaces the law's regions when the law counts the
    holidays of the authority's seat (``calendar.seat_subdivision``); the seat's local
    holidays are added when the law counts municipal holidays (``calendar.seat_municipality``).
    A seat outside the law's country changes nothing, and the explanation says so.
    """
    spec = law.calendar
    if seat is None or not (seat.subdivision or seat.municipality):
        return SeatCalendar(spec, municipality_applies=spec.seat_municipality, seat=seat)
    header: list[Step] = []
    subdivision = seat.subdivision.upper()
    if subdivision and not subdivision.startswith(f"{law.country}-"):
        header.append(Step("seat_outside_country", detail=subdivision))
        return SeatCalendar(spec, tuple(header), spec.seat_municipality, None)
    suffix = seat.subdivision_suffix.upper()
    if subdivision and spec.seat_subdivision:
        if suffix in _country_data(spec.country)[2]:
            spec = replace(spec, subdivisions=(suffix,))
            code = "seat_region_municipality" if seat.municipality else "seat_region"
            header.append(Step(code, name=seat.municipality, detail=subdivision))
        else:
            header.append(Step("seat_region_unknown_to_data", detail=subdivision))
    elif subdivision and suffix not in spec.subdivisions and not spec.seat_municipality:
        header.append(Step("seat_not_used", detail=subdivision))
    if spec.seat_municipality and seat.municipality:
        spec = replace(spec, local_days=tuple(sorted(seat.local_holidays)))
    return SeatCalendar(spec, tuple(header), law.calendar.seat_municipality, seat)


def _seat_warnings(law: FoiLaw, seat_calendar: SeatCalendar, first: date, last: date) -> list[Step]:
    """What the explanation says about regional and local holidays it could not count."""
    seat = seat_calendar.seat
    steps: list[Step] = []
    if law.calendar.seat_subdivision and (seat is None or not seat.subdivision):
        steps.append(Step("regional_holidays_unknown"))
    if not seat_calendar.municipality_applies:
        return steps
    if seat is None or not seat.municipality:
        steps.append(Step("local_holidays_unknown"))
        return steps
    years = range(first.year, last.year + 1)
    missing = [str(year) for year in years if year not in seat.local_years]
    counted = [str(year) for year in years if year in seat.local_years]
    if counted:
        steps.append(
            Step("local_holidays_counted", name=seat.municipality, detail=", ".join(counted))
        )
    if missing:
        steps.append(
            Step("local_holidays_missing", name=seat.municipality, detail=", ".join(missing))
        )
    return steps


# --- counting ----------------------------------------------------------------------------


@dataclass
class _Pause:
    kind: StopKind
    start: date
    end: date
    skipped: int = 0
    reported: bool = False

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def add_months(day: date, months: int) -> tuple[date, bool]:
    """The same day number ``months`` later, clamped to the month's end; and whether clamped.

    Raises:
        ValueError: the result would be after year 9999.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last)), day.day > last


def _walk(after: date, amount: int, countable: Callable[[date], bool]) -> date:
    day = after
    counted = 0
    while counted < amount:
        day += ONE_DAY
        if countable(day):
            counted += 1
    return day


def _report_pauses(pauses: list[_Pause], unit: Unit, steps: list[Step]) -> bool:
    """Add a step for each pause that took effect and was not reported yet."""
    reported = False
    for pause in pauses:
        if pause.skipped and not pause.reported:
            pause.reported = reported = True
            steps.append(
                Step(
                    "clock_paused",
                    day=pause.start,
                    other=pause.end,
                    count=pause.skipped,
                    unit=unit,
                    detail=pause.kind,
                )
            )
    return reported


def _count_days(
    after: date,
    period: Period,
    spec: HolidayCalendar,
    pauses: list[_Pause],
    steps: list[Step],
) -> date:
    working = period.unit == Unit.WORKING_DAYS
    days = period.amount * 7 if period.unit == Unit.WEEKS else period.amount

    def countable(day: date) -> bool:
        pause = next((p for p in pauses if p.covers(day)), None)
        if pause is not None:
            if not working or is_working_day(spec, day):
                pause.skipped += 1
            return False
        if working and (reason := non_working_reason(spec, day)) is not None:
            steps.append(reason)
            return False
        return True

    end = _walk(after, days, countable)
    pause_unit = Unit.WORKING_DAYS if working else Unit.CALENDAR_DAYS
    paused = _report_pauses(pauses, pause_unit, steps)
    code = "period_end_paused" if paused else "period_end"
    steps.append(Step(code, day=end, other=after, count=period.amount, unit=period.unit))
    return end


def _count_months(after: date, period: Period, pauses: list[_Pause], steps: list[Step]) -> date:
    end, clamped = add_months(after, period.amount)
    steps.append(Step("period_end", day=end, other=after, count=period.amount, unit=period.unit))
    if clamped:
        steps.append(Step("month_end_clamped", day=end, count=after.day))
    shift = 0
    for pause in sorted(pauses, key=lambda p: p.start):
        if after < pause.end and pause.start <= end:
            first = max(pause.start, after + ONE_DAY)
            pause.skipped = (pause.end - first).days + 1
            shift += pause.skipped
            end += timedelta(days=pause.skipped)
    if _report_pauses(pauses, Unit.CALENDAR_DAYS, steps):
        steps.append(Step("period_shifted", day=end, count=shift, unit=Unit.CALENDAR_DAYS))
    return end


def _count(
    after: date, period: Period, spec: HolidayCalendar, pauses: list[_Pause], steps: list[Step]
) -> date:
    if period.unit == Unit.MONTHS:
        return _count_months(after, period, pauses, steps)
    return _count_days(after, period, spec, pauses, steps)


def _roll(
    end: date, rollover: Rollover, spec: HolidayCalendar, steps: list[Step], provision: str
) -> date:
    if is_working_day(spec, end):
        return end
    if rollover == Rollover.NONE:
        name = holiday_name(spec, end)
        if name:
            steps.append(Step("no_rollover_holiday", day=end, name=name))
        else:
            steps.append(Step("no_rollover_weekend", day=end))
        return end
    moved = _next_working_day(spec, end, steps)
    steps.append(Step("rollover", day=end, other=moved, provision=provision))
    return moved


def _extend(
    law: FoiLaw,
    start: date,
    end: date,
    spec: HolidayCalendar,
    pauses: list[_Pause],
    steps: list[Step],
) -> date:
    """The end of the period once the law's full extension is added to ``end``."""
    extension = law.extension
    provision = law.extension_basis.provision
    if extension is None:
        steps.append(Step("extension_unavailable"))
        return end
    if extension.share is not None:
        initial = (end - start).days
        days = extension.days_for(initial)
        numerator, denominator = extension.share
        code, detail = (
            ("extension_half", str(initial))
            if (numerator, denominator) == (1, 2)
            else ("extension_share", f"{numerator}/{denominator}")
        )
        steps.append(
            Step(code, count=days, unit=Unit.CALENDAR_DAYS, detail=detail, provision=provision)
        )
        return _count(end, Period(days, Unit.CALENDAR_DAYS), spec, pauses, steps)
    extra = extension.amount * extension.times
    steps.append(Step("extension", count=extra, unit=extension.unit, provision=provision))
    return _count(end, Period(extra, extension.unit), spec, pauses, steps)


def _lengthens_period(law: FoiLaw) -> bool:
    extension = law.extension
    return (
        extension is not None
        and law.period is not None
        and extension.share is None
        and extension.unit == law.period.unit
    )


def _count_period(
    law: FoiLaw, spec: HolidayCalendar, received: date, pauses: list[_Pause], extended: bool
) -> tuple[date, list[Step]]:
    """Due date for a request received on ``received``, given the pauses; and the steps."""
    assert law.period is not None
    steps: list[Step] = []
    start = received
    if law.start == ClockStart.DAY_AFTER_RECEIPT_WORKING and not is_working_day(spec, received):
        start = _next_working_day(spec, received, steps)
        steps.append(Step("deemed_received", day=start))
    for pause in pauses:
        pause.skipped, pause.reported = 0, False
    extension = law.extension
    if extended and extension is not None and _lengthens_period(law):
        # An extension in the period's own unit lengthens the period (1 month + 1 month).
        extra = extension.amount * extension.times
        provision = law.extension_basis.provision
        steps.append(Step("extension", count=extra, unit=extension.unit, provision=provision))
        period = Period(law.period.amount + extra, law.period.unit)
        end = _count(start, period, spec, pauses, steps)
        return _roll(end, law.rollover, spec, steps, law.rollover_basis.provision), steps
    end = _count(start, law.period, spec, pauses, steps)
    if extended:
        end = _extend(law, start, end, spec, pauses, steps)
    return _roll(end, law.rollover, spec, steps, law.rollover_basis.provision), steps


def _caution(notes: Sequence[Note]) -> list[Step]:
    seen: set[str] = set()
    steps = []
    for note in notes:
        with translation.override(None):
            key = str(note.text)
        if key in seen:
            continue
        seen.add(key)
        steps.append(Step("unverified", name=note.text, detail=note.topic))
    return steps


# --- public API --------------------------------------------------------------------------


def _advisory_result(law: FoiLaw, sent: date) -> DeadlineResult:
    days = law.advisory_follow_up_days or 30
    advisory = sent + timedelta(days=days)
    steps = (
        Step("no_law", name=law.short_name),
        Step("received", day=sent),
        Step("advisory", day=advisory, count=days, unit=Unit.CALENDAR_DAYS),
    )
    return DeadlineResult(
        law_id=law.id,
        sent=sent,
        due=None,
        silence=law.silence,
        steps=steps,
        binding=False,
        advisory_date=advisory,
    )


def _check_stops(spec: HolidayCalendar, sent: date, stops: Sequence[ClockStop]) -> None:
    for stop in stops:
        _check_in_range(spec, stop.start)
        if stop.end is not None:
            _check_in_range(spec, stop.end)
        if stop.start < sent:
            raise ValueError(f"clock stop starting {stop.start} is before the request ({sent})")
        if stop.end is not None and stop.end < stop.start:
            raise ValueError(f"clock stop ends ({stop.end}) before it starts ({stop.start})")


@dataclass
class _StopsApplied:
    """Where the count stands once the clock stops are taken into account."""

    received: date
    pauses: list[_Pause] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    stopped: bool = False  # the authority is still waiting: no due date


def _apply_stops(
    law: FoiLaw, spec: HolidayCalendar, sent: date, stops: Sequence[ClockStop], extended: bool
) -> _StopsApplied:
    """Apply the stops in date order; each is judged against the deadline as it then stands."""
    applied = _StopsApplied(received=sent)
    for stop in sorted(stops, key=lambda s: s.start):
        rule = law.stop_rule(stop.kind)
        due, _steps = _count_period(law, spec, applied.received, applied.pauses, extended)
        if rule is None:
            applied.steps.append(Step("stop_not_recognised", day=stop.start, detail=stop.kind))
        elif stop.start > due:
            applied.steps.append(Step("stop_after_deadline", day=stop.start, detail=stop.kind))
        elif stop.end is None:
            applied.steps.append(Step("clock_stopped_open", day=stop.start, detail=stop.kind))
            applied.stopped = True
            return applied
        elif rule.effect == StopEffect.RESTART:
            applied.steps.append(
                Step("clock_restarted", day=stop.start, other=stop.end, detail=stop.kind)
            )
            applied.received, applied.pauses = stop.end, []
        else:
            applied.pauses.append(_Pause(stop.kind, stop.start, stop.end))
    return applied


def _unverified(law: FoiLaw, *topics: str) -> list[Step]:
    return _caution([note for note in law.notes_about(*topics) if not note.verified])


def compute_due_date(
    law: FoiLaw,
    sent: date,
    *,
    stops: Sequence[ClockStop] = (),
    extended: bool = False,
    seat: Seat | None = None,
) -> DeadlineResult:
    """When the authority must answer a request it received on ``sent``.

    ``sent`` is taken as the day the authority received the request (the same day for e-mail
    and portals; for post, pass the day of delivery), in the authority's local time zone.
    ``stops`` are the times the authority waited for the requester; ``extended`` applies the
    law's full extension (as notified by the authority); ``seat`` is where the authority sits,
    which decides the regional and local holidays where the law says so (Ley 39/2015
    arts. 30.6-30.7; BGB § 193).

    Raises:
        DateOutOfRange: ``sent``, a stop or the computed deadline lies outside the years the
            holiday data covers for the law's country.
        ValueError: a stop starts before the request or ends before it starts.
    """
    seat_calendar = calendar_for_seat(law, seat)
    spec = seat_calendar.spec
    _check_in_range(spec, sent)
    if law.period is None:
        return _advisory_result(law, sent)
    _check_stops(spec, sent, stops)
    header = [
        Step(
            "law_period",
            name=law.short_name,
            count=law.period.amount,
            unit=law.period.unit,
            provision=law.period_basis.provision,
        ),
        Step("received", day=sent),
        *seat_calendar.header,
    ]
    applied = _apply_stops(law, spec, sent, stops, extended)
    if applied.stopped:
        stop_topics = [f"stop:{stop.kind}" for stop in stops]
        steps = header + applied.steps + _unverified(law, *stop_topics, "stops")
        return DeadlineResult(
            law_id=law.id,
            sent=sent,
            due=None,
            silence=law.silence,
            steps=tuple(steps),
            clock_running=False,
        )
    due, count_steps = _count_period(law, spec, applied.received, applied.pauses, extended)
    topics = ["period", "rollover", "calendar", "silence"]
    topics += ["extension"] if extended else []
    topics += [f"stop:{stop.kind}" for stop in stops] + (["stops"] if stops else [])
    steps = [
        *header,
        *applied.steps,
        *count_steps,
        Step("due", day=due),
        *_seat_warnings(law, seat_calendar, sent, due),
        Step(f"silence_{law.silence}", provision=law.silence_basis.provision),
        *_unverified(law, *topics),
    ]
    return DeadlineResult(
        law_id=law.id, sent=sent, due=due, silence=law.silence, steps=tuple(steps)
    )


def stage_lines(stage: AppealStage) -> list[Step]:
    """The steps that describe a stage without dates: who hears it, its time limit and event,
    whether the limit is advice, and its notes. For a stage whose triggering date is not
    known yet (a request page before any decision)."""
    steps = [Step("appeal_stage", name=stage.name, detail=stage.body, provision=stage.citation)]
    if stage.period is None:
        steps.append(Step("appeal_no_limit_confirmed" if stage.verified else "appeal_no_limit"))
    else:
        steps.append(
            Step(
                "appeal_limit",
                count=stage.period.amount,
                unit=stage.period.unit,
                detail=stage.counted_from,
            )
        )
    return steps + _stage_remarks(stage)


def _stage_remarks(stage: AppealStage) -> list[Step]:
    steps = []
    if str(stage.trigger_note):
        steps.append(Step("appeal_trigger_note", name=stage.trigger_note))
    if stage.advisory and stage.period is not None:
        steps.append(Step("appeal_advisory"))
    if str(stage.note).strip():
        if stage.verified:
            steps.append(Step("note", name=stage.note))
        else:
            steps.append(Step("unverified", name=stage.note, detail=f"appeal:{stage.id}"))
    return steps


def _appeal_deadline(
    law: FoiLaw, spec: HolidayCalendar, stage: AppealStage, trigger: date
) -> AppealDeadline:
    steps = [
        Step("appeal_stage", name=stage.name, detail=stage.body, provision=stage.citation),
        Step("appeal_trigger", day=trigger, detail=stage.counted_from),
    ]
    due: date | None = None
    if stage.period is None:
        steps.append(Step("appeal_no_limit_confirmed" if stage.verified else "appeal_no_limit"))
    else:
        end = _count(trigger, stage.period, spec, [], steps)
        due = _roll(end, stage.rollover or law.rollover, spec, steps, law.rollover_basis.provision)
        steps.append(Step("appeal_due", day=due))
        if stage.any_time:
            steps.append(Step("appeal_any_time"))
    steps += _stage_remarks(stage)
    return AppealDeadline(
        stage=stage, trigger=trigger, due=due, steps=tuple(steps), any_time=stage.any_time
    )


def compute_appeal_deadlines(
    law: FoiLaw, trigger: date, *, event: AppealTrigger | None = None
) -> list[AppealDeadline]:
    """The requester's deadline for each appeal stage, counted from ``trigger``.

    ``trigger`` is the date of the event each stage runs from (its ``counted_from``); pass
    ``event`` to keep only the stages that run from that event. A country without a law has
    no appeal stages, so the list is empty. Appeals are counted on the law's own calendar:
    the requester files them with another body (a council, a commissioner, a court), whose
    seat CityWatch does not record.

    Raises:
        DateOutOfRange: ``trigger`` or a computed last day lies outside the years the holiday
            data covers for the law's country.
    """
    _check_in_range(law.calendar, trigger)
    return [
        _appeal_deadline(law, law.calendar, stage, trigger)
        for stage in law.appeals
        if event is None or stage.counted_from == event
    ]


# --- storing explanations ------------------------------------------------------------------


def step_to_dict(step: Step) -> dict:
    """A step as JSON-ready data, so an explanation can be stored and rendered later in any
    language: catalogue texts are stored in their source language."""
    with translation.override(None):
        return {
            "code": step.code,
            "day": step.day.isoformat() if step.day else None,
            "other": step.other.isoformat() if step.other else None,
            "count": step.count,
            "unit": str(step.unit),
            "name": str(step.name),
            "detail": str(step.detail),
            "provision": step.provision,
        }


def step_from_dict(data: dict) -> Step:
    """The inverse of :func:`step_to_dict`; tolerant of steps stored by older versions.

    Raises:
        KeyError: the step has no code.
        ValueError: a date is malformed.
    """
    return Step(
        code=data["code"],
        day=date.fromisoformat(data["day"]) if data.get("day") else None,
        other=date.fromisoformat(data["other"]) if data.get("other") else None,
        count=data.get("count"),
        unit=data.get("unit", ""),
        name=data.get("name", ""),
        detail=data.get("detail", ""),
        provision=data.get("provision", ""),
    )
