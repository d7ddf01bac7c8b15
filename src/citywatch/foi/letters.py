"""Letters drafted from templates in the authority's language (en, es, fr, sr-latn).

The templates live in ``templates/foi/letters/<language>/``: ``request.txt``, ``follow_up.txt``
and ``appeal.txt``. Every letter cites the law. The subject lines and the report's
four-question template are below, one entry per language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from citywatch.foi import law_catalogue as catalogue

LANGUAGES = ("en", "es", "fr", "sr-latn")

# The authority's language, from its country, when nothing else is known.
COUNTRY_LANGUAGES = {
    "ES": "es",
    "FR": "fr",
    "BE": "fr",
    "LU": "fr",
    "RS": "sr-latn",
    "BA": "sr-latn",
    "ME": "sr-latn",
}

SUBJECTS = {
    "en": {
        "request": "Freedom of information request: {title}",
        "follow_up": "Follow-up to our freedom of information request: {title}",
        "appeal": "{stage}: freedom of information request “{title}”",
    },
    "es": {
        "request": "Solicitud de acceso a la información pública: {title}",
        "follow_up": "Recordatorio de nuestra solicitud de acceso a la información: {title}",
        "appeal": "{stage}: solicitud de acceso a la información «{title}»",
    },
    "fr": {
        "request": "Demande de communication de documents administratifs : {title}",
        "follow_up": "Relance de notre demande de communication de documents : {title}",
        "appeal": "{stage} : demande de communication « {title} »",
    },
    "sr-latn": {
        "request": "Zahtev za pristup informacijama od javnog značaja: {title}",
        "follow_up": "Podsećanje na naš zahtev za pristup informacijama: {title}",
        "appeal": "{stage}: zahtev za pristup informacijama „{title}”",
    },
}

# The report's four questions (contracts; brochures, presentations and handbooks; risk,
# human-rights and data-protection impact assessments; specific capabilities such as smart
# video analysis), worded for any authority and vendor.
FOUR_QUESTIONS = {
    "en": [
        "A copy of all contracts between {authority} and {vendor} from {since} until now, "
        "including annexes and amendments.",
        "All brochures, promotional documents, presentations and handbooks that {vendor} "
        "provided to {authority} from {since} until now.",
        "Whether {authority} carried out any risk or human-rights impact assessment, including "
        "any privacy or data-protection impact assessment, before signing a contract with "
        "{vendor}; if so, a copy of each.",
        "About specific capabilities of the system, such as smart video analysis: (a) whether "
        "any {vendor} software or hardware is involved; (b) how the analysis is carried out; "
        "(c) the purposes it is used for.",
    ],
    "es": [
        "Copia de todos los contratos suscritos entre {authority} y {vendor} desde {since} "
        "hasta la fecha, incluidos sus anexos y modificaciones.",
        "Todos los folletos, documentos promocionales, presentaciones y manuales que {vendor} "
        "haya facilitado a {authority} desde {since} hasta la fecha.",
        "Si {authority} realizó alguna evaluación de riesgos o de impacto en los derechos "
        "humanos, incluida cualquier evaluación de impacto relativa a la protección de datos o "
        "a la privacidad, antes de firmar un contrato con {vendor}; en tal caso, copia de cada "
        "una de ellas.",
        "En relación con capacidades concretas del sistema, como el análisis inteligente de "
        "vídeo: (a) si interviene algún software o hardware de {vendor}; (b) cómo se realiza "
        "dicho análisis; (c) con qué finalidades se utiliza.",
    ],
    "fr": [
        "Une copie de tous les contrats conclus entre {authority} et {vendor} depuis {since}, "
        "y compris leurs annexes et avenants.",
        "L’ensemble des brochures, documents promotionnels, présentations et manuels fournis "
        "par {vendor} à {authority} depuis {since}.",
        "Si {authority} a réalisé une évaluation des risques ou de l’impact sur les droits "
        "humains, y compris une analyse d’impact relative à la protection des données ou à la "
        "vie privée, avant de signer un contrat avec {vendor} ; le cas échéant, une copie de "
        "chacune.",
        "Au sujet de capacités précises du système, comme l’analyse vidéo intelligente : (a) "
        "si un logiciel ou un matériel de {vendor} y intervient ; (b) comment cette analyse est "
        "réalisée ; (c) à quelles fins elle est utilisée.",
    ],
    "sr-latn": [
        "Kopiju svih ugovora zaključenih između organa {authority} i kompanije {vendor} od "
        "{since}. godine do danas, uključujući priloge i izmene.",
        "Sve brošure, promotivne materijale, prezentacije i priručnike koje je kompanija "
        "{vendor} dostavila organu {authority} od {since}. godine do danas.",
        "Da li je organ {authority} sproveo procenu rizika ili procenu uticaja na ljudska "
        "prava, uključujući procenu uticaja na zaštitu podataka o ličnosti ili privatnost, pre "
        "potpisivanja bilo kog ugovora sa kompanijom {vendor}; ako jeste, kopiju svake takve "
        "procene.",
        "U vezi sa konkretnim mogućnostima sistema, kao što je pametna video-analitika: (a) da "
        "li je uključen bilo kakav softver ili hardver kompanije {vendor}; (b) na koji način se "
        "analiza sprovodi; (c) u koje svrhe se koristi.",
    ],
}


def letter_language(language: str) -> str:
    return language if language in LANGUAGES else "en"


def language_for_country(country_code: str | None) -> str:
    return COUNTRY_LANGUAGES.get(country_code or "", "en")


def four_questions(language: str, *, authority: str, vendor: str, since: int | str) -> list[str]:
    """The report's four questions in ``language``, for this authority and vendor."""
    texts = FOUR_QUESTIONS[letter_language(language)]
    return [text.format(authority=authority, vendor=vendor, since=since) for text in texts]


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


@dataclass(frozen=True)
class LetterContext:
    """What a letter says, independent of the database."""

    language: str
    title: str
    authority: str
    requester: str
    requester_email: str
    law: catalogue.FoiLaw
    questions: list[tuple[int, str]]
    sent_on: dt.date | None = None
    due_on: dt.date | None = None
    stage: catalogue.AppealStage | None = None
    deployments: tuple[str, ...] = ()


def render_letter(kind: str, context: LetterContext, *, today: dt.date | None = None) -> Letter:
    """Draft a ``request``, ``follow_up`` or ``appeal`` letter."""
    language = letter_language(context.language)
    law = context.law
    with translation.override(language):  # catalogue texts in the letter's language
        stage_name = str(context.stage.name) if context.stage else ""
    subject = SUBJECTS[language][kind].format(title=context.title, stage=stage_name)
    values = {
        "title": context.title,
        "authority": context.authority,
        "requester": context.requester,
        "requester_email": context.requester_email,
        "law": law,
        "has_law": law.has_law,
        "period": law.period,
        "questions": context.questions,
        "sent_on": context.sent_on,
        "due_on": context.due_on,
        "stage": context.stage,
        "deployments": context.deployments,
        "today": today or timezone.localdate(),
    }
    with translation.override(language):
        body = render_to_string(f"foi/letters/{language}/{kind}.txt", values)
    return Letter(subject=subject, body=body.strip() + "\n")
