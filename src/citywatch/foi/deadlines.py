"""The deadline engine: when an authority must answer, and when the requester must appeal.

Pure functions over the plain data in :mod:`citywatch.foi.law_catalogue`; no database. Every
result carries the date *and* the steps that led to it. Steps are structured data (a code plus
dates, numbers and names) so that the wording lives in one place, :data:`PHRASES`, whose values
are lazy translation strings (Django's gettext, the only Django import here): :func:`describe`
renders one step in the active language, English by default.

Rules applied everywhere (see docs/foi-deadlines.md):

* Day one is the day after the triggering date (receipt of the request, notification of a
  decision). ``ClockStart.DAY_AFTER_RECEIPT_WORKING`` first moves a receipt on a non-working
  day to the next working day.
* Months run date to date; when the target month is shorter, the period ends on its last day.
* An extension in the same unit lengthens the period (one month + one month = two months from
  receipt); an extension in another unit is counted on from the end of the initial period.
* A paused clock does not count the days from the day it stopped to the day the reply
  arrived, both included (working days for working-day laws, calendar days otherwise). A
  restarted clock counts afresh from the day the reply arrived.
* The last day moves to the next working day when the law says so.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from citywatch.foi.law_catalogue import (
    AppealStage,
    AppealTrigger,
    ClockStart,
    FoiLaw,
    HolidayCalendar,
    Note,
    Period,
    Rollover,
    SilenceEffect,
    StopEffect,
    StopKind,
    Unit,
    all_laws,
    get_law,
)

__all__ = [
    "PHRASES",
    "AppealDeadline",
    "ClockStop",
    "DeadlineResult",
    "Step",
    "add_months",
    "all_laws",
    "compute_appeal_deadlines",
    "compute_due_date",
    "describe",
    "get_law",
    "holiday_name",
    "is_working_day",
    "non_working_reason",
    "render",
    "step_from_dict",
    "step_to_dict",
]

ONE_DAY = timedelta(days=1)

StrOrPromise = str | Promise

# Every phrase of the explanations, as lazy translation strings. Keys are stable codes; values
# are str.format templates (translators keep the {placeholders}). Fields available to a
# template: day, other (formatted dates), count, unit (singular or plural to match count),
# name, detail, kind (a clock-stop reason), event (an appeal trigger), weekday, month, year.
PHRASES: dict[str, StrOrPromise] = {
    "law_period": _("{name}: the authority must answer within {count} {unit}."),
    "received": _("The request reached the authority on {day}."),
    "deemed_received": _(
        "It arrived on a non-working day, so it counts as received on the next working day, {day}."
    ),
    "skipped_weekend": _("{day} skipped: weekend ({weekday})."),
    "skipped_weekend_holiday": _("{day} skipped: weekend ({weekday}), also holiday: {name}."),
    "skipped_holiday": _("{day} skipped: holiday: {name}."),
    "period_end": _("{count} {unit} after {other} is {day}."),
    "period_end_paused": _("{count} {unit} after {other}, leaving out the paused days, is {day}."),
    "period_shifted": _("Adding the {count} paused {unit}, the period ends on {day}."),
    "month_end_clamped": _(
        "{month} {year} has no day {count}, so the period ends on the last day of that "
        "month, {day}."
    ),
    "extension": _("Extension ({name}): {count} more {unit}."),
    "extension_unavailable": _(
        "This law provides no extension, so a claimed extension does not move the deadline."
    ),
    "clock_paused": _(
        "The clock stopped on {day} while waiting for {kind} and resumed after {other}: "
        "{count} {unit} not counted."
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
    "rollover": _("{day} is not a working day, so the deadline moves to {other}."),
    "no_rollover": _(
        "{day} is not a working day, but this law does not move the deadline to the next one."
    ),
    "due": _("Due date: {day}."),
    "silence_deemed_refused": _("If there is no answer by then, the request counts as refused."),
    "silence_deemed_granted": _("If there is no answer by then, the request counts as granted."),
    "silence_nothing": _(
        "If there is no answer by then, the law does not treat silence as a decision, but the "
        "authority is in breach and the requester can escalate."
    ),
    "unverified": _("Not verified ({detail}): {name}"),
    "no_law": _(
        "{name}: there is no freedom-of-information law, so no deadline is legally binding."
    ),
    "advisory": _(
        "CityWatch suggests a follow-up on {day}, {count} {unit} after sending. This date is "
        "advisory only and has no legal force."
    ),
    "appeal_stage": _("{name}, to {detail}."),
    "appeal_trigger": _("Counted from {day}, when {event}."),
    "appeal_due": _("Last day to act: {day}."),
    "appeal_no_limit": _("No time limit applies or none was found: act promptly."),
    "appeal_any_time": _(
        "In practice this step is also accepted after that date; the date above is the "
        "statutory limit and the safe target."
    ),
    "note": _("{name}"),
    # Building blocks.
    "date": _("{weekday} {d} {month} {year}"),
    "unit:calendar_days:one": _("calendar day"),
    "unit:calendar_days:many": _("calendar days"),
    "unit:working_days:one": _("working day"),
    "unit:working_days:many": _("working days"),
    "unit:months:one": _("month"),
    "unit:months:many": _("months"),
    "stop:clarification": _("a clarification from the requester"),
    "stop:fees": _("a fee to be paid"),
    "stop:third_party": _("comments from third parties"),
    "event:decision_notified": _("the decision was notified"),
    "event:deadline_expired": _("the deadline for an answer passed"),
    "event:review_decision_notified": _("the review decision was notified"),
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


@dataclass(frozen=True)
class Step:
    """One line of an explanation, as data. Render it with :func:`describe`."""

    code: str
    day: date | None = None
    other: date | None = None
    count: int | None = None
    unit: str = ""
    name: str = ""
    detail: str = ""


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


def _unit_phrase(unit: str, count: int | None) -> str:
    if not unit:
        return ""
    return PHRASES[f"unit:{unit}:{'one' if count == 1 else 'many'}"]


def describe(step: Step) -> str:
    """One step as a sentence in the active language (English unless another is active)."""
    context = {
        "day": _format_date(step.day),
        "other": _format_date(step.other),
        "count": step.count,
        "unit": _unit_phrase(step.unit, step.count),
        "name": step.name,
        "detail": step.detail,
        "kind": PHRASES.get(f"stop:{step.detail}", step.detail),
        "event": PHRASES.get(f"event:{step.detail}", step.detail),
        "weekday": PHRASES[f"weekday:{step.day.weekday()}"] if step.day else "",
        "month": PHRASES[f"month:{step.day.month}"] if step.day else "",
        "year": step.day.year if step.day else "",
    }
    return PHRASES[step.code].format(**context)


def render(steps: Sequence[Step]) -> str:
    """All steps as text in the active language, one sentence per line."""
    return "\n".join(describe(step) for step in steps)


# --- calendars ---------------------------------------------------------------------------


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
    return result


def holiday_name(spec: HolidayCalendar, day: date) -> str | None:
    """The holiday on ``day`` in this calendar, or None."""
    return _holidays_in_year(spec, day.year).get(day)


def is_working_day(spec: HolidayCalendar, day: date) -> bool:
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
    """The same day number ``months`` later, clamped to the month's end; and whether clamped."""
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

    end = _walk(after, period.amount, countable)
    paused = _report_pauses(pauses, period.unit, steps)
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


