"""Freedom-of-information laws as plain data.

Each law is a frozen dataclass that the deadline engine (``citywatch.foi.deadlines``) reads.
Nothing here imports Django: the same records can seed a database table later, be shown on a
page, or be checked in a test.

Honesty rule: every figure that could not be confirmed against the legal text (or an official
or otherwise reliable secondary source) carries a :class:`Note` with ``verified=False`` saying
what is uncertain. ``FoiLaw.verified`` is true only when no such note exists, so the interface
can flag a law visibly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SATURDAY_SUNDAY = frozenset({5, 6})
SUNDAY_ONLY = frozenset({6})


class Unit(StrEnum):
    """How a period is counted."""

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


class ClockStart(StrEnum):
    """When the count begins.

    ``DAY_AFTER_RECEIPT``: day one is the day after the request reached the authority, whatever
    kind of day receipt was on.

    ``DAY_AFTER_RECEIPT_WORKING``: a request received on a non-working day counts as received
    on the next working day; day one is the day after that (Spain, Ley 39/2015 art. 31.2.b).
    """

    DAY_AFTER_RECEIPT = "day_after_receipt"
    DAY_AFTER_RECEIPT_WORKING = "day_after_receipt_working"


class Rollover(StrEnum):
    """What happens when the last day of a period is not a working day."""

    NEXT_WORKING_DAY = "next_working_day"
    NONE = "none"


class SilenceEffect(StrEnum):
    """What the law says an unanswered request means once the deadline has passed."""

    DEEMED_REFUSED = "deemed_refused"
    DEEMED_GRANTED = "deemed_granted"
    NOTHING = "nothing"


class StopKind(StrEnum):
    """Why an authority may stop the clock."""

    CLARIFICATION = "clarification"
    FEES = "fees"
    THIRD_PARTY = "third_party"


class StopEffect(StrEnum):
    """How the clock behaves once the reason for stopping it is gone."""

    PAUSE = "pause"  # resumes where it stopped; the stopped days are not counted
    RESTART = "restart"  # starts again from zero on the day the reply arrives


class AppealTrigger(StrEnum):
    """The event from which a requester's appeal period runs."""

    DECISION = "decision_notified"
    SILENCE = "deadline_expired"
    REVIEW_DECISION = "review_decision_notified"
    COMMISSIONER_DECISION = "commissioner_decision_notified"


@dataclass(frozen=True)
class Note:
    """A remark about one figure of a law; ``verified=False`` marks a figure as unconfirmed."""

    topic: str
    text: str
    verified: bool = True


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit


@dataclass(frozen=True)
class Extension:
    """An extension the authority may take (normally by notifying the requester in time)."""

    amount: int
    unit: Unit
    times: int = 1
    citation: str = ""


@dataclass(frozen=True)
class ClockStopRule:
    kind: StopKind
    effect: StopEffect
    citation: str = ""


@dataclass(frozen=True)
class HolidayCalendar:
    """Which days are not working days, for the ``holidays`` package.

    ``subdivisions`` lists subdivision codes as the ``holidays`` package spells them ("MD",
    "SCT"); when there are several, a holiday in any of them is a non-working day (the UK
    Freedom of Information Act counts bank holidays in any part of the UK). ``weekend`` holds
    ``date.weekday()`` numbers (Monday is 0). ``language`` picks the language of holiday names.
    """

    country: str
    subdivisions: tuple[str, ...] = ()
    language: str | None = None
    weekend: frozenset[int] = SATURDAY_SUNDAY


@dataclass(frozen=True)
class AppealStage:
    """A step the requester can take, with the requester's own deadline.

    ``period`` is ``None`` when no time limit applies or none could be found.
    ``any_time`` marks a stage the courts let requesters take at any time although the
    statute states a period: the statutory date is still computed, as the safe target.
    ``rollover`` overrides the law's rollover rule for this stage.
    """

    id: str
    name: str
    body: str
    period: Period | None
    counted_from: AppealTrigger
    citation: str = ""
    rollover: Rollover | None = None
    any_time: bool = False
    verified: bool = True
    note: str = ""


@dataclass(frozen=True)
class FoiLaw:
    id: str
    country: str  # ISO 3166-1 alpha-2
    subdivision: str | None  # ISO 3166-2, e.g. "ES-MD"
    name: str
    short_name: str
    citation: str
    url: str  # official text, or "" when no address could be confirmed
    period: Period | None  # None: no law, nothing binds the authority
    start: ClockStart
    rollover: Rollover
    extension: Extension | None
    silence: SilenceEffect
    stops: tuple[ClockStopRule, ...]
    appeals: tuple[AppealStage, ...]
    calendar: HolidayCalendar
    notes: tuple[Note, ...] = ()
    advisory_follow_up_days: int | None = None  # only for countries without a law

    @property
    def jurisdiction(self) -> str:
        return self.subdivision or self.country

    @property
    def has_law(self) -> bool:
        return self.period is not None

    @property
    def verified(self) -> bool:
        """True only when every figure of the law and of its appeal stages is confirmed."""
        return not self.unverified_notes()

    def unverified_notes(self) -> tuple[Note, ...]:
        stage_notes = tuple(
            Note(f"appeal:{stage.id}", stage.note, verified=False)
            for stage in self.appeals
            if not stage.verified
        )
        return tuple(note for note in self.notes if not note.verified) + stage_notes

    def notes_about(self, *topics: str) -> tuple[Note, ...]:
        return tuple(note for note in self.notes if note.topic in topics)

    def stop_rule(self, kind: StopKind) -> ClockStopRule | None:
        return next((rule for rule in self.stops if rule.kind == kind), None)


def _days(amount: int) -> Period:
    return Period(amount, Unit.CALENDAR_DAYS)


