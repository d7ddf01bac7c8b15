"""Letters drafted from templates in the authority's language (en, es, fr, sr-latn).

The templates live in ``templates/foi/letters/<language>/``: ``request.txt``, ``follow_up.txt``
and ``appeal.txt``. Every letter cites the law. The subject lines and the report's
four-question template are below, one entry per language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

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


# How each language dates a letter (Django date format), and the words around the date.
DATE_FORMATS = {"en": "j F Y", "es": r"j \d\e F \d\e Y", "fr": "j F Y", "sr-latn": "j. n. Y."}
DATE_LINES = {"en": "{date}", "es": "{date}", "fr": "Le {date}", "sr-latn": "{date}"}
# The heading lines a letter's date may be on.
HEADING_LINES = 8
# Parts of a provision that are remarks about it, not references ("as amended in December
# 2023", "as applied by the CTBG"), and parts that are guidance rather than law.
PROVISION_REMARK = re.compile(r"\s+as\s+(amended|applied|read)\b.*$", re.IGNORECASE)
NOT_LAW = re.compile(r"\b(guidance|practice)\b", re.IGNORECASE)


def letter_language(language: str) -> str:
    return language if language in LANGUAGES else "en"


def language_for_country(country_code: str | None) -> str:
    return COUNTRY_LANGUAGES.get(country_code or "", "en")


def four_questions(language: str, *, authority: str, vendor: str, since: int | str) -> list[str]:
    """The report's four questions in ``language``, for this authority and vendor."""
    texts = FOUR_QUESTIONS[letter_language(language)]
    return [text.format(authority=authority, vendor=vendor, since=since) for text in texts]


def format_date(day: dt.date, language: str) -> str:
    """``day`` as the letters of ``language`` write it (4 June 2024, 4 de junio de 2024,
    4 juin 2024, 4. 6. 2024.)."""
    language = letter_language(language)
    with translation.override(language):
        return dateformat.format(day, DATE_FORMATS[language])


def date_line(day: dt.date, language: str) -> str:
    """The line that dates a letter, e.g. ``Le 4 juin 2024``."""
    language = letter_language(language)
    return DATE_LINES[language].format(date=format_date(day, language))


def _date_pattern(language: str) -> re.Pattern[str]:
    """A line holding a letter date in ``language`` (any day)."""
    with translation.override(language):
        months = [dateformat.format(dt.date(2000, month, 1), "F") for month in range(1, 13)]
    parts = {
        "j": r"\d{1,2}",
        "n": r"\d{1,2}",
        "Y": r"\d{4}",
        "F": "(?:" + "|".join(re.escape(month) for month in months) + ")",
    }
    pattern, escaped = "", False
    for character in DATE_FORMATS[language]:
        if escaped:
            pattern += re.escape(character)
            escaped = False
        elif character == "\\":
            escaped = True
        else:
            pattern += parts.get(character, re.escape(character))
    line = re.escape(DATE_LINES[language]).replace(re.escape("{date}"), pattern)
    return re.compile(rf"^[ \t]*{line}[ \t]*$", re.IGNORECASE)


def redate(body: str, language: str, day: dt.date) -> str:
    """The letter dated ``day``: the date line among its first lines is replaced (a letter is
    drafted one day and sent another; the campaigner's edits elsewhere are kept). A body
    without a date line is returned unchanged."""
    language = letter_language(language)
    pattern = _date_pattern(language)
    lines = body.split("\n")
    for index, line in enumerate(lines[:HEADING_LINES]):
        if pattern.match(line.rstrip("\r")):
            ending = "\r" if line.endswith("\r") else ""
            lines[index] = date_line(day, language) + ending
            return "\n".join(lines)
    return body


def law_title(law: catalogue.FoiLaw, language: str) -> str:
    """The law's title for a letter in ``language``: its official title when the letter is
    in the law's own language, else its name in the letter's language."""
    language = letter_language(language)
    if law.official_name and language_for_country(law.country) == language:
        return law.official_name
    with translation.override(language):
        return str(law.name)


ARTICLES = {
    "en": [(r"(Freedom|Access|Right|Promotion|Law|Code|Official)\b", "the {title}")],
    "es": [(r"(Ley|Llei|Lei|Loi)\b", "la {title}"), (r"(Code|Código)\b", "el {title}")],
    "fr": [(r"(Code)\b", "du {title}"), (r"(Loi|Ley|Llei|Lei)\b", "de la {title}")],
    "sr-latn": [(r"Zakon\b", "Zakona{rest}")],
}
DEFAULT_ARTICLES = {
    "en": "{title}",
    "es": "{title}",
    "fr": "de {title}",
    "sr-latn": "zakona {title}",
}


def legal_basis(law: catalogue.FoiLaw, language: str) -> str:
    """The law a letter relies on, worded to follow the letter's preposition ("Under …",
    "Al amparo de …", "En application …", "Na osnovu …"): its title with the article the
    language needs, and the main provisions in brackets, e.g. ``the Freedom of Information
    Act 2000 (FOIA 2000 s. 1 and s. 10)``."""
    language = letter_language(language)
    title = law_title(law, language)
    phrase = DEFAULT_ARTICLES[language].format(title=title)
    for pattern, template in ARTICLES[language]:
        found = re.match(pattern, title)
        if found:
            phrase = template.format(title=title, rest=title[found.end() :])
            break
    references = letter_provisions(law.citation)
    return f"{phrase} ({references})" if references else phrase


def letter_provisions(text: str) -> str:
    """The references of a provision, without remarks about them (``Ley 10/2019 as amended
    in December 2023; Ley 19/2013 art. 24.2`` → ``Ley 10/2019; Ley 19/2013 art. 24.2``) and
    without guidance that is not law."""
    parts = [PROVISION_REMARK.sub("", part).strip() for part in text.split(";")]
    return "; ".join(part for part in parts if part and not NOT_LAW.search(part))


def stage_names(stage: catalogue.AppealStage, language: str) -> tuple[str, str]:
    """An appeal stage's name and the name of the body that hears it, as a letter in
    ``language`` writes them: the catalogue's texts in that language (a Serbian complaint goes
    to the "Poverenik za informacije od javnog značaja i zaštitu podataka o ličnosti"), in
    English when the catalogue has no translation."""
    with translation.override(letter_language(language)):
        return str(stage.name), str(stage.body)


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
    """Draft a ``request``, ``follow_up`` or ``appeal`` letter in the context's language.

    The catalogue's texts the letter quotes (the appeal stage's name and the body that hears
    it, see :func:`stage_names`) are in that language too, whatever language the page drafting
    it is in.
    """
    language = letter_language(context.language)
    law = context.law
    stage_name, stage_body = stage_names(context.stage, language) if context.stage else ("", "")
    subject = SUBJECTS[language][kind].format(title=context.title, stage=stage_name)
    day = today or timezone.localdate()
    if language == "en" and stage_body.startswith("The "):
        stage_body = "the " + stage_body[4:]
    values = {
        "dated": date_line(day, language),
        "basis": legal_basis(law, language),
        "stage_body": stage_body,
        "stage_citation": letter_provisions(context.stage.citation) if context.stage else "",
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
        "today": day,
    }
    with translation.override(language):
        body = render_to_string(f"foi/letters/{language}/{kind}.txt", values)
    return Letter(subject=subject, body=body.strip() + "\n")