def _roll(end: date, rollover: Rollover, spec: HolidayCalendar, steps: list[Step]) -> date:
    if is_working_day(spec, end):
        return end
    if rollover == Rollover.NONE:
        reason = non_working_reason(spec, end)
        if reason is not None:
            steps.append(reason)
        steps.append(Step("no_rollover", day=end))
        return end
    moved = _next_working_day(spec, end, steps)
    steps.append(Step("rollover", day=end, other=moved))
    return moved


def _periods(law: FoiLaw, extended: bool, steps: list[Step]) -> list[Period]:
    assert law.period is not None
    if not extended:
        return [law.period]
    extension = law.extension
    if extension is None:
        steps.append(Step("extension_unavailable"))
        return [law.period]
    extra = extension.amount * extension.times
    steps.append(Step("extension", count=extra, unit=extension.unit, name=extension.citation))
    if extension.unit == law.period.unit:
        return [Period(law.period.amount + extra, law.period.unit)]
    return [law.period, Period(extra, extension.unit)]


def _count_period(
    law: FoiLaw, received: date, pauses: list[_Pause], extended: bool
) -> tuple[date, list[Step]]:
    """Due date for a request received on ``received``, given the pauses; and the steps."""
    spec = law.calendar
    steps: list[Step] = []
    start = received
    if law.start == ClockStart.DAY_AFTER_RECEIPT_WORKING and not is_working_day(spec, received):
        start = _next_working_day(spec, received, steps)
        steps.append(Step("deemed_received", day=start))
    for pause in pauses:
        pause.skipped, pause.reported = 0, False
    end = start
    for period in _periods(law, extended, steps):
        end = _count(end, period, spec, pauses, steps)
    due = _roll(end, law.rollover, spec, steps)
    return due, steps


def _caution(notes: Sequence[Note]) -> list[Step]:
    return [Step("unverified", name=note.text, detail=note.topic) for note in notes]


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