def _working_days(amount: int) -> Period:
    return Period(amount, Unit.WORKING_DAYS)


def _months(amount: int) -> Period:
    return Period(amount, Unit.MONTHS)


_SPAIN_LOCAL_HOLIDAYS = Note(
    "calendar",
    "Each municipality adds two local holidays, which are non-working days for "
    "administrative deadlines (Ley 39/2015 art. 30.6-30.7) but are not in the holidays "
    "package: a deadline may in fact fall one or two days later than shown.",
    verified=False,
)

SPAIN = FoiLaw(
    id="es-19-2013",
    country="ES",
    subdivision=None,
    name=(
        "Ley 19/2013, de 9 de diciembre, de transparencia, acceso a la información pública y "
        "buen gobierno"
    ),
    short_name="Ley 19/2013",
    citation="Ley 19/2013, arts. 20.1, 20.4 and 24; Ley 39/2015, arts. 30-31 (computation)",
    url="https://www.boe.es/eli/es/l/2013/12/09/19/con",
    period=_months(1),
    start=ClockStart.DAY_AFTER_RECEIPT_WORKING,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(1, Unit.MONTHS, citation="art. 20.1 (volume or complexity)"),
    silence=SilenceEffect.DEEMED_REFUSED,
    stops=(
        ClockStopRule(StopKind.CLARIFICATION, StopEffect.PAUSE, "art. 19.2"),
        ClockStopRule(StopKind.THIRD_PARTY, StopEffect.PAUSE, "art. 19.3"),
    ),
    appeals=(
        AppealStage(
            id="ctbg-claim",
            name="Reclamación (claim) against the decision",
            body="Consejo de Transparencia y Buen Gobierno (CTBG)",
            period=_months(1),
            counted_from=AppealTrigger.DECISION,
            citation="Ley 19/2013 art. 24.2",
        ),
        AppealStage(
            id="ctbg-claim-silence",
            name="Reclamación (claim) against the deemed refusal",
            body="Consejo de Transparencia y Buen Gobierno (CTBG)",
            period=_months(1),
            counted_from=AppealTrigger.SILENCE,
            citation="Ley 19/2013 art. 24.2",
            any_time=True,
            verified=False,
            note=(
                "Art. 24.2 states one month from the day after the silence takes effect, but "
                "the courts and the transparency councils accept claims against a deemed "
                "refusal at any time; the case law behind that practice was not checked here."
            ),
        ),
    ),
    calendar=HolidayCalendar("ES", language="es"),
    notes=(
        Note(
            "period",
            "One month from receipt by the body competent to decide (art. 20.1), counted "
            "date to date from the day after receipt (Ley 39/2015 art. 30.4); a request filed "
            "on a non-working day counts as filed on the next working day (art. 31.2.b).",
        ),
        Note(
            "calendar",
            "National holidays only. Regional holidays at the seat of the body (and at the "
            "requester's home) are non-working days too (Ley 39/2015 art. 30.6): for a body "
            "in a region, the regional calendar should be used.",
            verified=False,
        ),
        _SPAIN_LOCAL_HOLIDAYS,
        Note(
            "stops",
            "While the authority waits for a clarification (art. 19.2) or third parties' "
            "comments (art. 19.3) the period is suspended. The engine treats both the day "
            "the clock stops and the day the reply arrives as suspended; Spanish practice "
            "on those boundary days was not confirmed.",
            verified=False,
        ),
    ),
)

MADRID = FoiLaw(
    id="es-md-10-2019",
    country="ES",
    subdivision="ES-MD",
    name=(
        "Ley 10/2019, de 10 de abril, de Transparencia y de Participación de la Comunidad de Madrid"
    ),
    short_name="Ley 10/2019 (Comunidad de Madrid)",
    citation=(
        "Ley 10/2019 (Comunidad de Madrid), title III (right of access); Ley 19/2013 as basic "
        "law; Ley 39/2015, arts. 30-31 (computation)"
    ),
    url="https://gestiona.comunidad.madrid/wleg_pub/servlet/Servidor?opcion=VerHtml&nmnorma=10714",
    period=_working_days(20),
    start=ClockStart.DAY_AFTER_RECEIPT_WORKING,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(20, Unit.WORKING_DAYS, citation="Ley 10/2019 (article not confirmed)"),
    silence=SilenceEffect.DEEMED_REFUSED,
    stops=(ClockStopRule(StopKind.CLARIFICATION, StopEffect.PAUSE, "Ley 19/2013 art. 19.2"),),
    appeals=(
        AppealStage(
            id="madrid-council-claim",
            name="Reclamación (claim) against the decision",
            body="Consejo de Transparencia y Protección de Datos de la Comunidad de Madrid",
            period=_months(1),
            counted_from=AppealTrigger.DECISION,
            citation="Ley 10/2019; Ley 19/2013 art. 24.2",
            note=(
                "One month from the day after notification, as stated on the Comunidad de "
                "Madrid's official procedure page. The council replaced the Consejo de "
                "Transparencia y Participación in May 2024."
            ),
        ),
        AppealStage(
            id="madrid-council-claim-silence",
            name="Reclamación (claim) against the deemed refusal",
            body="Consejo de Transparencia y Protección de Datos de la Comunidad de Madrid",
            period=_months(1),
            counted_from=AppealTrigger.SILENCE,
            citation="Ley 10/2019; Ley 19/2013 art. 24.2",
            any_time=True,
            verified=False,
            note=(
                "The council's procedure page says one month after the silence takes effect. "
                "Press reports (2025) say it had applied that limit to silence claims and then "
                "went back to accepting them at any time, like the other councils. Treat the "
                "one-month date as the safe target."
            ),
        ),
    ),
    calendar=HolidayCalendar("ES", ("MD",), language="es"),
    notes=(
        Note(
            "period",
            "20 working days (Monday to Friday, not holidays), confirmed by the Comunidad de "
            "Madrid's official procedure page for claims; the article number in Ley 10/2019 "
            "was not checked.",
        ),
        Note(
            "extension",
            "An extension of another 20 working days is assumed, mirroring the basic state "
            "law's 'one further period' (Ley 19/2013 art. 20.1). The wording of Ley 10/2019 on "
            "extensions was not confirmed.",
            verified=False,
        ),
        Note(
            "silence",
            "Silence means refusal, as in the basic state law (Ley 19/2013 art. 20.4); "
            "confirmed by secondary sources, article number in Ley 10/2019 not checked.",
        ),
        Note(
            "stops",
            "The clarification pause comes from the basic state law (Ley 19/2013 art. 19.2); "
            "that Ley 10/2019 keeps it unchanged was not confirmed.",
            verified=False,
        ),
        _SPAIN_LOCAL_HOLIDAYS,
    ),
)

