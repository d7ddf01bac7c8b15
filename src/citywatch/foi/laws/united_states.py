"""The United States: the federal Freedom of Information Act, 5 U.S.C. § 552.

20 working days on the federal calendar; the time zone is that of Washington, D.C., where most
agencies have their headquarters (a field office's seat refines it). Figures checked in
November 2026.
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

US_CODE = Source(
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title5-section552&num=0&edition=prelim",
    _("5 U.S.C. § 552 in the United States Code (House of Representatives)"),
)
STATUTES_AT_LARGE = Source(
    "http://en.wikisource.org/wiki/Page:United_States_Statutes_at_Large_Volume_121.djvu/2547",
    _("OPEN Government Act of 2007, Statutes at Large vol. 121 (tolling)"),
)
DOJ_OIP_TOLLING = Source(
    "https://webarchive.library.unt.edu/eot2008/20090131174750/http:/www.usdoj.gov/oip/foiapost/2008foiapost29.htm",
    _("Department of Justice, Office of Information Policy: guidance on tolling (2008)"),
)

_TOLLING_NOTE = _(
    "The agency may toll the period once while awaiting information from the requester, and "
    "as often as needed to clarify fees; tolling ends when the agency receives the reply. "
    "Whether the day it asked and the day the reply arrived count was not found: CityWatch "
    "leaves both out, which may give the agency a day or two more than the earliest reading."
)

USA = FoiLaw(
    id="us-foia",
    country="US",
    subdivision=None,
    name=_("Freedom of Information Act, 5 U.S.C. § 552"),
    short_name=_("FOIA (5 U.S.C. § 552)"),
    official_name="Freedom of Information Act, 5 U.S.C. § 552",
    citation="5 U.S.C. § 552(a)(3) and (a)(6)",
    url="https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title5-section552&num=0&edition=prelim",
    time_zone="America/New_York",
    period=Period(20, Unit.WORKING_DAYS),
    period_basis=Basis(
        provision="5 U.S.C. § 552(a)(6)(A)(i)",
        sources=(US_CODE,),
        note=_(
            "The 20 days start when the right component receives the request, and at the "
            "latest 10 working days after any component designated to receive requests does."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=Basis(
        provision="5 U.S.C. § 552(a)(6)(A)(i)",
        sources=(US_CODE,),
        note=_("Counted in working days, the period always ends on a working day."),
    ),
    calendar=HolidayCalendar("US", language="en_US"),
    calendar_basis=Basis(
        provision="5 U.S.C. § 552(a)(6)(A)(i); 5 U.S.C. § 6103",
        sources=(US_CODE,),
        note=_(
            "Working days exclude Saturdays, Sundays and federal legal public holidays; state "
            "holidays do not count, wherever the agency sits."
        ),
    ),
    extension=Extension(10, Unit.WORKING_DAYS),
    extension_basis=Basis(
        provision="5 U.S.C. § 552(a)(6)(B)(i)",
        sources=(US_CODE,),
        note=_("10 more working days in unusual circumstances, by written notice."),
    ),
    silence=SilenceEffect.NOTHING,
    silence_basis=Basis(
        provision="5 U.S.C. § 552(a)(6)(C)(i)",
        sources=(US_CODE,),
        note=_(
            "Silence is not a refusal, but a requester whose deadline has passed is treated as "
            "having exhausted administrative remedies and may go to court."
        ),
    ),
    stops=(
        ClockStopRule(
            StopKind.CLARIFICATION,
            StopEffect.PAUSE,
            Basis(
                provision="5 U.S.C. § 552(a)(6)(A)(ii)(I)",
                sources=(STATUTES_AT_LARGE, DOJ_OIP_TOLLING),
                verified=False,
                note=_TOLLING_NOTE,
            ),
        ),
        ClockStopRule(
            StopKind.FEES,
            StopEffect.PAUSE,
            Basis(
                provision="5 U.S.C. § 552(a)(6)(A)(ii)(II)",
                sources=(STATUTES_AT_LARGE, DOJ_OIP_TOLLING),
                verified=False,
                note=_TOLLING_NOTE,
            ),
        ),
    ),
    appeals=(
        AppealStage(
            id="administrative-appeal",
            name=_("Administrative appeal"),
            body=_("The agency's appeal authority"),
            period=Period(90, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.DECISION,
            rollover=Rollover.NONE,
            basis=Basis(
                provision="5 U.S.C. § 552(a)(6)(A)(i)(III)(aa)",
                sources=(US_CODE,),
                note=_(
                    "At least 90 days after an adverse determination; some agencies' "
                    "regulations allow longer."
                ),
            ),
        ),
    ),
)

LAWS = (USA,)
