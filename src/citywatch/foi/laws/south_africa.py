"""South Africa: the Promotion of Access to Information Act 2 of 2000 (PAIA).

30 days, one extension of up to 30 days, silence is a refusal. Days are read with the
Interpretation Act 33 of 1957 s. 4: Saturdays count, a last day on a Sunday or public holiday
moves. Figures checked in November 2026.
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

PAIA_GAZETTE_S25 = Source(
    "https://en.m.wikisource.org/wiki/Page:Promotion_of_Access_to_Information_Act_2000.djvu/18",
    _("PAIA as published in the Government Gazette, ss. 25-26 (Wikisource)"),
)
PAIA_GAZETTE_S75 = Source(
    "https://en.m.wikisource.org/wiki/Page:Promotion_of_Access_to_Information_Act_2000.djvu/37",
    _("PAIA as published in the Government Gazette, s. 75 (Wikisource)"),
)
PAIA_S27 = Source(
    "https://www.acts.co.za/promotion-of-access-to-information-act-2000/27__deemed_refusal_of_request",
    _("PAIA s. 27 (Acts Online)"),
)
PAIA_S22 = Source(
    "https://www.acts.co.za/promotion-of-access-to-/22__fees.php",
    _("PAIA s. 22 (Acts Online)"),
)
PAIA_ACTS_ONLINE = Source(
    "https://www.acts.co.za/promotion-of-access-to-information-act-2000/25_decision_on_request_and_notice_thereof",
    _("PAIA on Acts Online"),
)
INTERPRETATION_ACT_S4 = Source(
    "https://creditdata.co.za/what-is-meant-by-days/",
    _("Guidance quoting the Interpretation Act 33 of 1957 s. 4 in full"),
)

_SECTION_4 = Basis(
    provision="Interpretation Act 33 of 1957 s. 4",
    sources=(INTERPRETATION_ACT_S4,),
    note=_(
        "The first day is left out and the last counted; a last day on a Sunday or public "
        "holiday moves to the next day that is neither, so Saturdays count."
    ),
)

SOUTH_AFRICA = FoiLaw(
    id="za-paia-2000",
    country="ZA",
    subdivision=None,
    name=_("Promotion of Access to Information Act 2 of 2000"),
    short_name=_("PAIA"),
    official_name="Promotion of Access to Information Act 2 of 2000",
    citation="PAIA ss. 11 and 25-27",
    url="",
    time_zone="Africa/Johannesburg",
    period=Period(30, Unit.CALENDAR_DAYS),
    period_basis=Basis(provision="PAIA s. 25(1)", sources=(PAIA_GAZETTE_S25,)),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=_SECTION_4,
    calendar=HolidayCalendar("ZA", weekend=SUNDAY_ONLY),
    calendar_basis=_SECTION_4,
    extension=Extension(30, Unit.CALENDAR_DAYS),
    extension_basis=Basis(
        provision="PAIA s. 26(1)",
        sources=(PAIA_GAZETTE_S25,),
        note=_("Once, by not more than 30 days."),
    ),
    silence=SilenceEffect.DEEMED_REFUSED,
    silence_basis=Basis(provision="PAIA s. 27", sources=(PAIA_S27,)),
    stops_basis=Basis(
        provision="PAIA s. 22",
        sources=(PAIA_S22,),
        verified=False,
        note=_(
            "The request fee must be paid before further processing, but no express suspension "
            "of the 30 days was found in the subsections retrieved; CityWatch does not stop the "
            "clock for fees."
        ),
    ),
    appeals=(
        AppealStage(
            id="internal-appeal",
            name=_("Internal appeal (public bodies listed in s. 74)"),
            body=_("The relevant authority of the public body"),
            period=Period(60, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.DECISION,
            rollover=Rollover.NONE,
            basis=Basis(
                provision="PAIA s. 75(1)(a)",
                sources=(PAIA_GAZETTE_S75,),
                note=_(
                    "A shorter period applies where a third party must be notified; that "
                    "figure was not seen."
                ),
            ),
        ),
        AppealStage(
            id="internal-appeal-silence",
            name=_("Internal appeal against the deemed refusal"),
            body=_("The relevant authority of the public body"),
            period=Period(60, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.SILENCE,
            rollover=Rollover.NONE,
            basis=Basis(provision="PAIA ss. 27 and 75(1)(a)", sources=(PAIA_S27, PAIA_GAZETTE_S75)),
        ),
        AppealStage(
            id="regulator-complaint",
            name=_("Complaint to the Information Regulator"),
            body=_("Information Regulator (South Africa)"),
            period=Period(180, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.REVIEW_DECISION,
            rollover=Rollover.NONE,
            basis=Basis(
                provision="PAIA s. 77B",
                sources=(PAIA_ACTS_ONLINE,),
                verified=False,
                note=_("The text of s. 77B was not retrieved: 180 days is unconfirmed."),
            ),
        ),
    ),
)

LAWS = (SOUTH_AFRICA,)