CATALONIA = FoiLaw(
    id="es-ct-19-2014",
    country="ES",
    subdivision="ES-CT",
    name=(
        "Llei 19/2014, del 29 de desembre, de transparència, accés a la informació pública i "
        "bon govern"
    ),
    short_name="Llei 19/2014 (Catalunya)",
    citation="Llei 19/2014, arts. 33 (period, extension), 35 (silence), 39 (claim to the GAIP)",
    url="https://www.boe.es/eli/es-ct/l/2014/12/29/19/con",
    period=_months(1),
    start=ClockStart.DAY_AFTER_RECEIPT_WORKING,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(15, Unit.CALENDAR_DAYS, citation="art. 33.2 (half the initial period)"),
    silence=SilenceEffect.DEEMED_GRANTED,
    stops=(ClockStopRule(StopKind.CLARIFICATION, StopEffect.PAUSE, "Llei 19/2014"),),
    appeals=(
        AppealStage(
            id="gaip-claim",
            name="Reclamació (claim) against the decision",
            body="Comissió de Garantia del Dret d'Accés a la Informació Pública (GAIP)",
            period=_months(1),
            counted_from=AppealTrigger.DECISION,
            citation="Llei 19/2014 art. 39",
        ),
        AppealStage(
            id="gaip-claim-silence",
            name="Reclamació (claim) after the deadline passed unanswered",
            body="Comissió de Garantia del Dret d'Accés a la Informació Pública (GAIP)",
            period=_months(1),
            counted_from=AppealTrigger.SILENCE,
            citation="Llei 19/2014 art. 39; GAIP criteria of 7 January 2016",
            note=(
                "The GAIP takes claims within one month of the silence; alternatively, since "
                "silence is a grant, the requester may ask the authority to hand over the "
                "information (art. 35.3)."
            ),
        ),
    ),
    calendar=HolidayCalendar("ES", ("CT",), language="ca"),
    notes=(
        Note(
            "period",
            "One month counted from the day after receipt (confirmed by the GAIP's published "
            "criteria and the Generalitat's procedure pages).",
        ),
        Note(
            "extension",
            "The extension is half the initial period, which the Generalitat's pages state as "
            "15 days (not a second month). Whether those are calendar days or working days "
            "(Ley 39/2015 art. 30.2 makes 'days' working days unless stated) was not "
            "confirmed; the engine counts 15 calendar days.",
            verified=False,
        ),
        Note(
            "silence",
            "Silence is a grant (art. 35), unless a law with the rank of law says otherwise; "
            "access cannot be gained by silence to information covered by a legal limit.",
        ),
        Note(
            "stops",
            "The suspension rules of Llei 19/2014 and the general procedure law are modelled "
            "as a pause; the exact articles were not checked.",
            verified=False,
        ),
        _SPAIN_LOCAL_HOLIDAYS,
    ),
)

FRANCE = FoiLaw(
    id="fr-crpa",
    country="FR",
    subdivision=None,
    name="Code des relations entre le public et l'administration (CRPA), livre III",
    short_name="CRPA",
    citation="CRPA arts. L311-1, R311-13 (silence for one month = refusal), R343-1 (CADA)",
    url="",
    period=_months(1),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NONE,
    extension=None,
    silence=SilenceEffect.DEEMED_REFUSED,
    stops=(),
    appeals=(
        AppealStage(
            id="cada-referral",
            name="Referral to the CADA (required before any court case)",
            body="Commission d'accès aux documents administratifs (CADA)",
            period=_months(2),
            counted_from=AppealTrigger.DECISION,
            citation="CRPA art. R343-1",
            rollover=Rollover.NEXT_WORKING_DAY,
            verified=False,
            note=(
                "Two months from the refusal (R343-1). Whether the period moves past a "
                "weekend or holiday, or is a 'délai franc' with one extra day, was not "
                "confirmed."
            ),
        ),
        AppealStage(
            id="cada-referral-silence",
            name="Referral to the CADA after an implicit refusal",
            body="Commission d'accès aux documents administratifs (CADA)",
            period=_months(2),
            counted_from=AppealTrigger.SILENCE,
            citation="CRPA arts. R311-13 and R343-1",
            rollover=Rollover.NEXT_WORKING_DAY,
            verified=False,
            note="As above: rollover and 'délai franc' treatment not confirmed.",
        ),
    ),
    calendar=HolidayCalendar("FR", language="en_US"),
    notes=(
        Note(
            "rollover",
            "The implicit refusal arises when the month runs out. The engine does not move it "
            "past a weekend or holiday; whether French law does was not confirmed.",
            verified=False,
        ),
        Note(
            "url",
            "The official text is on Légifrance; no stable address was confirmed.",
            verified=False,
        ),
        Note(
            "calendar",
            "Metropolitan national holidays; Alsace-Moselle and overseas holidays not included.",
        ),
    ),
)