def _check_stops(sent: date, stops: Sequence[ClockStop]) -> None:
    for stop in stops:
        if stop.start < sent:
            raise ValueError(f"clock stop starting {stop.start} is before the request ({sent})")
        if stop.end is not None and stop.end < stop.start:
            raise ValueError(f"clock stop ends ({stop.end}) before it starts ({stop.start})")


@dataclass
class _StopsApplied:
    """Where the count stands once the clock stops are taken into account."""

    received: date
    pauses: list[_Pause]
    steps: list[Step]
    stopped: bool = False  # the authority is still waiting: no due date


def _apply_stops(
    law: FoiLaw, sent: date, stops: Sequence[ClockStop], extended: bool
) -> _StopsApplied:
    """Apply the stops in date order; each is judged against the deadline as it then stands."""
    applied = _StopsApplied(received=sent, pauses=[], steps=[])
    for stop in sorted(stops, key=lambda s: s.start):
        rule = law.stop_rule(stop.kind)
        due, _ = _count_period(law, applied.received, applied.pauses, extended)
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
) -> DeadlineResult:
    """When the authority must answer a request it received on ``sent``.

    ``sent`` is taken as the day the authority received the request (the same day for e-mail
    and portals; for post, pass the day of delivery). ``stops`` are the times the authority
    waited for the requester; ``extended`` applies the law's full extension (as notified by
    the authority).
    """
    if law.period is None:
        return _advisory_result(law, sent)
    _check_stops(sent, stops)
    header = [
        Step("law_period", name=law.short_name, count=law.period.amount, unit=law.period.unit),
        Step("received", day=sent),
    ]
    applied = _apply_stops(law, sent, stops, extended)
    if applied.stopped:
        steps = header + applied.steps + _unverified(law, "stops")
        return DeadlineResult(
            law_id=law.id,
            sent=sent,
            due=None,
            silence=law.silence,
            steps=tuple(steps),
            clock_running=False,
        )
    due, count_steps = _count_period(law, applied.received, applied.pauses, extended)
    topics = ["period", "rollover", "calendar", "silence"]
    topics += ["extension"] if extended else []
    topics += ["stops"] if stops else []
    steps = [
        *header,
        *applied.steps,
        *count_steps,
        Step("due", day=due),
        Step(f"silence_{law.silence}"),
        *_unverified(law, *topics),
    ]
    return DeadlineResult(
        law_id=law.id, sent=sent, due=due, silence=law.silence, steps=tuple(steps)
    )


def _appeal_deadline(law: FoiLaw, stage: AppealStage, trigger: date) -> AppealDeadline:
    steps = [
        Step("appeal_stage", name=stage.name, detail=stage.body),
        Step("appeal_trigger", day=trigger, detail=stage.counted_from),
    ]
    due: date | None = None
    if stage.period is None:
        steps.append(Step("appeal_no_limit"))
    else:
        end = _count(trigger, stage.period, law.calendar, [], steps)
        due = _roll(end, stage.rollover or law.rollover, law.calendar, steps)
        steps.append(Step("appeal_due", day=due))
        if stage.any_time:
            steps.append(Step("appeal_any_time"))
    if stage.note:
        step = Step("unverified", name=stage.note, detail=stage.id)
        steps.append(step if not stage.verified else Step("note", name=stage.note))
    return AppealDeadline(
        stage=stage, trigger=trigger, due=due, steps=tuple(steps), any_time=stage.any_time
    )


def compute_appeal_deadlines(
    law: FoiLaw, trigger: date, *, event: AppealTrigger | None = None
) -> list[AppealDeadline]:
    """The requester's deadline for each appeal stage, counted from ``trigger``.

    ``trigger`` is the date of the event each stage runs from (its ``counted_from``); pass
    ``event`` to keep only the stages that run from that event. A country without a law has
    no appeal stages, so the list is empty.
    """
    return [
        _appeal_deadline(law, stage, trigger)
        for stage in law.appeals
        if event is None or stage.counted_from == event
    ]


# --- storing explanations ------------------------------------------------------------------


def step_to_dict(step: Step) -> dict:
    """A step as JSON-ready data, so an explanation can be stored and rendered later."""
    return {
        "code": step.code,
        "day": step.day.isoformat() if step.day else None,
        "other": step.other.isoformat() if step.other else None,
        "count": step.count,
        "unit": str(step.unit),
        "name": step.name,
        "detail": str(step.detail),
    }


def step_from_dict(data: dict) -> Step:
    return Step(
        code=data["code"],
        day=date.fromisoformat(data["day"]) if data.get("day") else None,
        other=date.fromisoformat(data["other"]) if data.get("other") else None,
        count=data.get("count"),
        unit=data.get("unit", ""),
        name=data.get("name", ""),
        detail=data.get("detail", ""),
    )
