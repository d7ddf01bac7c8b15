"""A law's figures in words, for its page: what each figure says, with its basis.

Pure functions over :mod:`citywatch.foi.laws`; every text is translatable and counted text goes
through ``ngettext`` (:func:`citywatch.foi.deadlines.amount_text`). Internal ids (law ids,
stage ids, figure keys) are never part of what these functions return for display.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from citywatch.foi.deadlines import PHRASES, amount_text
from citywatch.foi.laws import (
    AppealStage,
    Basis,
    Extension,
    Figure,
    FoiLaw,
    Rollover,
    SilenceEffect,
    StopEffect,
    figure_label,
)


@dataclass(frozen=True)
class SourceRow:
    url: str
    description: str
    checked: str  # e.g. "November 2026"


@dataclass(frozen=True)
class FigureRow:
    """One line of a law's page: the figure's name, what it says, and its basis."""

    label: str
    value: str
    provision: str
    sources: tuple[SourceRow, ...]
    verified: bool
    note: str
    remarks: tuple[str, ...] = ()  # for appeal stages: who hears it, when it runs from


def checked_text(checked: str) -> str:
    """``YYYY-MM`` (or ``YYYY-MM-DD``) as words in the active language, at that precision."""
    parts = checked.split("-")
    if len(parts) < 2 or not all(part.isdigit() for part in parts):
        return checked
    month = str(PHRASES[f"month:{int(parts[1])}"])
    if len(parts) == 3:
        return f"{int(parts[2])} {month} {parts[0]}"
    return f"{month} {parts[0]}"


def _extension_value(extension: Extension | None) -> str:
    if extension is None:
        return _("None")
    if extension.share == (1, 2):
        return _("Half the initial period")
    if extension.share is not None:
        return _("%(share)s of the initial period") % {
            "share": f"{extension.share[0]}/{extension.share[1]}"
        }
    text = amount_text(extension.amount, extension.unit)
    if extension.times > 1:
        return _("%(amount)s, up to %(times)s times") % {"amount": text, "times": extension.times}
    return text


def _calendar_value(law: FoiLaw) -> str:
    spec = law.calendar
    weekend = ", ".join(str(PHRASES[f"weekday:{day}"]) for day in sorted(spec.weekend))
    parts = [_("Weekend: %(days)s") % {"days": weekend}]
    if spec.subdivisions:
        regions = ", ".join(f"{spec.country}-{code}" for code in spec.subdivisions)
        parts.append(_("holidays of %(regions)s") % {"regions": regions})
    else:
        parts.append(_("national holidays (%(country)s)") % {"country": spec.country})
    if spec.seat_subdivision:
        parts.append(_("holidays of the region where the authority sits"))
    if spec.seat_municipality:
        parts.append(_("local holidays of the municipality where it sits"))
    return "; ".join(parts)


def _value(law: FoiLaw, figure: Figure) -> str:
    key = figure.key
    if key == "period":
        if law.period is None:
            return _("No freedom-of-information law")
        return amount_text(law.period.amount, law.period.unit)
    if key == "rollover":
        if law.rollover == Rollover.NEXT_WORKING_DAY:
            return _("A last day that is not a working day moves to the next working day")
        return _("A last day that is not a working day does not move")
    if key == "calendar":
        return _calendar_value(law)
    if key == "extension":
        return _extension_value(law.extension)
    if key == "silence":
        return {
            SilenceEffect.DEEMED_REFUSED: _("The request counts as refused"),
            SilenceEffect.DEEMED_GRANTED: _("The request counts as granted"),
            SilenceEffect.NOTHING: _("Not a decision: the requester can escalate"),
        }[law.silence]
    if key.startswith("stop:"):
        rule = next(rule for rule in law.stops if f"stop:{rule.kind}" == key)
        if rule.effect == StopEffect.PAUSE:
            return _("The clock pauses and resumes where it stopped")
        return _("The clock starts again from zero")
    if key == "stops":
        return _("See the note")
    return _stage_value(figure.stage) if figure.stage is not None else ""


def _stage_value(stage: AppealStage) -> str:
    event = str(PHRASES.get(f"event:{stage.counted_from}", ""))
    if stage.period is None:
        return _("No time limit") if stage.verified else _("No time limit found")
    value = _("%(amount)s from when %(event)s") % {
        "amount": amount_text(stage.period.amount, stage.period.unit),
        "event": event,
    }
    if stage.advisory:
        value = _("%(value)s (guidance, not law)") % {"value": value}
    return value


def _stage_remarks(stage: AppealStage) -> tuple[str, ...]:
    remarks = [_("Heard by: %(body)s") % {"body": stage.body}]
    if str(stage.trigger_note):
        remarks.append(str(stage.trigger_note))
    if stage.any_time:
        remarks.append(
            _("Accepted after the time limit in practice; the limit is the safe target.")
        )
    return tuple(remarks)


def _sources(basis: Basis) -> tuple[SourceRow, ...]:
    return tuple(
        SourceRow(source.url, str(source.description), checked_text(source.checked))
        for source in basis.sources
    )


def figure_rows(law: FoiLaw) -> tuple[list[FigureRow], list[FigureRow]]:
    """The law's figures as (figures of the law, appeal stages), in page order."""
    figures: list[FigureRow] = []
    appeals: list[FigureRow] = []
    for figure in law.figures():
        row = FigureRow(
            label=str(figure_label(figure.key, figure.stage)),
            value=_value(law, figure),
            provision=figure.basis.provision,
            sources=_sources(figure.basis),
            verified=figure.basis.verified,
            note=str(figure.basis.note),
            remarks=_stage_remarks(figure.stage) if figure.stage is not None else (),
        )
        (appeals if figure.stage is not None else figures).append(row)
    return figures, appeals