SERBIA = FoiLaw(
    id="rs-2004",
    country="RS",
    subdivision=None,
    name=(
        "Zakon o slobodnom pristupu informacijama od javnog značaja "
        "(Law on Free Access to Information of Public Importance)"
    ),
    short_name="Law on Free Access to Information (Serbia)",
    citation=(
        "Official Gazette of RS 120/2004, 54/2007, 104/2009, 36/2010, 105/2021; art. 16 "
        "(15 days, up to 40 days), art. 22 (complaint to the Commissioner)"
    ),
    url="",
    period=_days(15),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(25, Unit.CALENDAR_DAYS, citation="art. 16 (up to 40 days in total)"),
    silence=SilenceEffect.NOTHING,
    stops=(ClockStopRule(StopKind.CLARIFICATION, StopEffect.RESTART, "art. 15"),),
    appeals=(
        AppealStage(
            id="commissioner-complaint",
            name="Complaint against the decision",
            body="Commissioner for Information of Public Importance and Personal Data Protection",
            period=_days(15),
            counted_from=AppealTrigger.DECISION,
            citation="art. 22",
            verified=False,
            note="15 days from delivery of the decision: not confirmed against the text.",
        ),
        AppealStage(
            id="commissioner-complaint-silence",
            name="Complaint against 'silence of the administration'",
            body="Commissioner for Information of Public Importance and Personal Data Protection",
            period=None,
            counted_from=AppealTrigger.SILENCE,
            citation="art. 22",
            verified=False,
            note=(
                "The Commissioner accepts complaints once the deadline has passed; no closing "
                "date for such complaints was found."
            ),
        ),
    ),
    calendar=HolidayCalendar("RS", language="en_US"),
    notes=(
        Note(
            "period",
            "15 days from receipt; for justified reasons up to 40 days from receipt, if the "
            "authority tells the requester (confirmed by the Commissioner's guidance).",
        ),
        Note(
            "silence",
            "Silence is not deemed a refusal: it opens a complaint to the Commissioner "
            "against the 'silence of the administration'.",
        ),
        Note(
            "rollover",
            "Rollover to the next working day follows the general administrative procedure "
            "law; the provision was not checked.",
            verified=False,
        ),
        Note(
            "stops",
            "An incomplete request must be completed within 15 days of the authority's "
            "instructions (art. 15); that the 15-day answer period then runs afresh from the "
            "completed request is assumed, not confirmed.",
            verified=False,
        ),
    ),
)

UGANDA = FoiLaw(
    id="ug-ati-2005",
    country="UG",
    subdivision=None,
    name="Access to Information Act, 2005 (Act 6 of 2005)",
    short_name="Access to Information Act 2005 (Uganda)",
    citation=(
        "ATI Act 2005 ss. 16 (21 days), 17 (extension), 18 (deemed refusal), 37 (complaint "
        "to the Chief Magistrate); sections renumbered in the 2023 revised edition (Cap. 95)"
    ),
    url="https://ulii.org/en/akn/ug/act/2005/6/eng@2023-12-31",
    period=_days(21),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(21, Unit.CALENDAR_DAYS, citation="s. 17 (once, not more than 21 days)"),
    silence=SilenceEffect.DEEMED_REFUSED,
    stops=(),
    appeals=(
        AppealStage(
            id="chief-magistrate-complaint",
            name="Complaint",
            body="Chief Magistrate's court",
            period=None,
            counted_from=AppealTrigger.DECISION,
            citation="s. 37",
            verified=False,
            note="No filing time limit was confirmed; complain promptly.",
        ),
    ),
    calendar=HolidayCalendar("UG", weekend=SUNDAY_ONLY),
    notes=(
        Note(
            "rollover",
            "Periods are read with the Interpretation Act: the first day is excluded and a "
            "period ending on a Sunday or public holiday runs to the next day that is neither. "
            "Saturdays are therefore not skipped. The provision was recalled, not checked.",
            verified=False,
        ),
    ),
)

