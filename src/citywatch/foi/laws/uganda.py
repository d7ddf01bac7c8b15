"""Uganda: the Access to Information Act, 2005.

21 days, one extension of up to 21 days, silence is a refusal. Periods are read with the
Interpretation Act (Chapter 2 in the 2023 revised edition; Cap. 3 in 2000). Figures checked in
November 2026.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citywatch.foi.laws.schema import (
    SUNDAY_ONLY,
    AppealStage,
    AppealTrigger,
    Basis,
    ClockStart,
    Extension,
    FoiLaw,
    HolidayCalendar,
    Period,
    Rollover,
    SilenceEffect,
    Source,
    Unit,
)

ULII_ACT = Source(
    "https://ulii.org/en/akn/ug/act/2005/6/eng@2023-12-31",
    _("Access to Information Act 2005 on ULII (2023 revised edition)"),
)
ULII_INTERPRETATION_ACT = Source(
    "https://ulii.org/akn/ug/act/decree/1976/18/eng@2023-12-31",
    _("Interpretation Act on ULII, Chapter 2 of the 2023 revised edition"),
)
BYARUHANGA_1993 = Source(
    "https://ulii.org/ug/judgment/high-court-uganda/1993/15",
    _("Byaruhanga v Rukungiri District Administration [1993] UGHC 15: only a final Sunday moves"),
)
UGANDA_LAWS_ACT = Source(
    "https://ugandalaws.com/statutes/principal-legislation/2-access-to-information-act-2005.html",
    _("Access to Information Act 2005, arrangement of sections"),
)

UGANDA = FoiLaw(
    id="ug-ati-2005",
    country="UG",
    subdivision=None,
    name=_("Access to Information Act, 2005 (Act 6 of 2005)"),
    short_name=_("Access to Information Act 2005 (Uganda)"),
    official_name="Access to Information Act, 2005",
    citation="ATI Act 2005 ss. 16-18 and 37; Interpretation Act (Cap. 2) s. 34",
    url="https://ulii.org/en/akn/ug/act/2005/6/eng@2023-12-31",
    time_zone="Africa/Kampala",
    period=Period(21, Unit.CALENDAR_DAYS),
    period_basis=Basis(
        provision="ATI Act 2005 s. 16",
        sources=(ULII_ACT,),
        note=_(
            "21 days. Section numbers are those of the Act as enacted; the 2023 revised edition "
            "renumbers them."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=Basis(
        provision="Interpretation Act (Cap. 2) s. 34",
        sources=(BYARUHANGA_1993, ULII_INTERPRETATION_ACT),
        note=_(
            "Only a last day that falls on a Sunday moves; Saturdays, and Sundays inside the "
            "period, count. As 21 days are three weeks, a period ends on the weekday it began."
        ),
    ),
    calendar=HolidayCalendar("UG", weekend=SUNDAY_ONLY),
    calendar_basis=Basis(
        provision="Interpretation Act (Cap. 2) s. 34",
        sources=(ULII_INTERPRETATION_ACT,),
        verified=False,
        note=_(
            "That a last day on a public holiday moves as well is assumed; the text of s. 34 "
            "was not retrieved."
        ),
    ),
    extension=Extension(21, Unit.CALENDAR_DAYS),
    extension_basis=Basis(
        provision="ATI Act 2005 s. 17",
        sources=(ULII_ACT,),
        note=_("Once, for not more than 21 days."),
    ),
    silence=SilenceEffect.DEEMED_REFUSED,
    silence_basis=Basis(provision="ATI Act 2005 s. 18", sources=(ULII_ACT,)),
    appeals=(
        AppealStage(
            id="chief-magistrate-complaint",
            name=_("Complaint to the Chief Magistrate"),
            body=_("Chief Magistrate's court"),
            period=None,
            counted_from=AppealTrigger.DECISION,
            basis=Basis(
                provision="ATI Act 2005 s. 37",
                sources=(UGANDA_LAWS_ACT,),
                verified=False,
                note=_(
                    "Section 37 provides the complaint; its text, and any time limit, was not "
                    "retrieved."
                ),
            ),
        ),
    ),
)

LAWS = (UGANDA,)
