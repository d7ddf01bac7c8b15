"""Serbia: Zakon o slobodnom pristupu informacijama od javnog značaja (ZSPI).

15 days, up to 40 in all; silence opens a complaint to the Commissioner. Periods are counted
under the general administrative procedure law (ZUP). Figures checked in November 2026.
Provisions are cited in the law's own terms ("čl." is "article").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from citywatch.foi.laws.schema import (
    AppealStage,
    AppealTrigger,
    Basis,
    ClockStart,
    ClockStopRule,
    Extension,
    FoiLaw,
    HolidayCalendar,
    Period,
    Rollover,
    SilenceEffect,
    Source,
    StopEffect,
    StopKind,
    Unit,
)

COMMISSIONER_COMPLAINTS = Source(
    "https://www.poverenik.rs/sr-yu/pristup-informacijama/kome-se-zaliti-pi.html",
    _("The Commissioner for Information of Public Importance: who to complain to"),
)
GLOSSARY_15_DAYS = Source(
    "https://www.glosarijum.rs/pristup-informacijama-od-javnog-znacaja-3/",
    _("Legal glossary: the authority answers within 15 days of receipt"),
)
ZUP_ARTICLE_80 = Source(
    "https://aktivasistem.com/news/rok-za-podnosenje-prepisa-arhivske-knjige/",
    _("A compliance notice quoting the general administrative procedure law, art. 80"),
)
COURT_INFORMATION_PAGE = Source(
    "http://su.os.sud.rs/p/informacije",
    _("A court's information page summarising art. 15 (incomplete requests)"),
)

_ZUP_80 = Basis(
    provision="ZUP čl. 80 (Sl. glasnik RS 18/2016, 95/2018)",
    sources=(ZUP_ARTICLE_80,),
    note=_(
        "When the last day falls on a day the authority does not work, the period ends at the "
        "end of its next working day; this covers Saturdays when the office is closed."
    ),
)

SERBIA = FoiLaw(
    id="rs-2004",
    country="RS",
    subdivision=None,
    # Translators: the name of Serbia's FOI law; in Serbian its official title, "Zakon o
    # slobodnom pristupu informacijama od javnog značaja".
    name=_("Law on Free Access to Information of Public Importance"),
    # Translators: a short name of Serbia's FOI law; in Serbian e.g. "Zakon o slobodnom
    # pristupu informacijama".
    short_name=_("Free Access to Information Act (Serbia)"),
    official_name="Zakon o slobodnom pristupu informacijama od javnog značaja",
    citation="Sl. glasnik RS 120/2004, 54/2007, 104/2009, 36/2010 i 105/2021; čl. 16 i 22",
    url="",
    time_zone="Europe/Belgrade",
    period=Period(15, Unit.CALENDAR_DAYS),
    period_basis=Basis(
        provision="ZSPI čl. 16",
        sources=(GLOSSARY_15_DAYS, COMMISSIONER_COMPLAINTS),
        note=_("15 days from receipt of the request."),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=_ZUP_80,
    calendar=HolidayCalendar("RS", language="en_US"),
    calendar_basis=Basis(
        provision="ZUP čl. 80",
        sources=(ZUP_ARTICLE_80,),
        note=_(
            "Saturdays, Sundays and Serbia's public holidays (including the Orthodox Easter "
            "holidays) are treated as days the authority does not work."
        ),
    ),
    extension=Extension(25, Unit.CALENDAR_DAYS),
    extension_basis=Basis(
        provision="ZSPI čl. 16",
        sources=(COMMISSIONER_COMPLAINTS,),
        note=_(
            "For justified reasons, up to 40 days from receipt in all, if the requester is told."
        ),
    ),
    silence=SilenceEffect.NOTHING,
    silence_basis=Basis(
        provision="ZSPI čl. 22",
        sources=(COMMISSIONER_COMPLAINTS,),
        note=_("Silence is not a decision: it opens a complaint to the Commissioner."),
    ),
    stops=(
        ClockStopRule(
            StopKind.CLARIFICATION,
            StopEffect.RESTART,
            Basis(
                provision="ZSPI čl. 15",
                sources=(COURT_INFORMATION_PAGE,),
                verified=False,
                note=_(
                    "An incomplete request must be completed within 15 days of the "
                    "authority's instructions, or it is rejected. Whether the authority's 15 "
                    "days then run afresh is not said; CityWatch restarts them."
                ),
            ),
        ),
    ),
    appeals=(
        AppealStage(
            id="commissioner-complaint",
            name=_("Complaint against the decision"),
            body=_(
                "Commissioner for Information of Public Importance and Personal Data Protection"
            ),
            period=Period(15, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.DECISION,
            basis=Basis(
                provision="ZSPI čl. 22",
                sources=(COMMISSIONER_COMPLAINTS,),
                note=_("15 days from delivery of the decision or of the rejection order."),
            ),
        ),
        AppealStage(
            id="commissioner-complaint-silence",
            name=_("Complaint against the silence of the administration"),
            body=_(
                "Commissioner for Information of Public Importance and Personal Data Protection"
            ),
            period=None,
            counted_from=AppealTrigger.SILENCE,
            basis=Basis(
                provision="ZSPI čl. 22",
                sources=(COMMISSIONER_COMPLAINTS,),
                verified=False,
                note=_(
                    "The Commissioner accepts a complaint once the 15 days have passed and "
                    "states no end date; the page may predate the 2021-22 amendments."
                ),
            ),
        ),
    ),
)

LAWS = (SERBIA,)