UK = FoiLaw(
    id="gb-foia-2000",
    country="GB",
    subdivision=None,
    name="Freedom of Information Act 2000",
    short_name="FOIA 2000",
    citation=(
        "FOIA 2000 s. 10(1) (20 working days), s. 10(6) (working day), s. 1(3) "
        "(clarification), s. 10(2) (fees), s. 10(3) (public interest), s. 50 (ICO), s. 57 "
        "(Tribunal)"
    ),
    url="https://www.legislation.gov.uk/ukpga/2000/36/section/10",
    period=_working_days(20),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(20, Unit.WORKING_DAYS, citation="s. 10(3) and the s. 45 Code of Practice"),
    silence=SilenceEffect.NOTHING,
    stops=(
        ClockStopRule(StopKind.CLARIFICATION, StopEffect.RESTART, "s. 1(3)"),
        ClockStopRule(StopKind.FEES, StopEffect.PAUSE, "s. 10(2)"),
    ),
    appeals=(
        AppealStage(
            id="internal-review",
            name="Internal review",
            body="The public authority",
            period=_working_days(40),
            counted_from=AppealTrigger.DECISION,
            citation="s. 45 Code of Practice",
            note=(
                "Not statutory: authorities may refuse reviews asked for more than 40 working "
                "days after the response (ICO guidance)."
            ),
        ),
        AppealStage(
            id="ico-complaint",
            name="Complaint to the Information Commissioner",
            body="Information Commissioner's Office (ICO)",
            period=None,
            counted_from=AppealTrigger.REVIEW_DECISION,
            citation="s. 50",
            verified=False,
            note=(
                "No statutory limit, but the ICO may refuse a complaint made after undue delay "
                "(s. 50(2)(b)); its own expected time frame was not confirmed. Complain soon "
                "after the internal review."
            ),
        ),
        AppealStage(
            id="tribunal-appeal",
            name="Appeal against the ICO's decision notice",
            body="First-tier Tribunal (General Regulatory Chamber)",
            period=_days(28),
            counted_from=AppealTrigger.COMMISSIONER_DECISION,
            citation="s. 57; GRC Procedure Rules 2009 r. 22",
            verified=False,
            note=(
                "28 days from the date the decision notice was sent, and the move past "
                "non-working days, were recalled from the tribunal rules, not checked."
            ),
        ),
    ),
    calendar=HolidayCalendar("GB", ("ENG", "NIR", "SCT", "WLS"), language="en_GB"),
    notes=(
        Note(
            "calendar",
            "Working days exclude bank holidays in any part of the UK (s. 10(6)): Scottish "
            "days such as 2 January and St Andrew's Day, and Northern Irish days such as 12 "
            "July, count as non-working even for an authority in England.",
        ),
        Note(
            "period",
            "The day after receipt is day one; receipt on a weekend or holiday still counts "
            "as the date of receipt.",
        ),
        Note(
            "extension",
            "The statute allows extra time to weigh the public interest 'as is reasonable in "
            "the circumstances' (s. 10(3)); 20 working days is the guidance figure, not a "
            "statutory maximum, and was not checked against the current Code of Practice.",
            verified=False,
        ),
    ),
)

SCOTLAND = FoiLaw(
    id="gb-sct-foisa-2002",
    country="GB",
    subdivision="GB-SCT",
    name="Freedom of Information (Scotland) Act 2002",
    short_name="FOISA 2002",
    citation=(
        "FOISA s. 10(1) (20 working days), s. 73 (working day), s. 1(3), s. 10(2), s. 20 "
        "(review), s. 21, s. 47 (Commissioner), s. 56 (Court of Session)"
    ),
    url="https://www.legislation.gov.uk/asp/2002/13",
    period=_working_days(20),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=None,
    silence=SilenceEffect.NOTHING,
    stops=(
        ClockStopRule(StopKind.CLARIFICATION, StopEffect.RESTART, "s. 1(3)"),
        ClockStopRule(StopKind.FEES, StopEffect.PAUSE, "s. 10(2)"),
    ),
    appeals=(
        AppealStage(
            id="requirement-for-review",
            name="Requirement for review",
            body="The Scottish public authority",
            period=_working_days(40),
            counted_from=AppealTrigger.DECISION,
            citation="s. 20(5)",
        ),
        AppealStage(
            id="requirement-for-review-silence",
            name="Requirement for review after no response",
            body="The Scottish public authority",
            period=_working_days(40),
            counted_from=AppealTrigger.SILENCE,
            citation="s. 20(5)",
        ),
        AppealStage(
            id="commissioner-application",
            name="Application for a decision",
            body="Scottish Information Commissioner",
            period=_months(6),
            counted_from=AppealTrigger.REVIEW_DECISION,
            citation="s. 47(4)",
            rollover=Rollover.NONE,
            note="Six months; no move past non-working days is assumed (the safe reading).",
        ),
        AppealStage(
            id="court-of-session-appeal",
            name="Appeal on a point of law",
            body="Court of Session",
            period=_days(42),
            counted_from=AppealTrigger.COMMISSIONER_DECISION,
            citation="s. 56",
            rollover=Rollover.NONE,
            verified=False,
            note="42 days was recalled from the Rules of the Court of Session, not checked.",
        ),
    ),
    calendar=HolidayCalendar("GB", ("SCT",), language="en_GB"),
    notes=(
        Note(
            "calendar",
            "Working days exclude Saturdays, Sundays, Christmas Day and Scottish bank holidays "
            "(s. 73): 2 January, St Andrew's Day and the first Monday in August count; Easter "
            "Monday and the late August bank holiday do not.",
        ),
        Note("extension", "FOISA has no public-interest extension."),
    ),
)

GERMANY = FoiLaw(
    id="de-ifg",
    country="DE",
    subdivision=None,
    name=(
        "Gesetz zur Regelung des Zugangs zu Informationen des Bundes (Informationsfreiheitsgesetz)"
    ),
    short_name="IFG",
    citation=(
        "IFG § 7(5) (one month), § 9(4) (objection), § 12 (Federal Commissioner); "
        "VwVfG § 31 and BGB §§ 187-193 (computation)"
    ),
    url="https://www.gesetze-im-internet.de/ifg/",
    period=_months(1),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=None,
    silence=SilenceEffect.NOTHING,
    stops=(),
    appeals=(
        AppealStage(
            id="widerspruch",
            name="Widerspruch (objection)",
            body="The authority that decided",
            period=_months(1),
            counted_from=AppealTrigger.DECISION,
            citation="IFG § 9(4); VwGO § 70",
            note="One year instead if the decision lacked instructions on remedies (VwGO § 58).",
        ),
        AppealStage(
            id="bfdi-appeal",
            name="Appeal to the Federal Commissioner",
            body="Federal Commissioner for Data Protection and Freedom of Information (BfDI)",
            period=None,
            counted_from=AppealTrigger.DECISION,
            citation="IFG § 12",
            note="No time limit; it does not stop the one-month objection period.",
        ),
    ),
    calendar=HolidayCalendar("DE", language="en_US"),
    notes=(
        Note(
            "period",
            "Access 'should' be given within one month (§ 7(5)): a target, not a hard limit. "
            "After three months without a decision an action for failure to act is possible "
            "(VwGO § 75).",
        ),
        Note(
            "calendar",
            "Nationwide holidays only; holidays of the Land where the authority sits (most "
            "federal ministries: Berlin or North Rhine-Westphalia) are not included.",
            verified=False,
        ),
    ),
)

