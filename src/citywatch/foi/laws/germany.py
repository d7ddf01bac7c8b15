"""Germany: the federal Informationsfreiheitsgesetz (IFG).

Access "should" be given within one month. Periods are counted under BGB §§ 187-193 (through
VwVfG § 31): only the last day can move, and it moves past a Saturday, Sunday or a statutory
holiday of the place where the authority sits (its Land). Figures checked in November 2026.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citywatch.foi.laws.schema import (
    AppealStage,
    AppealTrigger,
    Basis,
    ClockStart,
    FoiLaw,
    HolidayCalendar,
    Period,
    Rollover,
    SilenceEffect,
    Source,
    Unit,
)

IFG_TEXT = Source(
    "https://www.gesetze-im-internet.de/ifg/",
    _("IFG, official text on gesetze-im-internet.de"),
)
IFG_SECTION_7 = Source(
    "https://lexetius.com/IFG/7/antrag-und-verfahren",
    _("IFG § 7 (application and procedure)"),
)
HAUFE_PERIOD_END = Source(
    "https://haufe.de/personal/haufe-personal-office-platin/jansen-sgbx-26-fristen-und-termine-23-fristablauf_idesk_PI42323_HI2748216.html",
    _("Commentary on the end of periods: the holidays of the place where the act is due count"),
)

GERMANY = FoiLaw(
    id="de-ifg",
    country="DE",
    subdivision=None,
    name=_(
        "Gesetz zur Regelung des Zugangs zu Informationen des Bundes (Informationsfreiheitsgesetz)"
    ),
    short_name=_("IFG"),
    official_name=(
        "Gesetz zur Regelung des Zugangs zu Informationen des Bundes (Informationsfreiheitsgesetz)"
    ),
    citation="IFG § 1, § 7 Abs. 5",
    url="https://www.gesetze-im-internet.de/ifg/",
    time_zone="Europe/Berlin",
    period=Period(1, Unit.MONTHS),
    period_basis=Basis(
        provision="IFG § 7(5)",
        sources=(IFG_SECTION_7, IFG_TEXT),
        note=_(
            "Access should be given within one month: a target, not a hard limit. After three "
            "months without a decision, an action for failure to act is possible (VwGO § 75)."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=Basis(
        provision="VwVfG § 31; BGB §§ 187-193",
        sources=(HAUFE_PERIOD_END, IFG_SECTION_7),
        note=_(
            "Only the last day matters: if it is a Saturday, Sunday or statutory holiday, the "
            "period ends on the next working day."
        ),
    ),
    calendar=HolidayCalendar("DE", language="en_US", seat_subdivision=True),
    calendar_basis=Basis(
        provision="BGB § 193 (through VwVfG § 31)",
        sources=(HAUFE_PERIOD_END,),
        note=_(
            "Nationwide holidays, plus those of the Land where the authority sits once its seat "
            "is known: 8 March is a holiday in Berlin, Corpus Christi in North Rhine-Westphalia. "
            "Apart from 3 October, holidays are set by the Länder."
        ),
    ),
    extension=None,
    extension_basis=Basis(
        provision="IFG § 7(5)",
        sources=(IFG_SECTION_7,),
        verified=False,
        note=_(
            "No extension is applied: the month is only a target. Whether consulting third "
            "parties (§ 8) lengthens it was not checked."
        ),
    ),
    silence=SilenceEffect.NOTHING,
    silence_basis=Basis(
        provision="IFG § 7(5); VwGO § 75",
        sources=(IFG_TEXT,),
        note=_("Silence is not a decision; after three months, an action for failure to act."),
    ),
    appeals=(
        AppealStage(
            id="widerspruch",
            name=_("Objection (Widerspruch)"),
            body=_("The authority that decided"),
            period=Period(1, Unit.MONTHS),
            counted_from=AppealTrigger.DECISION,
            basis=Basis(
                provision="IFG § 9(4); VwGO § 70",
                sources=(IFG_TEXT,),
                note=_(
                    "One year instead if the decision did not explain the remedies (VwGO § 58)."
                ),
            ),
        ),
        AppealStage(
            id="bfdi-appeal",
            name=_("Appeal to the Federal Commissioner"),
            body=_("Federal Commissioner for Data Protection and Freedom of Information (BfDI)"),
            period=None,
            counted_from=AppealTrigger.DECISION,
            basis=Basis(
                provision="IFG § 12",
                sources=(IFG_TEXT,),
                note=_("No time limit; it does not stop the one-month objection period."),
            ),
        ),
    ),
)

LAWS = (GERMANY,)
