"""Kenya: the Access to Information Act, 2016 (No. 31 of 2016).

21 days, one extension of up to 14 days, silence is a refusal; a review by the Commission on
Administrative Justice within 30 days of notification. Figures checked in November 2026.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citywatch.foi.laws.schema import (
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

ATI_SECTION_9 = Source(
    "https://ictpolicyafrica.org/es/document/d1t26waztm?page=11&searchTerm=right",
    _("Access to Information Act 2016 s. 9, as published (ICT Policy Africa)"),
)
ATI_SECTION_14 = Source(
    "https://www.citizenguide.ke/acts/parliament/access-to-information-act-2016/3",
    _("Access to Information Act 2016 s. 14 (Citizen Guide)"),
)
IGPA_CAP_2 = Source(
    "http://www.kenyalaw.org:8181/exist/kenyalex/actview.xql?actid=CAP.%202",
    _("Interpretation and General Provisions Act (Cap. 2) on Kenya Law"),
)

_SECTION_57 = Basis(
    provision="Interpretation and General Provisions Act (Cap. 2) s. 57",
    sources=(IGPA_CAP_2,),
    verified=False,
    note=_(
        "A deadline ending on an excluded day moves to the next day; whether Saturdays are "
        "excluded days under s. 57 was not confirmed (its text was not retrieved). CityWatch "
        "treats Saturdays, Sundays and public holidays as excluded."
    ),
)

KENYA = FoiLaw(
    id="ke-ati-2016",
    country="KE",
    subdivision=None,
    name=_("Access to Information Act, 2016 (No. 31 of 2016)"),
    short_name=_("Access to Information Act 2016 (Kenya)"),
    official_name="Access to Information Act, 2016",
    citation="ATI Act 2016 ss. 8, 9 and 14",
    url="",
    time_zone="Africa/Nairobi",
    period=Period(21, Unit.CALENDAR_DAYS),
    period_basis=Basis(
        provision="ATI Act 2016 s. 9(1)",
        sources=(ATI_SECTION_9,),
        note=_("21 days of receipt; 48 hours for life or liberty (not modelled)."),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=_SECTION_57,
    calendar=HolidayCalendar("KE", language="en_KE"),
    calendar_basis=_SECTION_57,
    extension=Extension(14, Unit.CALENDAR_DAYS),
    extension_basis=Basis(
        provision="ATI Act 2016 s. 9(3)",
        sources=(ATI_SECTION_9,),
        note=_("Once, by not more than 14 days, for large requests or consultations."),
    ),
    silence=SilenceEffect.DEEMED_REFUSED,
    silence_basis=Basis(provision="ATI Act 2016 s. 9(6)", sources=(ATI_SECTION_9,)),
    appeals=(
        AppealStage(
            id="caj-review",
            name=_("Application for review"),
            body=_("Commission on Administrative Justice (Office of the Ombudsman)"),
            period=Period(30, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.DECISION,
            rollover=Rollover.NONE,
            basis=Basis(
                provision="ATI Act 2016 s. 14(2)",
                sources=(ATI_SECTION_14,),
                note=_(
                    "30 days from the day the decision is notified, or longer if the Commission "
                    "allows."
                ),
            ),
        ),
        AppealStage(
            id="caj-review-silence",
            name=_("Application for review of the deemed refusal"),
            body=_("Commission on Administrative Justice (Office of the Ombudsman)"),
            period=Period(30, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.SILENCE,
            rollover=Rollover.NONE,
            trigger_note=_(
                "A deemed refusal is never notified: CityWatch counts the 30 days from the day "
                "the deadline passed, the earliest reading."
            ),
            basis=Basis(
                provision="ATI Act 2016 ss. 9(6) and 14(2)",
                sources=(ATI_SECTION_14,),
                verified=False,
                note=_(
                    "When the 30 days start for a deemed refusal is not settled; the Commission "
                    "may allow more time."
                ),
            ),
        ),
    ),
)

LAWS = (KENYA,)