USA = FoiLaw(
    id="us-foia",
    country="US",
    subdivision=None,
    name="Freedom of Information Act, 5 U.S.C. § 552",
    short_name="FOIA (5 U.S.C. § 552)",
    citation=(
        "5 U.S.C. § 552(a)(6)(A)(i) (20 working days), (a)(6)(A)(ii) (tolling), (a)(6)(B)(i) "
        "(unusual circumstances: 10 working days), (a)(6)(C)(i) (constructive exhaustion)"
    ),
    url="https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title5-section552&num=0&edition=prelim",
    period=_working_days(20),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(10, Unit.WORKING_DAYS, citation="(a)(6)(B)(i) unusual circumstances"),
    silence=SilenceEffect.NOTHING,
    stops=(
        ClockStopRule(StopKind.CLARIFICATION, StopEffect.PAUSE, "(a)(6)(A)(ii)(I)"),
        ClockStopRule(StopKind.FEES, StopEffect.PAUSE, "(a)(6)(A)(ii)(II)"),
    ),
    appeals=(
        AppealStage(
            id="administrative-appeal",
            name="Administrative appeal",
            body="The agency's appeal authority",
            period=_days(90),
            counted_from=AppealTrigger.DECISION,
            citation="5 U.S.C. § 552(a)(6)(A)(i)(III)(aa)",
            rollover=Rollover.NONE,
            note=(
                "The statute guarantees at least 90 days after an adverse determination; some "
                "agencies' regulations allow longer."
            ),
        ),
    ),
    calendar=HolidayCalendar("US", language="en_US"),
    notes=(
        Note(
            "silence",
            "Silence is not a refusal, but a requester whose deadline has passed is treated as "
            "having exhausted administrative remedies and may go to court.",
        ),
        Note(
            "period",
            "The 20 days start when the right component receives the request, and at the "
            "latest 10 working days after any component designated to receive requests does.",
        ),
        Note(
            "stops",
            "The agency may toll the period once while awaiting information from the "
            "requester, and as needed to clarify fees; the engine leaves out both the day it "
            "asked and the day the reply arrived. Which boundary days count was not confirmed.",
            verified=False,
        ),
    ),
)

INDIA = FoiLaw(
    id="in-rti-2005",
    country="IN",
    subdivision=None,
    name="Right to Information Act, 2005",
    short_name="RTI Act 2005",
    citation=(
        "RTI Act s. 7(1) (30 days), s. 7(2) (deemed refusal), s. 7(3) (fees), s. 19(1) "
        "(first appeal), s. 19(3) (second appeal)"
    ),
    url="",
    period=_days(30),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NONE,
    extension=None,
    silence=SilenceEffect.DEEMED_REFUSED,
    stops=(ClockStopRule(StopKind.FEES, StopEffect.PAUSE, "s. 7(3)"),),
    appeals=(
        AppealStage(
            id="first-appeal",
            name="First appeal",
            body="First Appellate Authority (an officer senior to the PIO)",
            period=_days(30),
            counted_from=AppealTrigger.DECISION,
            citation="s. 19(1)",
            rollover=Rollover.NONE,
        ),
        AppealStage(
            id="first-appeal-silence",
            name="First appeal after no decision",
            body="First Appellate Authority (an officer senior to the PIO)",
            period=_days(30),
            counted_from=AppealTrigger.SILENCE,
            citation="s. 19(1)",
            rollover=Rollover.NONE,
        ),
        AppealStage(
            id="second-appeal",
            name="Second appeal",
            body="Central or State Information Commission",
            period=_days(90),
            counted_from=AppealTrigger.REVIEW_DECISION,
            citation="s. 19(3)",
            rollover=Rollover.NONE,
        ),
    ),
    calendar=HolidayCalendar("IN", language="en_IN"),
    notes=(
        Note(
            "period",
            "30 days; 48 hours for life or liberty, 5 more days when filed through an "
            "Assistant PIO, 40 days when a third party is involved: these variants are not "
            "modelled.",
        ),
        Note(
            "stops",
            "s. 7(3) leaves out the period between sending the fee intimation and payment; "
            "the engine also leaves out those two days themselves, which may give the "
            "authority a day or two more than the Act does.",
            verified=False,
        ),
        Note(
            "rollover",
            "Whether a deadline ending on a closed day moves (General Clauses Act 1897 s. 10) "
            "was not confirmed; the engine does not move it, which is the safe reading for "
            "the requester's appeals.",
            verified=False,
        ),
        Note(
            "calendar",
            "The holidays package's national list is used; central and state government "
            "office calendars differ.",
            verified=False,
        ),
    ),
)

