"""The United Kingdom: the Freedom of Information Act 2000 and the Freedom of Information
(Scotland) Act 2002.

Both give 20 working days; they define working days differently (FOIA s. 10(6): a bank holiday
in any part of the UK; FOISA s. 73: Scottish bank holidays), so the authority's seat never
changes the calendar. Figures checked in November 2026.
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

FOIA_S1 = Source(
    "https://www.legislation.gov.uk/ukpga/2000/36/section/1",
    _("FOIA 2000 s. 1 on legislation.gov.uk"),
)
FOIA_S10 = Source(
    "https://www.legislation.gov.uk/ukpga/2000/36/section/10",
    _("FOIA 2000 s. 10 on legislation.gov.uk"),
)
FOIA_S50 = Source(
    "https://www.legislation.gov.uk/ukpga/2000/36/section/50",
    _("FOIA 2000 s. 50 on legislation.gov.uk"),
)
MYSOCIETY_EXTENSIONS = Source(
    "https://www.mysociety.org/2023/07/06/as-time-goes-by/",
    _("mySociety (2023) on public-interest extensions"),
)
LEXOLOGY_EXTENSIONS = Source(
    "https://www.lexology.com/library/detail.aspx?g=a0f35e64-6da6-4fcf-a11a-4ba08f68280d",
    _("Lexology: the ICO's guidance on public-interest extensions"),
)
ICO_CODE_PAGE = Source(
    "https://ico.org.uk/for-organisations/guidance-index/freedom-of-information-and-environmental-information-regulations/section-45-code-of-practice-request-handling",
    _("ICO: the section 45 Code of Practice (2018)"),
)
AUTHORITY_REVIEW_PAGE = Source(
    "https://staffslondon.ac.uk/legal/freedom-of-information",
    _("A public authority's FOI page: reviews asked within 40 working days"),
)
ICO_COMPLAINTS = Source(
    "https://ico.org.uk/make-a-complaint/foi-and-eir-complaints/foi-and-eir-complaints/?answers=g-A-a-C-A-B-A",
    _("ICO: how to complain about an FOI request (six weeks)"),
)
GRC_RULE_22 = Source(
    "https://legislation.gov.uk/id/uksi/2009/1976/rule/22/6/j?view=plain",
    _("Tribunal Procedure (First-tier Tribunal) (General Regulatory Chamber) Rules 2009, r. 22"),
)
FOISA = Source(
    "https://www.legislation.gov.uk/asp/2002/13",
    _("FOISA 2002 on legislation.gov.uk"),
)
SIC_SECTION_56 = Source(
    "http://www.itspublicknowledge.info/Law/FOISA/FOISAPart4/Appeal_Against_Notices_Under_Part_4.asp",
    _("Scottish Information Commissioner: FOISA s. 56"),
)
RCS_CHAPTER_41 = Source(
    "http://www.scotcourts.gov.uk/session/rules/chapter41_03.asp",
    _("Rules of the Court of Session, chapter 41 (rule 41.20)"),
)

_WORKING_DAYS_END_ON_WORKING_DAYS = _(
    "Counted in working days, the period always ends on a working day."
)

UK = FoiLaw(
    id="gb-foia-2000",
    country="GB",
    subdivision=None,
    name=_("Freedom of Information Act 2000"),
    short_name=_("FOIA 2000"),
    official_name="Freedom of Information Act 2000",
    citation="FOIA 2000 s. 1 and s. 10",
    url="https://www.legislation.gov.uk/ukpga/2000/36/section/10",
    time_zone="Europe/London",
    period=Period(20, Unit.WORKING_DAYS),
    period_basis=Basis(
        provision="FOIA 2000 s. 10(1)",
        sources=(FOIA_S10,),
        note=_(
            "The day after receipt is day one; a request received on a weekend or holiday "
            "still counts from its date of receipt."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=Basis(
        provision="FOIA 2000 s. 10(6)",
        sources=(FOIA_S10,),
        note=_WORKING_DAYS_END_ON_WORKING_DAYS,
    ),
    calendar=HolidayCalendar("GB", ("ENG", "NIR", "SCT", "WLS"), language="en_GB"),
    calendar_basis=Basis(
        provision="FOIA 2000 s. 10(6)",
        sources=(FOIA_S10,),
        note=_(
            "A bank holiday in any part of the UK is not a working day: 2 January and St "
            "Andrew's Day (Scotland) and 12 July (Northern Ireland) count as non-working even "
            "for an authority in England, wherever it sits."
        ),
    ),
    extension=Extension(20, Unit.WORKING_DAYS),
    extension_basis=Basis(
        provision="FOIA 2000 s. 10(3)",
        sources=(FOIA_S10, MYSOCIETY_EXTENSIONS, LEXOLOGY_EXTENSIONS),
        verified=False,
        note=_(
            "The Act allows extra time to weigh the public interest, as much as is reasonable, "
            "with no fixed cap. The ICO's guidance says normally no more than 20 further "
            "working days, the figure CityWatch uses; the 2018 Code of Practice's wording on "
            "this was not seen."
        ),
    ),
    silence=SilenceEffect.NOTHING,
    silence_basis=Basis(
        provision="FOIA 2000 s. 50",
        sources=(FOIA_S50,),
        note=_(
            "Silence is not a decision, but once the deadline has passed the requester may "
            "ask for an internal review and then complain to the ICO."
        ),
    ),
    stops=(
        ClockStopRule(
            StopKind.CLARIFICATION,
            StopEffect.RESTART,
            Basis(provision="FOIA 2000 s. 1(3)", sources=(FOIA_S1,)),
        ),
        ClockStopRule(
            StopKind.FEES,
            StopEffect.PAUSE,
            Basis(provision="FOIA 2000 s. 10(2)", sources=(FOIA_S10,)),
        ),
    ),
    appeals=(
        AppealStage(
            id="internal-review",
            name=_("Internal review"),
            body=_("The public authority"),
            period=Period(40, Unit.WORKING_DAYS),
            counted_from=AppealTrigger.DECISION,
            advisory=True,
            basis=Basis(
                provision="s. 45 Code of Practice (2018)",
                sources=(ICO_CODE_PAGE, AUTHORITY_REVIEW_PAGE),
                note=_(
                    "Not in the Act: under the Code of Practice, authorities may decline a "
                    "review asked for more than 40 working days after their response."
                ),
            ),
        ),
        AppealStage(
            id="ico-complaint",
            name=_("Complaint to the Information Commissioner"),
            body=_("Information Commissioner's Office (ICO)"),
            period=Period(6, Unit.WEEKS),
            counted_from=AppealTrigger.REVIEW_DECISION,
            rollover=Rollover.NONE,
            advisory=True,
            trigger_note=_(
                "The six weeks run from the authority's final response, or from your last "
                "substantive contact with it when there was none."
            ),
            basis=Basis(
                provision="FOIA 2000 s. 50(2)(b); ICO complaint guidance",
                sources=(ICO_COMPLAINTS, FOIA_S50),
                note=_(
                    "If the internal review has not been completed after 40 working days, you "
                    "may complain without waiting for it."
                ),
            ),
        ),
        AppealStage(
            id="tribunal-appeal",
            name=_("Appeal against the ICO's decision notice"),
            body=_("First-tier Tribunal (General Regulatory Chamber)"),
            period=Period(28, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.COMMISSIONER_DECISION,
            rollover=Rollover.NONE,
            trigger_note=_(
                "The 28 days run from the day the ICO sent its decision notice, not the day you "
                "received it, and the notice of appeal must reach the tribunal by the last day."
            ),
            basis=Basis(
                provision="FOIA 2000 s. 57; GRC Rules 2009 r. 22(1)(b)",
                sources=(GRC_RULE_22,),
                verified=False,
                note=_(
                    "28 days is confirmed. Whether a last day on a weekend or bank holiday "
                    "moves was not found, so CityWatch does not move it."
                ),
            ),
        ),
    ),
)

SCOTLAND = FoiLaw(
    id="gb-sct-foisa-2002",
    country="GB",
    subdivision="GB-SCT",
    name=_("Freedom of Information (Scotland) Act 2002"),
    short_name=_("FOISA 2002"),
    official_name="Freedom of Information (Scotland) Act 2002",
    citation="FOISA 2002 s. 1 and s. 10",
    url="https://www.legislation.gov.uk/asp/2002/13",
    time_zone="Europe/London",
    period=Period(20, Unit.WORKING_DAYS),
    period_basis=Basis(provision="FOISA s. 10(1)", sources=(FOISA,)),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=Basis(
        provision="FOISA s. 73", sources=(FOISA,), note=_WORKING_DAYS_END_ON_WORKING_DAYS
    ),
    calendar=HolidayCalendar("GB", ("SCT",), language="en_GB"),
    calendar_basis=Basis(
        provision="FOISA s. 73",
        sources=(FOISA,),
        note=_(
            "Working days exclude Saturdays, Sundays, Christmas Day and Scottish bank holidays: "
            "2 January, St Andrew's Day and the first Monday in August are not working days; "
            "Easter Monday and the late August bank holiday are."
        ),
    ),
    extension=None,
    extension_basis=Basis(
        provision="FOISA s. 10",
        sources=(FOISA,),
        note=_("FOISA has no public-interest extension."),
    ),
    silence=SilenceEffect.NOTHING,
    silence_basis=Basis(
        provision="FOISA s. 20",
        sources=(FOISA,),
        note=_(
            "Silence is not a decision, but once the deadline has passed the requester may "
            "require a review."
        ),
    ),
    stops=(
        ClockStopRule(
            StopKind.CLARIFICATION,
            StopEffect.RESTART,
            Basis(provision="FOISA s. 1(3)", sources=(FOISA,)),
        ),
        ClockStopRule(
            StopKind.FEES,
            StopEffect.PAUSE,
            Basis(provision="FOISA s. 10(2)", sources=(FOISA,)),
        ),
    ),
    appeals=(
        AppealStage(
            id="requirement-for-review",
            name=_("Requirement for review"),
            body=_("The Scottish public authority"),
            period=Period(40, Unit.WORKING_DAYS),
            counted_from=AppealTrigger.DECISION,
            basis=Basis(provision="FOISA s. 20(5)", sources=(FOISA,)),
        ),
        AppealStage(
            id="requirement-for-review-silence",
            name=_("Requirement for review after no response"),
            body=_("The Scottish public authority"),
            period=Period(40, Unit.WORKING_DAYS),
            counted_from=AppealTrigger.SILENCE,
            basis=Basis(provision="FOISA s. 20(5)", sources=(FOISA,)),
        ),
        AppealStage(
            id="commissioner-application",
            name=_("Application for a decision"),
            body=_("Scottish Information Commissioner"),
            period=Period(6, Unit.MONTHS),
            counted_from=AppealTrigger.REVIEW_DECISION,
            rollover=Rollover.NONE,
            basis=Basis(
                provision="FOISA s. 47(4)",
                sources=(FOISA,),
                note=_("Six months; no move past non-working days is assumed (the safe reading)."),
            ),
        ),
        AppealStage(
            id="court-of-session-appeal",
            name=_("Appeal on a point of law"),
            body=_("Court of Session"),
            period=Period(42, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.COMMISSIONER_DECISION,
            rollover=Rollover.NONE,
            trigger_note=_(
                "The 42 days run from the day the Commissioner's decision was intimated "
                "(formally notified) to you, which may be earlier than the day you read it."
            ),
            basis=Basis(
                provision="FOISA s. 56; RCS 41.20(1)(b)",
                sources=(SIC_SECTION_56, RCS_CHAPTER_41),
                note=_(
                    "FOISA sets no period, so the Rules of the Court of Session apply: 42 days "
                    "after intimation. A last day on a holiday is not moved (the safe reading)."
                ),
            ),
        ),
    ),
)

LAWS = (UK, SCOTLAND)
