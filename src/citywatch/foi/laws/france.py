"""France: the Code des relations entre le public et l'administration (CRPA), livre III.

One month of silence is an implicit refusal; the requester must then refer the refusal to the
CADA within two months before any court case. Figures checked in November 2026.
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

CADA_WHEN_TO_REFER = Source(
    "http://cada.fr/particulier/quand-et-comment-saisir-la-cada",
    _("CADA: when and how to refer a refusal to the commission"),
)
CADA_HOW_TO_REFER = Source(
    "http://www.cada.fr/quand-et-comment-saisir,6131.html",
    _("CADA: a request unanswered for more than a month may be referred"),
)
CONSEIL_ETAT_488227 = Source(
    "http://www.conseil-etat.fr/fr/arianeweb/CE/analyse/2024-03-11/488227",
    _("Conseil d'État, 11 March 2024, no. 488227 (CRPA R311-12, R311-13, R343-3 to R343-5)"),
)
VAGNEUX_IMPLICIT_REFUSAL = Source(
    "https://vagneux.fr/2022/06/25/du-delai-de-recours-contre-la-decision-implicite-de-rejet-dune-demande-a-ladministration/",
    _("A lawyer's note: an implicit refusal arises even on a Sunday or holiday"),
)
ALEXIA_EXAMPLE = Source(
    "https://alexia.fr/questions/451167/refus-communication-de-document-et-delais-de-demande-de-motivation-du-refus.htm",
    _("A legal Q&A applying R311-12 and R311-13 to dated requests"),
)
VAGNEUX_NOT_FRANC = Source(
    "https://vagneux.fr/2022/03/25/le-delai-prescrit-a-larticle-r-343-1-du-crpa-est-un-delai-non-franc-le-delai-de-saisine-de-la-cada-nest-pas-un-delai-franc/",
    _("A lawyer's note: the CADA's two months are not a 'délai franc'"),
)
IDCITE_CE_642 = Source(
    "https://www.idcite.com/Juris-Delai-en-cas-de-recours-administratif-CE-B_a2422.html",
    _("Case note: the Conseil d'État moves administrative time limits past non-working days"),
)

_CADA_NOTE = _(
    "Two months, a required step before any court case. The Conseil d'État moves "
    "administrative time limits that end on a Saturday, Sunday or holiday (CPC art. 642), as "
    "CityWatch does; whether the period is a 'délai franc' with one more day is disputed. The "
    "time limit cannot be held against you if the refusal did not state the means and time "
    "limits of appeal."
)

FRANCE = FoiLaw(
    id="fr-crpa",
    country="FR",
    subdivision=None,
    name=_("Code des relations entre le public et l'administration (CRPA), livre III"),
    short_name=_("CRPA"),
    official_name="Code des relations entre le public et l'administration, livre III",
    citation="CRPA art. L311-1, R311-12, R311-13 et R343-1",
    url="",
    time_zone="Europe/Paris",
    period=Period(1, Unit.MONTHS),
    period_basis=Basis(
        provision="CRPA arts. R311-12, R311-13",
        sources=(CADA_HOW_TO_REFER, CONSEIL_ETAT_488227),
        note=_(
            "Silence for one month after receipt is an implicit refusal. No stable address of "
            "livre III on Légifrance was confirmed."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NONE,
    rollover_basis=Basis(
        provision="CRPA arts. R311-12, R311-13",
        sources=(VAGNEUX_IMPLICIT_REFUSAL, ALEXIA_EXAMPLE),
        verified=False,
        note=_(
            "The implicit refusal arises on its calendar date, even a Sunday or holiday, "
            "according to a lawyer and a legal Q&A site; no official text says so."
        ),
    ),
    calendar=HolidayCalendar("FR", language="en_US", seat_subdivision=True),
    calendar_basis=Basis(
        provision="CPC art. 642",
        sources=(IDCITE_CE_642,),
        verified=False,
        note=_(
            "National holidays, plus those of the authority's département or overseas "
            "territory once its seat is known (Alsace-Moselle has two more). Which local "
            "calendar governs the CADA time limit was not checked."
        ),
    ),
    extension=None,
    extension_basis=Basis(
        provision="CRPA livre III",
        verified=False,
        note=_("No extension of the month was found in the code; none is applied."),
    ),
    silence=SilenceEffect.DEEMED_REFUSED,
    silence_basis=Basis(
        provision="CRPA art. R311-13",
        sources=(CADA_WHEN_TO_REFER, CONSEIL_ETAT_488227),
    ),
    appeals=(
        AppealStage(
            id="cada-referral",
            name=_("Referral to the CADA (required before any court case)"),
            body=_("Commission d'accès aux documents administratifs (CADA)"),
            period=Period(2, Unit.MONTHS),
            counted_from=AppealTrigger.DECISION,
            rollover=Rollover.NEXT_WORKING_DAY,
            basis=Basis(
                provision="CRPA art. R343-1; CPC art. 642",
                sources=(CADA_WHEN_TO_REFER, VAGNEUX_NOT_FRANC, IDCITE_CE_642),
                verified=False,
                note=_CADA_NOTE,
            ),
        ),
        AppealStage(
            id="cada-referral-silence",
            name=_("Referral to the CADA after an implicit refusal"),
            body=_("Commission d'accès aux documents administratifs (CADA)"),
            period=Period(2, Unit.MONTHS),
            counted_from=AppealTrigger.SILENCE,
            rollover=Rollover.NEXT_WORKING_DAY,
            trigger_note=_(
                "An implicit refusal is never notified: the two months run from the day it "
                "arose, one month after the authority received the request."
            ),
            basis=Basis(
                provision="CRPA arts. R311-13, R343-1; CPC art. 642",
                sources=(CADA_WHEN_TO_REFER, VAGNEUX_NOT_FRANC, IDCITE_CE_642),
                verified=False,
                note=_CADA_NOTE,
            ),
        ),
    ),
)

LAWS = (FRANCE,)