BRAZIL = FoiLaw(
    id="br-lai-2011",
    country="BR",
    subdivision=None,
    name="Lei nº 12.527, de 18 de novembro de 2011 (Lei de Acesso à Informação)",
    short_name="LAI (Lei 12.527/2011)",
    citation=(
        "LAI art. 11 §1 (20 days), §2 (10 more days), art. 15 (appeal: 10 days); "
        "Lei 9.784/1999 art. 66 (computation)"
    ),
    url="https://www.planalto.gov.br/ccivil_03/_ato2011-2014/2011/lei/l12527.htm",
    period=_days(20),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(10, Unit.CALENDAR_DAYS, citation="art. 11 §2 (with express reasons)"),
    silence=SilenceEffect.NOTHING,
    stops=(),
    appeals=(
        AppealStage(
            id="appeal",
            name="Recurso (appeal)",
            body="The authority above the one that decided",
            period=_days(10),
            counted_from=AppealTrigger.DECISION,
            citation="LAI art. 15",
        ),
        AppealStage(
            id="cgu-appeal",
            name="Appeal to the Controladoria-Geral da União (federal executive)",
            body="Controladoria-Geral da União (CGU)",
            period=_days(10),
            counted_from=AppealTrigger.REVIEW_DECISION,
            citation="LAI art. 16; Decreto 7.724/2012",
            verified=False,
            note="10 days for the CGU appeal comes from the federal decree; not checked.",
        ),
    ),
    calendar=HolidayCalendar("BR", language="en_US"),
    notes=(
        Note(
            "period",
            "Days run continuously, excluding the day of receipt; a period ending on a day "
            "without office hours moves to the next working day (Lei 9.784/1999 art. 66).",
        ),
        Note(
            "silence",
            "The LAI does not deem silence a refusal; the federal decree gives a complaint "
            "(reclamação) for an unanswered request, whose time limits were not confirmed.",
            verified=False,
        ),
        Note(
            "calendar",
            "National holidays only; state and municipal holidays at the body's seat are not "
            "included.",
            verified=False,
        ),
    ),
)

SOUTH_AFRICA = FoiLaw(
    id="za-paia-2000",
    country="ZA",
    subdivision=None,
    name="Promotion of Access to Information Act 2 of 2000",
    short_name="PAIA",
    citation=(
        "PAIA s. 25(1) (30 days), s. 26 (extension, once, up to 30 days), s. 27 (deemed "
        "refusal), s. 75 (internal appeal), ss. 77A-78 (Information Regulator, courts)"
    ),
    url="",
    period=_days(30),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(30, Unit.CALENDAR_DAYS, citation="s. 26 (once)"),
    silence=SilenceEffect.DEEMED_REFUSED,
    stops=(),
    appeals=(
        AppealStage(
            id="internal-appeal",
            name="Internal appeal (public bodies listed in s. 74)",
            body="The relevant authority of the public body",
            period=_days(60),
            counted_from=AppealTrigger.DECISION,
            citation="s. 75(1)",
            rollover=Rollover.NONE,
            verified=False,
            note="60 days was recalled, not checked against the text.",
        ),
        AppealStage(
            id="internal-appeal-silence",
            name="Internal appeal against the deemed refusal",
            body="The relevant authority of the public body",
            period=_days(60),
            counted_from=AppealTrigger.SILENCE,
            citation="ss. 27 and 75(1)",
            rollover=Rollover.NONE,
            verified=False,
            note="60 days was recalled, not checked against the text.",
        ),
        AppealStage(
            id="regulator-complaint",
            name="Complaint to the Information Regulator",
            body="Information Regulator (South Africa)",
            period=_days(180),
            counted_from=AppealTrigger.REVIEW_DECISION,
            citation="ss. 77A-77B",
            rollover=Rollover.NONE,
            verified=False,
            note="180 days was recalled, not checked against the text.",
        ),
    ),
    calendar=HolidayCalendar("ZA", weekend=SUNDAY_ONLY),
    notes=(
        Note(
            "rollover",
            "Days are read with the Interpretation Act 33 of 1957 s. 4: the first day is "
            "excluded and a period ending on a Sunday or public holiday runs to the next day "
            "that is neither, so Saturdays are not skipped. Recalled, not checked; whether "
            "PAIA itself counts calendar days was not confirmed either.",
            verified=False,
        ),
        Note(
            "stops",
            "Deposits and fees may affect the period (s. 22); not modelled, not confirmed.",
            verified=False,
        ),
    ),
)

KENYA = FoiLaw(
    id="ke-ati-2016",
    country="KE",
    subdivision=None,
    name="Access to Information Act, 2016 (No. 31 of 2016)",
    short_name="Access to Information Act 2016 (Kenya)",
    citation="ATI Act 2016 s. 9 (21 days; extension of 14 days; deemed refusal), s. 14 (review)",
    url="",
    period=_days(21),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    extension=Extension(14, Unit.CALENDAR_DAYS, citation="s. 9 (once)"),
    silence=SilenceEffect.DEEMED_REFUSED,
    stops=(),
    appeals=(
        AppealStage(
            id="caj-review",
            name="Application for review",
            body="Commission on Administrative Justice (Office of the Ombudsman)",
            period=_days(30),
            counted_from=AppealTrigger.DECISION,
            citation="s. 14(2)",
            rollover=Rollover.NONE,
            note="30 days from notification, 'or such further period as the Commission may allow'.",
        ),
        AppealStage(
            id="caj-review-silence",
            name="Application for review of the deemed refusal",
            body="Commission on Administrative Justice (Office of the Ombudsman)",
            period=_days(30),
            counted_from=AppealTrigger.SILENCE,
            citation="ss. 9 and 14(2)",
            rollover=Rollover.NONE,
            verified=False,
            note="That the 30 days run from the date of the deemed refusal was not confirmed.",
        ),
    ),
    calendar=HolidayCalendar("KE", language="en_KE"),
    notes=(
        Note(
            "rollover",
            "Moving a deadline that ends on a Saturday, Sunday or public holiday follows the "
            "Interpretation and General Provisions Act; whether Saturdays count as excluded "
            "days there was not confirmed.",
            verified=False,
        ),
        Note(
            "silence",
            "An application not decided within the period is deemed refused (s. 9); the "
            "subsection number was not checked.",
        ),
    ),
)

