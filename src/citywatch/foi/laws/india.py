"""India: the Right to Information Act, 2005.

30 days, silence is a refusal; the requester's appeals are filings at an office, which the
General Clauses Act 1897 s. 10 moves past a day the office is closed. Figures checked in
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

RTI_SECTION_7 = Source(
    "https://www.indianconstitution.in/2021/08/section-7-right-to-information-act-2005.html",
    _("RTI Act 2005 s. 7, full text"),
)
RTI_SECTION_19 = Source(
    "https://elearning.uou.ac.in/pluginfile.php/135248/mod_imscp/content/1/97appeal_meaning_and_its_scope.html",
    _("Uttarakhand Open University: RTI appeals under s. 19, with the section's text"),
)
RTI_SECTION_19_SUMMARY = Source(
    "https://legalup.in/?p=1155",
    _("A legal summary of RTI Act s. 19"),
)
GENERAL_CLAUSES_S10 = Source(
    "https://advocatekhoj.com/library/bareActs/generalclauses/10.php?STitle=Computation+of+time&Title=General+Clauses+Act%2C+1897",
    _("General Clauses Act 1897 s. 10 (computation of time)"),
)
ALPCA_FEES = Source(
    "https://www.alpca.in/detail/2802.aspx",
    _("A practitioners' note on the period excluded under s. 7(3)"),
)

_GCA_10 = _(
    "A late appeal may be admitted for sufficient cause. A last day on which the office is "
    "closed moves to the next day it is open (General Clauses Act 1897 s. 10)."
)

INDIA = FoiLaw(
    id="in-rti-2005",
    country="IN",
    subdivision=None,
    name=_("Right to Information Act, 2005"),
    short_name=_("RTI Act 2005"),
    official_name="Right to Information Act, 2005",
    citation="RTI Act 2005 ss. 6, 7 and 19",
    url="",
    time_zone="Asia/Kolkata",
    period=Period(30, Unit.CALENDAR_DAYS),
    period_basis=Basis(
        provision="RTI Act s. 7(1)",
        sources=(RTI_SECTION_7,),
        note=_(
            "30 days. Not modelled: 48 hours for life or liberty, 5 more days when filed "
            "through an Assistant PIO, 40 days when a third party is involved."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NONE,
    rollover_basis=Basis(
        provision="General Clauses Act 1897 s. 10",
        sources=(GENERAL_CLAUSES_S10,),
        verified=False,
        note=_(
            "Section 10 moves a last day on which an office is closed for acts to be done at "
            "that office, which fits the requester's appeals; no source applies it to the "
            "PIO's own 30 days, so CityWatch does not move that deadline."
        ),
    ),
    calendar=HolidayCalendar("IN", language="en_IN"),
    calendar_basis=Basis(
        provision="General Clauses Act 1897 s. 10",
        verified=False,
        note=_(
            "The holidays package's national list is used; central and state government office "
            "calendars differ."
        ),
    ),
    extension=None,
    extension_basis=Basis(
        provision="RTI Act s. 7(1)",
        sources=(RTI_SECTION_7,),
        note=_("No extension: only the variants named for the period."),
    ),
    silence=SilenceEffect.DEEMED_REFUSED,
    silence_basis=Basis(provision="RTI Act s. 7(2)", sources=(RTI_SECTION_7,)),
    stops=(
        ClockStopRule(
            StopKind.FEES,
            StopEffect.PAUSE,
            Basis(
                provision="RTI Act s. 7(3)(a)",
                sources=(RTI_SECTION_7, ALPCA_FEES),
                verified=False,
                note=_(
                    "Left out: the time between the despatch of the fee intimation (not the "
                    "date of the letter) and payment. Whether those two days themselves are "
                    "left out is not settled; CityWatch leaves both out."
                ),
            ),
        ),
    ),
    appeals=(
        AppealStage(
            id="first-appeal",
            name=_("First appeal"),
            body=_("First Appellate Authority (an officer senior to the PIO)"),
            period=Period(30, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.DECISION,
            rollover=Rollover.NEXT_WORKING_DAY,
            basis=Basis(
                provision="RTI Act s. 19(1); General Clauses Act 1897 s. 10",
                sources=(RTI_SECTION_19, GENERAL_CLAUSES_S10),
                note=_GCA_10,
            ),
        ),
        AppealStage(
            id="first-appeal-silence",
            name=_("First appeal after no decision"),
            body=_("First Appellate Authority (an officer senior to the PIO)"),
            period=Period(30, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.SILENCE,
            rollover=Rollover.NEXT_WORKING_DAY,
            basis=Basis(
                provision="RTI Act s. 19(1); General Clauses Act 1897 s. 10",
                sources=(RTI_SECTION_19, GENERAL_CLAUSES_S10),
                note=_GCA_10,
            ),
        ),
        AppealStage(
            id="second-appeal",
            name=_("Second appeal"),
            body=_("Central or State Information Commission"),
            period=Period(90, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.REVIEW_DECISION,
            rollover=Rollover.NEXT_WORKING_DAY,
            basis=Basis(
                provision="RTI Act s. 19(3); General Clauses Act 1897 s. 10",
                sources=(RTI_SECTION_19, RTI_SECTION_19_SUMMARY, GENERAL_CLAUSES_S10),
                note=_GCA_10,
            ),
        ),
    ),
)

LAWS = (INDIA,)
