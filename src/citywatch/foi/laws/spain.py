"""Spain: the state law (Ley 19/2013) and the regional laws of Madrid and Catalonia.

All three count under the general administrative procedure law, Ley 39/2015: a request filed
on a non-working day counts as filed on the next working day (art. 31.2.b), months run date to
date (art. 30.4), a last day that is not a working day moves to the next one (art. 30.5), and
the holidays of the region and municipality where the body sits are non-working days
(arts. 30.6-30.7). Figures checked in November 2026 (see docs/foi-deadlines.md).
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

BOE_19_2013 = Source(
    "https://www.boe.es/eli/es/l/2013/12/09/19/con",
    _("Ley 19/2013, consolidated text in the Official State Gazette (BOE)"),
)
BOE_39_2015 = Source(
    "https://www.boe.es/eli/es/l/2015/10/01/39/con",
    _("Ley 39/2015, consolidated text in the Official State Gazette (BOE)"),
)
HEALTH_MINISTRY_CALENDAR = Source(
    "https://sede.mscbs.gob.es/calendarioInhabiles/home.htm",
    _("Health Ministry e-office: calendar of non-working days under Ley 39/2015 art. 30.7"),
)
SCIENCE_MINISTRY_CALENDAR = Source(
    "https://ciencia.sede.gob.es/pagina/index/directorio/utilidad_calendario_de_d_as_inh_biles/language/ca_ES",
    _("Science Ministry e-office: calendar of non-working days"),
)
CASTILLA_LA_MANCHA_CALENDAR = Source(
    "https://www.castillalamancha.es/gobierno/haciendayaapp/estructura/vcalyca/actuaciones/calendario-de-d%C3%ADas-inh%C3%A1biles",
    _("Castilla-La Mancha regional government: local holidays are non-working days"),
)
JEREZ_GUIDE = Source(
    "https://www.jerez.es/en/webs_municipales/transparencia/solicitud/saber_mas_sobre_su_derecho_de_acceso_a_la_informacion_publica/en_que_consiste_la_tramitacion_de_una_solicitud_de_acceso_a_la_informacion_publica/",
    _("Jerez city council: how an access request is handled (arts. 19.2 and 19.3)"),
)
ECLAP_SUSPENSION = Source(
    "http://eclapvirtual.jcyl.es/vademecum/Ley39/Ley39_P47larga.html",
    _("Castilla y León public-administration school: suspension of time limits (art. 22)"),
)
CTBG_HOW_TO_CLAIM = Source(
    "https://consejodetransparencia.es/reclamaciones/como_reclamar/que-debes-saber",
    _("Transparency council (CTBG): what to know before a claim"),
)
STC_52_2014 = Source(
    "http://hj.tribunalconstitucional.es/cs-CZ/Resolucion/Show/23903",
    _("Constitutional Court, STC 52/2014: time limits do not run against negative silence"),
)
MADRID_LAW = Source(
    "https://gestiona.comunidad.madrid/wleg_pub/servlet/Servidor?cdestado=P&nmnorma=10714&opcion=VerHtml",
    _("Ley 10/2019, official text of the Comunidad de Madrid"),
)
ALCALA_FAQ = Source(
    "https://posgrado.uah.es/es/masteres-universitarios/informacion/preguntas-frecuentes/Cuanto-tiempo-tengo-que-esperar-para-recibir-la-informacion",
    _("University of Alcalá: how long an answer under Ley 10/2019 takes"),
)
MADRID_COUNCIL_PAGE = Source(
    "https://sede.comunidad.madrid/denuncias-reclamaciones-recursos/consejo-transparencia-proteccion-datos",
    _("Comunidad de Madrid e-office: claims to the Consejo de Transparencia y Protección de Datos"),
)
INFOLIBRE_2025 = Source(
    "https://www.infolibre.es/politica/consejo-transparencia-madrileno-rectifica-elimina-limite-reclamar-silencio-administrativo_1_2077444.html",
    _("infoLibre (2025): the Madrid council drops its time limit for claims against silence"),
)
BOE_LLEI_19_2014 = Source(
    "https://www.boe.es/eli/es-ct/l/2014/12/29/19/con",
    _("Llei 19/2014, consolidated text in the Official State Gazette (BOE)"),
)
GENCAT_PROCEDURE = Source(
    "http://cpf.gencat.cat/ca/transparencia/dret-acces-informacio-publica-transparencia/presentacio-sollicituds/",
    _("Generalitat de Catalunya: how access requests are handled"),
)
MALGRAT_PROCEDURE = Source(
    "https://www.ajmalgrat.cat/tramits-i-gestions/254-sense-nom/10-tramits-i-gestions/sollicitud-acces-a-la-informacio-publica.html",
    _("Malgrat de Mar town council: access requests under Llei 19/2014"),
)
BARCELONA_PROCEDURE = Source(
    "https://cementiris.ajuntament.barcelona.cat/index.php/ca/quin-es-el-procediment-la-resolucio",
    _("Barcelona city council: the procedure for a decision"),
)

# Shared by the three laws: where the non-working days come from.
_SPANISH_CALENDAR = Basis(
    provision="Ley 39/2015 arts. 30.6-30.7",
    sources=(HEALTH_MINISTRY_CALENDAR, SCIENCE_MINISTRY_CALENDAR, CASTILLA_LA_MANCHA_CALENDAR),
    note=_(
        "Saturdays, Sundays and national holidays, plus the holidays of the region and the "
        "municipality where the authority sits once its seat is known. Municipal holidays "
        "come from the local holidays staff enter for each municipality. A holiday where the "
        "requester lives may count as well (art. 30.6, read so by secondary sources only); "
        "CityWatch does not add it."
    ),
)
_SPANISH_ROLLOVER = Basis(
    provision="Ley 39/2015 arts. 30.4-30.5",
    sources=(BOE_39_2015, HEALTH_MINISTRY_CALENDAR),
    note=_(
        "A holiday inside a one-month period changes nothing; when the last day is not a "
        "working day, the period ends on the next working day."
    ),
)

SPAIN = FoiLaw(
    id="es-19-2013",
    country="ES",
    subdivision=None,
    name=_(
        "Ley 19/2013, de 9 de diciembre, de transparencia, acceso a la información pública y "
        "buen gobierno"
    ),
    short_name=_("Ley 19/2013"),
    official_name=(
        "Ley 19/2013, de 9 de diciembre, de transparencia, acceso a la información pública y "
        "buen gobierno"
    ),
    citation="Ley 19/2013 arts. 17-24; Ley 39/2015 arts. 30-31",
    url="https://www.boe.es/eli/es/l/2013/12/09/19/con",
    time_zone="Europe/Madrid",
    period=Period(1, Unit.MONTHS),
    period_basis=Basis(
        provision="Ley 19/2013 art. 20.1; Ley 39/2015 arts. 30.4, 31.2.b",
        sources=(BOE_19_2013, BOE_39_2015),
        note=_(
            "One month from receipt by the body competent to decide, counted date to date from "
            "the next day; a request filed on a non-working day counts as filed on the next "
            "working day."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT_WORKING,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=_SPANISH_ROLLOVER,
    calendar=HolidayCalendar("ES", language="es", seat_subdivision=True, seat_municipality=True),
    calendar_basis=_SPANISH_CALENDAR,
    extension=Extension(1, Unit.MONTHS),
    extension_basis=Basis(
        provision="Ley 19/2013 art. 20.1",
        sources=(BOE_19_2013,),
        note=_("One more month for volume or complexity, after telling the requester."),
    ),
    silence=SilenceEffect.DEEMED_REFUSED,
    silence_basis=Basis(provision="Ley 19/2013 art. 20.4", sources=(BOE_19_2013,)),
    stops=(
        ClockStopRule(
            StopKind.CLARIFICATION,
            StopEffect.PAUSE,
            Basis(
                provision="Ley 19/2013 art. 19.2; Ley 39/2015 art. 22.1.a",
                sources=(JEREZ_GUIDE, ECLAP_SUSPENSION),
                verified=False,
                note=_(
                    "Confirmed: the period is suspended from the day the requester is "
                    "notified of the request to clarify until the reply arrives, or until "
                    "the 10 days for it lapse. Not settled: whether the first and last day "
                    "of the suspension count; CityWatch leaves both out."
                ),
            ),
        ),
        ClockStopRule(
            StopKind.THIRD_PARTY,
            StopEffect.PAUSE,
            Basis(
                provision="Ley 19/2013 art. 19.3; Ley 39/2015 art. 22.1.a",
                sources=(JEREZ_GUIDE, ECLAP_SUSPENSION),
                verified=False,
                note=_(
                    "Confirmed: the period is suspended until the third parties' comments "
                    "arrive or their 15 days lapse. Not settled: whether the first and last "
                    "day of the suspension count; CityWatch leaves both out."
                ),
            ),
        ),
    ),
    appeals=(
        AppealStage(
            id="ctbg-claim",
            name=_("Claim (reclamación) against the decision"),
            body=_("Consejo de Transparencia y Buen Gobierno (CTBG)"),
            period=Period(1, Unit.MONTHS),
            counted_from=AppealTrigger.DECISION,
            basis=Basis(
                provision="Ley 19/2013 art. 24.2", sources=(BOE_19_2013, CTBG_HOW_TO_CLAIM)
            ),
        ),
        AppealStage(
            id="ctbg-claim-silence",
            name=_("Claim (reclamación) against the deemed refusal"),
            body=_("Consejo de Transparencia y Buen Gobierno (CTBG)"),
            period=None,
            counted_from=AppealTrigger.SILENCE,
            basis=Basis(
                provision="Ley 19/2013 art. 24.2 as applied by the CTBG; STC 52/2014",
                sources=(CTBG_HOW_TO_CLAIM, STC_52_2014),
                note=_(
                    "No time limit: the council accepts claims against a deemed refusal at "
                    "any time, and the Constitutional Court holds that time limits do not run "
                    "against negative silence. The one month of art. 24.2 applies to express "
                    "decisions."
                ),
            ),
        ),
    ),
)

MADRID = FoiLaw(
    id="es-md-10-2019",
    country="ES",
    subdivision="ES-MD",
    name=_(
        "Ley 10/2019, de 10 de abril, de Transparencia y de Participación de la Comunidad de Madrid"
    ),
    short_name=_("Ley 10/2019 (Comunidad de Madrid)"),
    official_name=(
        "Ley 10/2019, de 10 de abril, de Transparencia y de Participación de la Comunidad de Madrid"
    ),
    citation="Ley 10/2019; Ley 19/2013 arts. 19-24; Ley 39/2015 arts. 30-31",
    url="https://gestiona.comunidad.madrid/wleg_pub/servlet/Servidor?opcion=VerHtml&nmnorma=10714",
    time_zone="Europe/Madrid",
    period=Period(20, Unit.WORKING_DAYS),
    period_basis=Basis(
        provision="Ley 10/2019; Ley 39/2015 arts. 30.2, 31.2.b",
        sources=(MADRID_LAW, ALCALA_FAQ, MADRID_COUNCIL_PAGE),
        note=_(
            "20 working days, Monday to Friday without holidays. The figure is confirmed; the "
            "article number in Ley 10/2019 was not seen in the text retrieved."
        ),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT_WORKING,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=_SPANISH_ROLLOVER,
    calendar=HolidayCalendar("ES", ("MD",), language="es", seat_municipality=True),
    calendar_basis=_SPANISH_CALENDAR,
    extension=Extension(20, Unit.WORKING_DAYS),
    extension_basis=Basis(
        provision="Ley 10/2019",
        sources=(ALCALA_FAQ, MADRID_LAW),
        note=_(
            "20 more working days for volume or complexity, after telling the requester; the "
            "article number was not seen."
        ),
    ),
    silence=SilenceEffect.DEEMED_REFUSED,
    silence_basis=Basis(
        provision="Ley 19/2013 art. 20.4; Ley 10/2019",
        sources=(BOE_19_2013, MADRID_COUNCIL_PAGE),
    ),
    stops=(
        ClockStopRule(
            StopKind.CLARIFICATION,
            StopEffect.PAUSE,
            Basis(
                provision="Ley 10/2019 (as Ley 19/2013 art. 19.2)",
                sources=(ALCALA_FAQ,),
                verified=False,
                note=_(
                    "Confirmed: the requester has 10 days to make the request specific and "
                    "the period is suspended meanwhile. Not settled: whether the first and "
                    "last day of the suspension count; CityWatch leaves both out."
                ),
            ),
        ),
        ClockStopRule(
            StopKind.THIRD_PARTY,
            StopEffect.PAUSE,
            Basis(
                provision="Ley 10/2019 (as Ley 19/2013 art. 19.3)",
                sources=(ALCALA_FAQ,),
                verified=False,
                note=_(
                    "Confirmed: third parties have 15 days for comments and the period is "
                    "suspended meanwhile. Not settled: whether the first and last day of the "
                    "suspension count; CityWatch leaves both out."
                ),
            ),
        ),
    ),
    appeals=(
        AppealStage(
            id="madrid-council-claim",
            name=_("Claim (reclamación) against the decision"),
            body=_("Consejo de Transparencia y Protección de Datos de la Comunidad de Madrid"),
            period=Period(1, Unit.MONTHS),
            counted_from=AppealTrigger.DECISION,
            basis=Basis(
                provision="Ley 10/2019 as amended in December 2023; Ley 19/2013 art. 24.2",
                sources=(MADRID_COUNCIL_PAGE,),
                note=_(
                    "The Consejo de Transparencia y Protección de Datos replaced the Consejo "
                    "de Transparencia y Participación; its decisions start on 22 May 2024."
                ),
            ),
        ),
        AppealStage(
            id="madrid-council-claim-silence",
            name=_("Claim (reclamación) against the deemed refusal"),
            body=_("Consejo de Transparencia y Protección de Datos de la Comunidad de Madrid"),
            period=Period(1, Unit.MONTHS),
            counted_from=AppealTrigger.SILENCE,
            any_time=True,
            basis=Basis(
                provision="Ley 10/2019 as amended in December 2023; Ley 19/2013 art. 24.2",
                sources=(MADRID_COUNCIL_PAGE, INFOLIBRE_2025),
                verified=False,
                note=_(
                    "The council's official page gives one month from the day after silence "
                    "takes effect, and in 2024-25 it turned away late claims against silence. "
                    "The press reported in 2025 that it went back to accepting them at any "
                    "time; no official text of that change was found. The one-month date is "
                    "the safe target."
                ),
            ),
        ),
    ),
)

CATALONIA = FoiLaw(
    id="es-ct-19-2014",
    country="ES",
    subdivision="ES-CT",
    name=_(
        "Llei 19/2014, del 29 de desembre, de transparència, accés a la informació pública i "
        "bon govern"
    ),
    short_name=_("Llei 19/2014 (Catalunya)"),
    official_name=(
        "Llei 19/2014, del 29 de desembre, de transparència, accés a la informació pública i "
        "bon govern"
    ),
    citation="Llei 19/2014 arts. 33, 35 i 39",
    url="https://www.boe.es/eli/es-ct/l/2014/12/29/19/con",
    time_zone="Europe/Madrid",
    period=Period(1, Unit.MONTHS),
    period_basis=Basis(
        provision="Llei 19/2014 art. 33; Ley 39/2015 art. 30.4",
        sources=(BOE_LLEI_19_2014, GENCAT_PROCEDURE),
        note=_("One month counted from the day after receipt."),
    ),
    start=ClockStart.DAY_AFTER_RECEIPT_WORKING,
    rollover=Rollover.NEXT_WORKING_DAY,
    rollover_basis=_SPANISH_ROLLOVER,
    calendar=HolidayCalendar("ES", ("CT",), language="ca", seat_municipality=True),
    calendar_basis=_SPANISH_CALENDAR,
    extension=Extension(share=(1, 2)),
    extension_basis=Basis(
        provision="Llei 19/2014 art. 33.2",
        sources=(MALGRAT_PROCEDURE, GENCAT_PROCEDURE, BOE_LLEI_19_2014),
        verified=False,
        note=_(
            "The authority may extend the period by up to half the initial period, for volume "
            "or complexity, after telling the requester. The Generalitat's guidance says "
            "15 days without saying which kind. CityWatch counts half the calendar days of the "
            "initial period, rounded up, from its end; how half a month is counted is not "
            "settled."
        ),
    ),
    silence=SilenceEffect.DEEMED_GRANTED,
    silence_basis=Basis(
        provision="Llei 19/2014 art. 35",
        sources=(GENCAT_PROCEDURE, BOE_LLEI_19_2014),
        note=_(
            "Silence is a grant, unless a law with the rank of law says otherwise; information "
            "covered by a legal limit cannot be obtained through silence."
        ),
    ),
    stops=(
        ClockStopRule(
            StopKind.CLARIFICATION,
            StopEffect.PAUSE,
            Basis(
                provision="Llei 19/2014; Ley 39/2015 art. 22",
                sources=(MALGRAT_PROCEDURE, BARCELONA_PROCEDURE),
                verified=False,
                note=_(
                    "The period is suspended while the requester makes an imprecise request "
                    "specific; the article numbers were not found."
                ),
            ),
        ),
        ClockStopRule(
            StopKind.THIRD_PARTY,
            StopEffect.PAUSE,
            Basis(
                provision="Llei 19/2014; Ley 39/2015 art. 22",
                sources=(BARCELONA_PROCEDURE,),
                verified=False,
                note=_(
                    "The period is suspended while third parties comment (10 days, per "
                    "Barcelona's procedure page); the article numbers were not found."
                ),
            ),
        ),
    ),
    appeals=(
        AppealStage(
            id="gaip-claim",
            name=_("Claim (reclamació) against the decision"),
            body=_("Comissió de Garantia del Dret d'Accés a la Informació Pública (GAIP)"),
            period=Period(1, Unit.MONTHS),
            counted_from=AppealTrigger.DECISION,
            basis=Basis(provision="Llei 19/2014 art. 39", sources=(BOE_LLEI_19_2014,)),
        ),
        AppealStage(
            id="gaip-claim-silence",
            name=_("Claim (reclamació) after the deadline passed unanswered"),
            body=_("Comissió de Garantia del Dret d'Accés a la Informació Pública (GAIP)"),
            period=Period(1, Unit.MONTHS),
            counted_from=AppealTrigger.SILENCE,
            basis=Basis(
                provision="Llei 19/2014 arts. 35.3 and 39",
                sources=(BOE_LLEI_19_2014,),
                note=_(
                    "Since silence is a grant, the requester may instead ask the authority "
                    "to hand over the information."
                ),
            ),
        ),
    ),
)

LAWS = (SPAIN, MADRID, CATALONIA)