MYANMAR = FoiLaw(
    id="mm-none",
    country="MM",
    subdivision=None,
    name="No freedom-of-information law",
    short_name="No FOI law (Myanmar)",
    citation="",
    url="",
    period=None,
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NONE,
    extension=None,
    silence=SilenceEffect.NOTHING,
    stops=(),
    appeals=(),
    calendar=HolidayCalendar("MM", language="en_US"),
    notes=(
        Note(
            "law",
            "Myanmar has no right-to-information law: no deadline binds an authority and "
            "there is no appeal. CityWatch suggests a follow-up after 30 days; that date is "
            "advisory only.",
        ),
    ),
    advisory_follow_up_days=30,
)

_LAWS: tuple[FoiLaw, ...] = (
    SPAIN,
    MADRID,
    CATALONIA,
    FRANCE,
    SERBIA,
    UGANDA,
    UK,
    SCOTLAND,
    GERMANY,
    USA,
    INDIA,
    BRAZIL,
    SOUTH_AFRICA,
    KENYA,
    MYANMAR,
)
_BY_ID: dict[str, FoiLaw] = {law.id: law for law in _LAWS}


def all_laws() -> tuple[FoiLaw, ...]:
    """Every law in the catalogue, in a stable order."""
    return _LAWS


def get_law(law_id: str) -> FoiLaw:
    """The law with this id; ``KeyError`` naming the known ids if there is none."""
    try:
        return _BY_ID[law_id]
    except KeyError:
        known = ", ".join(sorted(_BY_ID))
        raise KeyError(f"unknown FOI law {law_id!r}; known laws: {known}") from None


# --- plain-data form (JSON) -----------------------------------------------------------------
#
# The database keeps each law as the JSON below, so a law can be stored, compared and edited
# without losing anything the engine needs; law_from_dict(law_to_dict(law)) == law.


def _period_to_dict(period: Period | None) -> dict | None:
    return None if period is None else {"amount": period.amount, "unit": str(period.unit)}


def _period_from_dict(data: dict | None) -> Period | None:
    return None if data is None else Period(int(data["amount"]), Unit(data["unit"]))


def law_to_dict(law: FoiLaw) -> dict:
    """The law as JSON-ready data (lists, dicts, strings and numbers only)."""
    extension = law.extension
    return {
        "id": law.id,
        "country": law.country,
        "subdivision": law.subdivision,
        "name": law.name,
        "short_name": law.short_name,
        "citation": law.citation,
        "url": law.url,
        "period": _period_to_dict(law.period),
        "start": str(law.start),
        "rollover": str(law.rollover),
        "extension": None
        if extension is None
        else {
            "amount": extension.amount,
            "unit": str(extension.unit),
            "times": extension.times,
            "citation": extension.citation,
        },
        "silence": str(law.silence),
        "stops": [
            {"kind": str(rule.kind), "effect": str(rule.effect), "citation": rule.citation}
            for rule in law.stops
        ],
        "appeals": [
            {
                "id": stage.id,
                "name": stage.name,
                "body": stage.body,
                "period": _period_to_dict(stage.period),
                "counted_from": str(stage.counted_from),
                "citation": stage.citation,
                "rollover": None if stage.rollover is None else str(stage.rollover),
                "any_time": stage.any_time,
                "verified": stage.verified,
                "note": stage.note,
            }
            for stage in law.appeals
        ],
        "calendar": {
            "country": law.calendar.country,
            "subdivisions": list(law.calendar.subdivisions),
            "language": law.calendar.language,
            "weekend": sorted(law.calendar.weekend),
        },
        "notes": [
            {"topic": note.topic, "text": note.text, "verified": note.verified}
            for note in law.notes
        ],
        "advisory_follow_up_days": law.advisory_follow_up_days,
    }


def law_from_dict(data: dict) -> FoiLaw:
    """The inverse of :func:`law_to_dict`; ``KeyError``/``ValueError`` on malformed data."""
    extension = data.get("extension")
    calendar_data = data["calendar"]
    return FoiLaw(
        id=data["id"],
        country=data["country"],
        subdivision=data.get("subdivision") or None,
        name=data["name"],
        short_name=data["short_name"],
        citation=data.get("citation", ""),
        url=data.get("url", ""),
        period=_period_from_dict(data.get("period")),
        start=ClockStart(data["start"]),
        rollover=Rollover(data["rollover"]),
        extension=None
        if extension is None
        else Extension(
            int(extension["amount"]),
            Unit(extension["unit"]),
            int(extension.get("times", 1)),
            extension.get("citation", ""),
        ),
        silence=SilenceEffect(data["silence"]),
        stops=tuple(
            ClockStopRule(
                StopKind(rule["kind"]), StopEffect(rule["effect"]), rule.get("citation", "")
            )
            for rule in data.get("stops", [])
        ),
        appeals=tuple(
            AppealStage(
                id=stage["id"],
                name=stage["name"],
                body=stage["body"],
                period=_period_from_dict(stage.get("period")),
                counted_from=AppealTrigger(stage["counted_from"]),
                citation=stage.get("citation", ""),
                rollover=Rollover(stage["rollover"]) if stage.get("rollover") else None,
                any_time=bool(stage.get("any_time", False)),
                verified=bool(stage.get("verified", True)),
                note=stage.get("note", ""),
            )
            for stage in data.get("appeals", [])
        ),
        calendar=HolidayCalendar(
            calendar_data["country"],
            tuple(calendar_data.get("subdivisions", ())),
            calendar_data.get("language"),
            frozenset(int(day) for day in calendar_data.get("weekend", (5, 6))),
        ),
        notes=tuple(
            Note(note["topic"], note["text"], bool(note.get("verified", True)))
            for note in data.get("notes", [])
        ),
        advisory_follow_up_days=data.get("advisory_follow_up_days"),
    )
