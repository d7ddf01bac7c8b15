"""Brazil: the Lei de Acesso à Informação (Lei 12.527/2011).

20 days, 10 more with reasons; periods run continuously and a last day without office hours
moves to the next working day (Lei 9.784/1999 art. 66). In the federal executive, two appeals
inside the body come before the CGU, the third instance. The time zone is Brasília's, the seat
of the federal executive. Figures checked in November 2026.
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

LAI_TEXT = Source(
    "https://www.planalto.gov.br/ccivil_03/_ato2011-2014/2011/lei/l12527.htm",
    _("Lei 12.527/2011, official text (Planalto)"),
)
LEI_9784_ART_66 = Source(
    "https://legjur.com/legislacao/art/lei_00097841999-66",
    _("Lei 9.784/1999 art. 66 (counting of periods)"),
)
GOVBR_APPEALS = Source(
    "https://gov.br/acessoainformacao/pt-br/assuntos/recursos",
    _("Federal access-to-information portal: appeals and complaints"),
)
GOVBR_INSTANCES = Source(
    "https://gov.br/acessoainformacao/pt-br/assuntos/recursos/instancias-recursais-no-poder-executivo-federal",
    _("Federal access-to-information portal: the appeal instances of the federal executive"),
)
PLANNING_FAQ = Source(
    "http://www2.planejamento.gov.br/planejamento/servicos/faq/acesso-a-informacao/servico-de-informacao-ao-cidadao-sic/caso-o-meu-pedido-de-informa-ccedil-atilde-o-n",
    _("Planning Ministry FAQ: a complaint when a request goes unanswered"),
)

_TEN_DAYS_FROM_NOTICE = _("10 days from notice of the decision appealed against.")

BRAZIL = FoiLaw(
    id="br-lai-2011",
    country="BR",
    subdivision=None,
    name=_("Lei nº 12.527, de 18 de novembro de 2011 (Lei de Acesso à Informação)"),
    short_name=_("LAI (Lei 12.527/2011)"),
    official_name="Lei nº 12.527, de 18 de novembro de 2011",
    citation="Lei 12.527/2011 arts. 10, 11, 15 e 16; Lei 9.784/1999 art. 66",
    url="https://www.planalto.gov.br/ccivil_03/_ato2011-2014/2011/lei/l12527.htm",
    time_zone="America/Sao_Paulo",
    period=Period(20, Unit.CALENDAR_DAYS),
    period_basis=Basis(
        provision="LAI art. 11 §1; Lei 9.784/1999 art. 66",
        sources=(LAI_TEXT, LEI_9784_ART_66),
        note=_("Days run continuously; the day of receipt is left out, the last day counted."),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=Basis(
        provision="Lei 9.784/1999 art. 66 §§1-2",
        sources=(LEI_9784_ART_66,),
        note=_("A period ending on a day without office hours moves to the next working day."),
    ),
    calendar=HolidayCalendar("BR", language="en_US", seat_subdivision=True),
    calendar_basis=Basis(
        provision="Lei 9.784/1999 art. 66 §1",
        sources=(LEI_9784_ART_66,),
        verified=False,
        note=_(
            "National holidays, plus those of the state where the body sits once its seat is "
            "known. Whether a state or municipal holiday closes every office there (federal "
            "ones included) was not checked."
        ),
    ),
    extension=Extension(10, Unit.CALENDAR_DAYS),
    extension_basis=Basis(
        provision="LAI art. 11 §2",
        sources=(LAI_TEXT,),
        note=_("10 more days, with express reasons given to the requester."),
    ),
    silence=SilenceEffect.NOTHING,
    silence_basis=Basis(
        provision="LAI art. 11; Decreto 7.724/2012 art. 22",
        sources=(GOVBR_APPEALS, PLANNING_FAQ),
        note=_(
            "Silence is not a decision; once the period has passed, the requester may complain "
            "to the body's monitoring authority."
        ),
    ),
    appeals=(
        AppealStage(
            id="appeal",
            name=_("First appeal (recurso)"),
            body=_("The authority above the one that decided"),
            period=Period(10, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.DECISION,
            basis=Basis(
                provision="LAI art. 15",
                sources=(LAI_TEXT, GOVBR_INSTANCES),
                note=_TEN_DAYS_FROM_NOTICE,
            ),
        ),
        AppealStage(
            id="reclamacao-silence",
            name=_("Complaint (reclamação) after no answer"),
            body=_("The body's monitoring authority (autoridade de monitoramento)"),
            period=Period(10, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.SILENCE,
            trigger_note=_(
                "The 10 days run once the legal response period has passed; some local rules "
                "count from the 30th day after the request."
            ),
            basis=Basis(
                provision="Decreto 7.724/2012 art. 22; LAI art. 40",
                sources=(GOVBR_APPEALS, PLANNING_FAQ),
                note=_(
                    "The monitoring authority has 5 days to answer; if the complaint fails, the "
                    "requester may appeal to the CGU. The decree's text was not retrieved."
                ),
            ),
        ),
        AppealStage(
            id="second-appeal",
            name=_("Second appeal"),
            body=_("The highest authority of the body"),
            period=Period(10, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.REVIEW_DECISION,
            basis=Basis(
                provision="LAI art. 15; Decreto 7.724/2012",
                sources=(GOVBR_INSTANCES,),
                note=_TEN_DAYS_FROM_NOTICE,
            ),
        ),
        AppealStage(
            id="cgu-appeal",
            name=_("Appeal to the Controladoria-Geral da União (federal executive)"),
            body=_("Controladoria-Geral da União (CGU)"),
            period=Period(10, Unit.CALENDAR_DAYS),
            counted_from=AppealTrigger.SECOND_REVIEW_DECISION,
            basis=Basis(
                provision="LAI art. 16; Decreto 7.724/2012",
                sources=(GOVBR_INSTANCES,),
                note=_(
                    "The CGU is the third instance, after two appeals inside the body; the "
                    "Comissão Mista de Reavaliação de Informações is the fourth."
                ),
            ),
        ),
    ),
)

LAWS = (BRAZIL,)
