"""Full-text search over deployments, organisations, places, sources, document text and FOI
requests, with the same results on SQLite and PostgreSQL.

    from citywatch.research.search import search
    results = search("cámaras huawei", kinds=["document"], country="ES", vendor="huawei")
    results.total, results.counts           # every match, counted: 12, {"document": 12}
    for hit in results.hits:                # one page of them, best first
        print(hit.kind, hit.title, hit.url, hit.page, hit.matches, hit.snippet)

How it works, and why the two databases agree:

* Every record is indexed as one or more ``SearchEntry`` rows (a long document: one row per
  page, or per 20,000 characters). Their words are prepared here, in Python
  (``citywatch.research.search_words``): Serbian Cyrillic written in Latin, lower case, no
  accents, ``đ`` → ``dj``, everything else to ASCII, plus Snowball stems tagged with their
  language. The databases only match plain tokens: SQLite through an FTS5 table, PostgreSQL
  through a tsvector column (migration 0005). Queries are prepared by the same functions.
* A query is words (all must match: the word itself, another spelling, or a word with the
  same stem in one language), "quoted phrases" (exact words in order) and prefixes
  (``camer*``). Anything else in the input (punctuation, FTS operators) is only text.
* Ranking, decided in SQL, the same tiers on both databases: records whose title holds every
  query term, then records whose other text does (summaries, descriptions), then document
  passages; inside a tier by the database's relevance (bm25 on SQLite, ts_rank on
  PostgreSQL), then by kind and id. Each record is one hit, however many of its parts match
  (``hit.matches`` says how many); every hit is counted and reachable by paging.
* Who sees what is decided by the permission module: ``visible_records()`` is the one place
  search asks it. The country and vendor filters only narrow what it allows.
* Snippets are cut from the original text and highlighted with ``<mark>`` here, escaped.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from citywatch.actors.models import Organisation
from citywatch.atlas.models import Component, Deployment, Party
from citywatch.atlas.queries import sources_backing, visible_deployments
from citywatch.evidence.models import SearchEntry, Source
from citywatch.evidence.queries import text_file
from citywatch.foi.mail.redaction import redactor_for
from citywatch.foi.models import FoiRequest
from citywatch.foi.queries import requests_visible_to
from citywatch.places.models import Country, Locality
from citywatch.research.search_words import (
    QUERY_LANGUAGES,
    UNKNOWN_LANGUAGES,
    exact_form,
    exact_words,
    index_text,
    spans,
    split_words,
    stem_languages,
    word_forms,
)
from citywatch.teams import permissions

DEPLOYMENT = "deployment"
ORGANISATION = "organisation"
PLACE = "place"  # a locality
COUNTRY = "country"  # shown as a place
SOURCE = "source"
DOCUMENT = "document"
FOI_REQUEST = "foi_request"

# The kinds people choose from (a country hit is a place).
KINDS = {
    DEPLOYMENT: _("Deployment"),
    ORGANISATION: _("Organisation"),
    PLACE: _("Place"),
    SOURCE: _("Source"),
    DOCUMENT: _("Document text"),
    FOI_REQUEST: _("FOI request"),
}
# The kinds of records in the index, in the order ties are broken.
INDEX_KINDS = (DEPLOYMENT, ORGANISATION, COUNTRY, PLACE, SOURCE, FOI_REQUEST, DOCUMENT)
SHOWN_AS = {COUNTRY: PLACE}

MAX_PART_CHARS = 20_000
MAX_CLAUSES = 20
SNIPPET_WORDS = 32
# SQLite bm25 column weights: title words, body words, title stems, body stems.
BM25_WEIGHTS = "10.0, 1.0, 5.0, 0.5"
# PostgreSQL ts_rank weights for D (body stems), C (body), B (title stems), A (title).
TS_RANK_WEIGHTS = "{0.05, 0.1, 0.5, 1.0}"


def search_examples() -> list[str]:
    """The examples the search boxes show, in the active language (each finds something in
    the demo data: tests/test_search.py checks every language)."""
    return [str(_("cameras")), "eLTE", str(_("facial recognition"))]


def fold_words(text: str) -> list[str]:
    """The words of a text in their indexed form: "Cámaras-IP, Ђорђе" → [camaras, ip, djordje]."""
    return exact_words(text)


# ---------------------------------------------------------------- queries


@dataclass(frozen=True)
class Clause:
    """One required part of a query: a word (with its other forms), a phrase or a prefix."""

    words: tuple[str, ...]  # exact forms, in order
    prefix: bool = False
    alternates: tuple[str, ...] = ()  # other exact forms of a one-word clause
    stems: tuple[str, ...] = ()  # tagged stems of a one-word clause, in every language

    @property
    def exact_terms(self) -> tuple[str, ...]:
        return (self.words[0], *self.alternates) if len(self.words) == 1 else ()

    def matches_word(self, exact: str, stems: Iterable[str]) -> bool:
        """Whether one text word (its exact form and tagged stems) satisfies this clause."""
        if len(self.words) != 1:
            return False
        if self.prefix:
            return exact.startswith(self.words[0])
        return exact in self.exact_terms or not set(self.stems).isdisjoint(stems)


QUERY_PART = r'"([^"]*)"?|(\S+)'


def parse_query(query: str) -> list[Clause]:
    """Words, "quoted phrases" and trailing-star prefixes; punctuation and operators are
    only text. A word that splits in two ("Rivas-Vaciamadrid") is kept together as a phrase.
    At most 20 clauses."""
    import re

    clauses: list[Clause] = []
    for phrase, word in re.findall(QUERY_PART, query or ""):
        text = phrase if phrase else word
        prefix = not phrase and text.rstrip().endswith("*")
        words = split_words(text)
        if not words:
            continue
        if len(words) == 1 and not phrase and not prefix:
            forms = word_forms(words[0], QUERY_LANGUAGES)
            if not forms.exact:
                continue
            clause = Clause((forms.exact,), False, forms.alternates, forms.stems)
        else:
            exact = tuple(form for form in (exact_form(w) for w in words) if form)
            if not exact:
                continue
            clause = Clause(exact, prefix)
        if clause not in clauses:
            clauses.append(clause)
    return clauses[:MAX_CLAUSES]


def fts5_clause(clause: Clause, title_only: bool) -> str:
    """One clause as FTS5 syntax. Exact words and prefixes match the word columns; a single
    word also matches another spelling or a stem in the stem columns (tags keep them apart)."""
    words, stems = (
        ("{title}", "{title_stems}") if title_only else ("{title body}", "{title_stems body_stems}")
    )
    both = "{title title_stems}" if title_only else "{title body title_stems body_stems}"
    quoted = '"' + " ".join(clause.words) + '"'
    if clause.prefix:
        return f"{words} : {quoted}*"
    if len(clause.words) > 1:
        return f"{words} : {quoted}"
    exact = " OR ".join(f'"{term}"' for term in clause.exact_terms)
    if not clause.stems:
        return f"{both} : ({exact})"
    tagged = " OR ".join(f'"{stem}"' for stem in clause.stems)
    return f"({both} : ({exact}) OR {stems} : ({tagged}))"


def fts5_expression(clauses: Sequence[Clause], title_only: bool = False) -> str:
    """The FTS5 query: every clause, each a column-filtered group of quoted tokens."""
    return " AND ".join(fts5_clause(clause, title_only) for clause in clauses)


def tsquery_clause(clause: Clause, title_only: bool) -> str:
    words, stems = ("A", "B") if title_only else ("AC", "BD")
    if clause.prefix or len(clause.words) > 1:
        terms = [f"'{word}':{words}" for word in clause.words]
        if clause.prefix:
            terms[-1] = f"'{clause.words[-1]}':*{words}"
        return "(" + " <-> ".join(terms) + ")"
    both = "AB" if title_only else "ABCD"
    options = [f"'{term}':{both}" for term in clause.exact_terms]
    options += [f"'{stem}':{stems}" for stem in clause.stems]
    return "(" + " | ".join(options) + ")"


def tsquery_expression(clauses: Sequence[Clause], title_only: bool = False) -> str:
    """The PostgreSQL tsquery text: the same logic, columns told apart by weights."""
    return " & ".join(tsquery_clause(clause, title_only) for clause in clauses)


# ---------------------------------------------------------------- what gets indexed


@dataclass
class Part:
    title: str
    body: str
    page: int | None = None
    language: str = ""


def join_lines(*values: Any) -> str:
    return "\n".join(str(value) for value in values if value)


def in_every_language(text: str) -> list[str]:
    """A message of the interface (a technology, a country's name) in each language the
    site offers, so that "cámaras" finds a CCTV deal described in English."""
    codes = tuple(code for code, _name in settings.LANGUAGES)
    return list(_in_every_language(str(text) if text else "", codes))


@functools.lru_cache(maxsize=4096)
def _in_every_language(text: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """``in_every_language`` (kept: the catalogues do not change while the process runs)."""
    found: list[str] = []
    for code in languages:
        with translation.override(code):
            value = str(translation.gettext(text)) if text else ""
        if value and value not in found:
            found.append(value)
    return tuple(found)


def country_names(country: Any) -> list[str]:
    return list(_country_names(country.code, country.english_name))


@functools.cache
def _country_names(code: str, english_name: str) -> tuple[str, ...]:
    """A country's English name and its name in each interface language (kept: the names
    do not change while the process runs)."""
    names = [english_name]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            name = str(countries.name(code) or "")
        if name and name not in names:
            names.append(name)
    return tuple(names)


def capability_labels(component: Any) -> list[str]:
    """Face and plate recognition of a component (present, or capable but not in use), named
    in every interface language: "reconocimiento facial" finds these deals."""
    labels = []
    if component.facial_recognition in ("present", "not_in_use"):
        labels += in_every_language("Facial recognition")
    if component.plate_recognition in ("present", "not_in_use"):
        labels += in_every_language("Plate recognition")
    return labels


def deployment_parts(deployment: Any) -> list[Part]:
    # Prefetch parties__organisation, components__technology and __supplier for many.
    return deployment_parts_of(
        deployment,
        deployment.parties.all(),
        deployment.components.all(),
        deployment.money.all(),
        deployment.events.all(),
        deployment.claims.all(),
    )


def deployment_parts_of(
    deployment: Any,
    parties: Iterable[Any],
    components: Iterable[Any],
    money: Iterable[Any],
    events: Iterable[Any],
    claims: Iterable[Any],
) -> list[Part]:
    """``deployment_parts`` of a deployment with these parts, in the order the database gives
    them (an import indexes new deployments from the records in hand)."""
    lines = [deployment.summary]
    if deployment.locality_id:
        lines.append(deployment.locality.name)
    lines.extend(country_names(deployment.country))
    for party in parties:
        lines.append(join_lines(party.organisation.name, party.organisation.aliases, party.note))
    for component in components:
        technology = component.technology
        lines.append(
            join_lines(
                *in_every_language(technology.name),
                *in_every_language(technology.description),
                component.quantity_label(),
                component.product_models,
                component.description,
                component.supplier.name if component.supplier_id else "",
                *capability_labels(component),
            )
        )
    for item in money:
        lines.append(join_lines(item.note))
    for event in events:
        lines.append(join_lines(event.title, event.description))
    for claim in claims:
        lines.append(claim.statement)
    return [Part(deployment.title, join_lines(*lines))]


def organisation_parts(organisation: Any) -> list[Part]:
    return [
        Part(
            organisation.name,
            join_lines(
                organisation.aliases,
                *(country_names(organisation.country) if organisation.country_id else []),
                organisation.description,
                organisation.website,
            ),
        )
    ]


def place_parts(locality: Any) -> list[Part]:
    return [
        Part(
            locality.name,
            join_lines(*country_names(locality.country), locality.subdivision_code),
        )
    ]


def country_parts(country: Any) -> list[Part]:
    return [Part(join_lines(*country_names(country)), join_lines(country.code, country.alpha3))]


def source_parts(source: Any) -> list[Part]:
    return [
        Part(
            source.title,
            join_lines(source.publisher, source.notes, source.url),
            language=source.language,
        )
    ]


def split_long(text: str, limit: int = MAX_PART_CHARS) -> list[str]:
    """Cut text into pieces of at most ``limit`` characters, at a line or word break."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def document_parts(source: Any) -> list[Part]:
    stored = text_file(source)
    if stored is None:
        return []
    pages = stored.pages
    parts = []
    for number, page in enumerate(pages, start=1):
        for piece in split_long(page):
            if piece.strip():
                page_number = number if len(pages) > 1 else None
                parts.append(Part(source.title, piece, page_number, source.language))
    return parts


def foi_request_parts(request: Any) -> list[Part]:
    """An FOI request as the public sees it: the index serves every visitor, so its letters
    (and everything else indexed of the request) are stored in their public view, with the
    requester's people and addresses hidden (``foi.mail.redaction``, as on the request's
    page); its team opens the page for the originals."""
    hide = redactor_for(request)
    lines = [request.requester.name, request.authority.name, request.letter_subject]
    lines += [question.text for question in request.questions.all()]
    for message in request.messages.all():
        lines += [message.sender, message.recipient, message.subject, message.body]
    body = join_lines(*(hide(line) for line in lines if line))
    return [Part(hide(request.title), body, language=request.language)]


PARTS = {
    DEPLOYMENT: deployment_parts,
    ORGANISATION: organisation_parts,
    PLACE: place_parts,
    COUNTRY: country_parts,
    SOURCE: source_parts,
    DOCUMENT: document_parts,
    FOI_REQUEST: foi_request_parts,
}


def parts_for(kind: str, record: Any) -> list[Part]:
    return PARTS[kind](record)


def country_key(code: str) -> int:
    """The index's number for a country (its ISO code read as a number): "RS" → 21075."""
    return int.from_bytes(code.upper().encode("ascii"), "big")


def record_key(kind: str, record: Any) -> int:
    return country_key(record.pk) if kind == COUNTRY else record.pk


# ---------------------------------------------------------------- keeping the index current


def entry_values(number: int, part: Part) -> tuple:
    languages = stem_languages(part.language)
    title = index_text(part.title, languages)
    body = index_text(part.body, languages)
    return (number, part.page, part.language[:10], title.words, body.words, title.stems, body.stems)


ENTRY_FIELDS = ("part", "page", "language", "title", "body", "title_stems", "body_stems")


def replace_entries(kind: str, object_id: int, parts: list[Part]) -> None:
    """Make the index hold exactly these parts for the record (writes only on change)."""
    wanted = [entry_values(number, part) for number, part in enumerate(parts)]
    existing = list(
        SearchEntry.objects.filter(kind=kind, object_id=object_id)
        .order_by("part")
        .values_list(*ENTRY_FIELDS)
    )
    if existing == wanted:
        return
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()
        SearchEntry.objects.bulk_create(
            (
                SearchEntry(
                    kind=kind, object_id=object_id, **dict(zip(ENTRY_FIELDS, values, strict=True))
                )
                for values in wanted
            ),
            batch_size=500,
        )


def remove_entries(kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def index_record(kind: str, record: Any) -> None:
    replace_entries(kind, record_key(kind, record), parts_for(kind, record))


def index_source(source: Any) -> None:
    index_record(SOURCE, source)
    index_record(DOCUMENT, source)


def index_deployment_by_id(deployment_id: int | None) -> None:
    deployment = Deployment.objects.filter(pk=deployment_id).first() if deployment_id else None
    if deployment is not None:
        index_record(DEPLOYMENT, deployment)


def index_foi_request_by_id(request_id: int | None) -> None:
    request = FoiRequest.objects.filter(pk=request_id).first() if request_id else None
    if request is not None:
        index_record(FOI_REQUEST, request)


def all_records() -> dict[str, QuerySet]:
    """Every record the index covers, per kind."""
    return {
        DEPLOYMENT: Deployment.objects.select_related("country", "locality"),
        ORGANISATION: Organisation.objects.select_related("country"),
        COUNTRY: Country.objects.all(),
        PLACE: Locality.objects.select_related("country"),
        SOURCE: Source.objects.all(),
        DOCUMENT: Source.objects.select_related("document"),
        FOI_REQUEST: FoiRequest.objects.select_related("requester", "authority"),
    }


def rebuild_index() -> dict[str, int]:
    """Index every record from scratch; returns how many records of each kind."""
    counts = {}
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO evidence_searchentry_fts(evidence_searchentry_fts) "
                    "VALUES ('rebuild')"
                )
        for kind, queryset in all_records().items():
            counts[kind] = 0
            for record in queryset.iterator(chunk_size=200):
                index_record(kind, record)
                counts[kind] += 1
    return counts


# Kinds whose every record has at least one entry (``parts_for`` gives one part or more),
# keyed by the record's primary key: a record of these kinds with no entry is missing.
ALWAYS_INDEXED = (DEPLOYMENT, ORGANISATION, PLACE, SOURCE, FOI_REQUEST)


def index_missing() -> dict[str, int]:
    """Index the records that have no entry at all, of the kinds in ``ALWAYS_INDEXED`` (a
    source's document text with it); returns how many records of each kind were indexed.

    A data migration that makes entries stale deletes them (foi 0005 deletes every FOI
    request's entries, built before letters were indexed in their public view, and those of
    the documents it re-titles); ``citywatch migrate`` and ``citywatch init`` then call this
    after the last migration (``research.signals.build_missing_index``), with the current
    code. One query per kind when nothing is missing.
    """
    records = all_records()
    counts: dict[str, int] = {}
    for kind in ALWAYS_INDEXED:
        indexed = SearchEntry.objects.filter(kind=kind).values("object_id")
        counts[kind] = 0
        for record in records[kind].exclude(pk__in=indexed).iterator(chunk_size=200):
            if kind == SOURCE:
                index_source(record)
            else:
                index_record(kind, record)
            counts[kind] += 1
    return counts


# ---------------------------------------------------------------- who may see what


def visible_records(kind: str, user: Any) -> QuerySet:
    """The records of one index kind this user may see. The one place search asks the
    permission module (through the apps' query functions that wrap it); nothing else in
    search decides visibility.

    Raises:
        ValueError: ``kind`` is not an index kind.
    """
    if kind == DEPLOYMENT:
        return visible_deployments(user)
    if kind in (SOURCE, DOCUMENT):
        return permissions.visible(user, Source)
    if kind == FOI_REQUEST:
        return requests_visible_to(user)
    if kind == PLACE:  # a place is known through the deployments there
        return Locality.objects.filter(pk__in=visible_deployments(user).values("locality_id"))
    if kind == ORGANISATION:  # those a record the user may see names (or that none names)
        return permissions.visible(user, Organisation)
    if kind == COUNTRY:  # reference data
        return Country.objects.all()
    raise ValueError(kind)


def resolve_vendor(vendor: Any, user: Any = None) -> Any:
    """The vendor filter's organisation (given as one, its slug or id) among those ``user``
    may see; one they may not see filters like an unknown one (a placeholder that matches
    nothing)."""
    if vendor in (None, ""):
        return None
    if isinstance(vendor, Organisation):
        return vendor
    lookup = {"pk": vendor} if str(vendor).isdigit() else {"slug": vendor}
    found = permissions.visible(user, Organisation).filter(**lookup).first()
    return found or Organisation(pk=0, slug="-")


def narrowed(kind: str, records: QuerySet, user: Any, country: str | None, vendor: Any) -> QuerySet:
    """Records of one kind under the country and vendor filters (which follow the
    deployments the user may see). Filters only narrow: visibility is already applied.

    Raises:
        ValueError: ``kind`` is not an index kind.
    """
    if not country and vendor is None:
        return records
    deployments = visible_records(DEPLOYMENT, user)
    if country:
        deployments = deployments.filter(country_id=country.upper())
    if vendor is not None:
        deployments = deployments.filter(
            Q(pk__in=Component.objects.filter(supplier=vendor).values("deployment_id"))
            | Q(pk__in=Party.objects.filter(organisation=vendor).values("deployment_id"))
        )
    ids = deployments.values("pk")
    if kind == DEPLOYMENT:
        return records.filter(pk__in=ids)
    if kind == ORGANISATION:
        if country:
            records = records.filter(country_id=country.upper())
        if vendor is not None:
            records = records.filter(
                Q(pk=vendor.pk)
                | Q(pk__in=Organisation.objects.filter(parties__deployment__in=ids).values("pk"))
            )
        return records
    if kind in (SOURCE, DOCUMENT):
        return records.filter(pk__in=sources_backing(ids).values("pk"))
    if kind == PLACE:
        return records.filter(pk__in=Deployment.objects.filter(pk__in=ids).values("locality_id"))
    if kind == COUNTRY:
        return records.filter(pk__in=Deployment.objects.filter(pk__in=ids).values("country_id"))
    if kind == FOI_REQUEST:
        return records.filter(deployments__in=ids).distinct()
    raise ValueError(kind)


def allowed_sql(
    kinds: Sequence[str], user: Any, country: str | None, vendor: Any
) -> tuple[str, list]:
    """SQL condition on ``e`` (the index rows): the row's record may be shown."""
    conditions, params = [], []
    for kind in kinds:
        records = narrowed(kind, visible_records(kind, user), user, country, vendor)
        if kind == COUNTRY:
            keys = [country_key(code) for code in records.values_list("pk", flat=True)]
            if not keys:
                continue
            conditions.append(f"(e.kind = %s AND e.object_id IN ({', '.join(['%s'] * len(keys))}))")
            params += [kind, *keys]
            continue
        sql, subquery_params = records.order_by().values("pk").query.sql_with_params()
        conditions.append(f"(e.kind = %s AND e.object_id IN ({sql}))")
        params += [kind, *subquery_params]
    return ("(" + " OR ".join(conditions) + ")" if conditions else "1 = 0"), params


# ---------------------------------------------------------------- matching in the database


@dataclass
class Match:
    kind: str
    object_id: int
    part: int
    page: int | None
    score: float
    tier: int
    matches: int


def matching_sql(clauses: Sequence[Clause], allowed: str, allowed_params: list) -> tuple[str, list]:
    """A query for every matching index row the user may see, with its score and tier:
    0 when its record's title holds every clause, 2 for a document passage, else 1.

    Raises:
        NotImplementedError: a database other than SQLite or PostgreSQL.
    """
    # Only constants and the permission module's own SQL are spliced in; the user's words
    # travel as parameters.
    if connection.vendor == "postgresql":
        sql = f"""
            SELECT e.kind, e.object_id, e.part, e.page,
                   ts_rank('{TS_RANK_WEIGHTS}', e.search_vector, q.query) AS score,
                   CASE WHEN e.search_vector @@ q.title_query THEN 0
                        WHEN e.kind = 'document' THEN 2 ELSE 1 END AS tier
            FROM evidence_searchentry e,
                 (SELECT to_tsquery('citywatch', %s) AS query,
                         to_tsquery('citywatch', %s) AS title_query) q
            WHERE e.search_vector @@ q.query AND {allowed}"""  # noqa: S608
        params = [tsquery_expression(clauses), tsquery_expression(clauses, title_only=True)]
    elif connection.vendor == "sqlite":
        sql = f"""
            SELECT e.kind, e.object_id, e.part, e.page,
                   -bm25(evidence_searchentry_fts, {BM25_WEIGHTS}) AS score,
                   CASE WHEN e.id IN (SELECT rowid FROM evidence_searchentry_fts
                                      WHERE evidence_searchentry_fts MATCH %s) THEN 0
                        WHEN e.kind = 'document' THEN 2 ELSE 1 END AS tier
            FROM evidence_searchentry_fts
            JOIN evidence_searchentry e ON e.id = evidence_searchentry_fts.rowid
            WHERE evidence_searchentry_fts MATCH %s AND {allowed}"""  # noqa: S608
        params = [fts5_expression(clauses, title_only=True), fts5_expression(clauses)]
    else:  # pragma: no cover - settings allow only these two
        raise NotImplementedError(connection.vendor)
    return sql, params + allowed_params


KIND_RANK = (
    "CASE kind "
    + " ".join(f"WHEN '{kind}' THEN {number}" for number, kind in enumerate(INDEX_KINDS))
    + " END"
)


def best_matches(rows_sql: str, params: list, limit: int, offset: int) -> list[Match]:
    """One row per record (its best part), ranked, one page of them."""
    sql = f"""
        WITH hits AS ({rows_sql}),
        ranked AS (
            SELECT kind, object_id, part, page, score, tier,
                   ROW_NUMBER() OVER (PARTITION BY kind, object_id
                                      ORDER BY tier, score DESC, part) AS position,
                   COUNT(*) OVER (PARTITION BY kind, object_id) AS matches
            FROM hits
        )
        SELECT kind, object_id, part, page, score, tier, matches FROM ranked
        WHERE position = 1
        ORDER BY tier, score DESC, {KIND_RANK}, object_id
        LIMIT %s OFFSET %s"""  # noqa: S608 - rows_sql from matching_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [Match(*row) for row in cursor.fetchall()]


def count_matches(rows_sql: str, params: list) -> dict[str, int]:
    """How many records of each kind match (all of them, not one page)."""
    sql = f"""
        WITH hits AS ({rows_sql})
        SELECT kind, COUNT(DISTINCT object_id) FROM hits GROUP BY kind"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def matching_ids(query: str, kind: str = DEPLOYMENT) -> Q:
    """A filter for records of ``kind`` whose index entries match the query, to combine with
    a queryset the caller has already narrowed to what the user may see (the deployment
    list's ``q``). An empty query filters nothing."""
    clauses = parse_query(query)
    if not clauses:
        return Q()
    if connection.vendor == "postgresql":
        sql = (
            "SELECT e.object_id FROM evidence_searchentry e "
            "WHERE e.kind = %s AND e.search_vector @@ to_tsquery('citywatch', %s)"
        )
        params = [kind, tsquery_expression(clauses)]
    else:
        sql = (
            "SELECT e.object_id FROM evidence_searchentry_fts "
            "JOIN evidence_searchentry e ON e.id = evidence_searchentry_fts.rowid "
            "WHERE e.kind = %s AND evidence_searchentry_fts MATCH %s"
        )
        params = [kind, fts5_expression(clauses)]
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, words as parameters


# ---------------------------------------------------------------- snippets


def marked_words(
    text: str, clauses: list[Clause], languages: tuple[str, ...]
) -> tuple[list[tuple[int, int]], set[int]]:
    """The word spans of a text and the indexes of those that match a clause."""
    words = list(spans(text))
    exact: list[str] = []
    stems: list[tuple[str, ...]] = []
    for start, end in words:
        pieces = split_words(text[start:end])
        forms = word_forms(pieces[0], languages) if pieces else None
        exact.append(forms.exact if forms else "")
        stems.append((*forms.alternates, *forms.stems) if forms else ())
    marked: set[int] = set()
    for index in range(len(words)):
        for clause in clauses:
            if len(clause.words) == 1:
                if clause.matches_word(exact[index], stems[index]):
                    marked.add(index)
            elif _phrase_at(clause, exact, index):
                marked.update(range(index, index + len(clause.words)))
    return words, marked


def _phrase_at(clause: Clause, exact: list[str], index: int) -> bool:
    size = len(clause.words)
    if index + size > len(exact):
        return False
    window = exact[index : index + size]
    if clause.prefix:
        return window[:-1] == list(clause.words[:-1]) and window[-1].startswith(clause.words[-1])
    return window == list(clause.words)


def render_words(
    text: str, words: list[tuple[int, int]], marked: set[int], start: int, end: int
) -> str:
    """HTML of text from word ``start`` to word ``end`` (exclusive), matches in <mark>."""
    pieces = []
    for index in range(start, end):
        if index > start:
            pieces.append(_spaced(text[words[index - 1][1] : words[index][0]]))
        chunk = escape(text[words[index][0] : words[index][1]])
        pieces.append(f"<mark>{chunk}</mark>" if index in marked else chunk)
    return "".join(pieces)


def _spaced(between: str) -> str:
    """What stands between two words, its white space collapsed, escaped."""
    if not between.strip():
        return " " if between else ""
    lead = " " if between[0].isspace() else ""
    trail = " " if between[-1].isspace() else ""
    return escape(lead + " ".join(between.split()) + trail)


def snippet(
    text: str,
    clauses: list[Clause],
    languages: tuple[str, ...] = UNKNOWN_LANGUAGES,
    length: int = SNIPPET_WORDS,
) -> SafeString:
    """About ``length`` words around the best place where the query terms occur."""
    words, marked = marked_words(text, clauses, languages)
    if not words:
        return mark_safe("")
    start = 0
    if marked:
        positions = sorted(marked)
        best = max(
            positions, key=lambda i: bisect_left(positions, i + length) - bisect_left(positions, i)
        )
        start = max(0, best - length // 4)
    end = min(len(words), start + length)
    start = max(0, min(start, end - length))
    html = render_words(text, words, marked, start, end)
    if start > 0:
        html = "… " + html
    if end < len(words):
        html += " …"
    return mark_safe(html)  # noqa: S308 - every piece of text was escaped above


def highlight(
    text: str, clauses: list[Clause], languages: tuple[str, ...] = UNKNOWN_LANGUAGES
) -> SafeString:
    """The whole text, escaped, with the query terms in <mark>."""
    words, marked = marked_words(text, clauses, languages)
    if not words:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    html = escape(text[: words[0][0]])
    html += render_words(text, words, marked, 0, len(words))
    html += escape(text[words[-1][1] :])
    return mark_safe(html)  # noqa: S308 - every piece of text was escaped


# ---------------------------------------------------------------- the search


@dataclass
class Hit:
    kind: str  # one of KINDS (a country is a "place")
    object_id: int | str  # the record's database id (a country's ISO code): never shown
    title: str
    url: str
    snippet: SafeString
    title_html: SafeString
    page: int | None = None
    score: float = 0.0
    matches: int = 1  # how many of the record's parts (a document's pages) match
    language: str = ""  # the text's language when known (sources, FOI requests)
    public_id: int | str = ""  # the id shown to the world (``public_id()``)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.public_id,
            "title": self.title,
            "url": self.url,
            "page": self.page,
            "matches": self.matches,
            "language": self.language,
            "snippet": str(self.snippet),
        }


@dataclass
class SearchResults:
    query: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def index_kinds(kinds: Iterable[str] | None) -> list[str]:
    """The index kinds behind the kinds asked for (a place is a locality or a country)."""
    asked = set(KINDS) if kinds is None else set(kinds) & set(KINDS)
    return [kind for kind in INDEX_KINDS if SHOWN_AS.get(kind, kind) in asked]


def search(
    query: str,
    kinds: Iterable[str] | None = None,
    country: str | None = None,
    vendor: Any = None,
    limit: int = 20,
    offset: int = 0,
    user: Any = None,
) -> SearchResults:
    """Records this user may see (default: the public) matching every part of the query,
    best first; ``limit`` hits from ``offset``, with every match counted.

    ``kinds``: any of KINDS (default: all). ``country``: an ISO 3166-1 alpha-2 code.
    ``vendor``: an Organisation, its slug or id: deployments it supplied or took part in,
    their other parties, places, requests and the sources behind them.
    """
    results = SearchResults(query=query)
    clauses = parse_query(query)
    wanted = index_kinds(kinds)
    if not clauses or not wanted:
        return results
    vendor = resolve_vendor(vendor, user)
    allowed, allowed_params = allowed_sql(wanted, user, country, vendor)
    rows_sql, params = matching_sql(clauses, allowed, allowed_params)
    for kind, number in count_matches(rows_sql, params).items():
        shown = SHOWN_AS.get(kind, kind)
        results.counts[shown] = results.counts.get(shown, 0) + number
    results.counts = {kind: results.counts[kind] for kind in KINDS if kind in results.counts}
    results.total = sum(results.counts.values())
    if limit > 0 and offset < results.total:
        results.hits = build_hits(best_matches(rows_sql, params, limit, max(0, offset)), clauses)
    return results


def build_hits(matches: list[Match], clauses: list[Clause]) -> list[Hit]:
    querysets = all_records()
    records: dict[tuple[str, int], Any] = {}
    for kind, queryset in querysets.items():
        keys = [m.object_id for m in matches if m.kind == kind]
        if not keys:
            continue
        if kind == COUNTRY:
            codes = [key.to_bytes(2, "big").decode("ascii") for key in keys]
            records.update(((kind, country_key(r.pk)), r) for r in queryset.filter(pk__in=codes))
        else:
            records.update(((kind, r.pk), r) for r in queryset.filter(pk__in=keys))
    hits = []
    for match in matches:
        record = records.get((match.kind, match.object_id))
        if record is not None:
            hits.append(make_hit(match, record, clauses))
    return hits


def hit_title(kind: str, record: Any) -> str:
    if kind == COUNTRY:
        return str(record.name)
    if kind == PLACE:
        return f"{record.name}, {record.country.name}"
    return str(record.title if hasattr(record, "title") else record.name)


def hit_url(match: Match, record: Any) -> str:
    if match.kind == DOCUMENT:
        url = reverse("research:source_text", args=[record.key])
        return f"{url}#page-{match.page}" if match.page else url
    if match.kind == PLACE:
        query = urlencode({"country": record.country_id, "q": f'"{record.name}"'})
        return f"{reverse('atlas:deployment_list')}?{query}"
    return record.get_absolute_url()


def public_id(kind: str, record: Any) -> int | str:
    """The id a hit shows the world: what the record's page address names (a deployment's or
    an organisation's slug, a source's or FOI request's key, a country's ISO code, a place's
    number: places are reference data, never hidden). Never the database number of a record
    that can be hidden, whose gaps would count the hidden ones."""
    if kind in (DEPLOYMENT, ORGANISATION):
        return record.slug
    if kind in (SOURCE, DOCUMENT, FOI_REQUEST):
        return str(record.key)
    return record.pk


def make_hit(match: Match, record: Any, clauses: list[Clause]) -> Hit:
    parts = parts_for(match.kind, record)
    part = parts[match.part] if match.part < len(parts) else Part(hit_title(match.kind, record), "")
    languages = stem_languages(part.language)
    title = hit_title(match.kind, record)
    return Hit(
        kind=SHOWN_AS.get(match.kind, match.kind),
        object_id=record.pk,
        title=title,
        url=hit_url(match, record),
        snippet=snippet(part.body, clauses, languages),
        title_html=highlight(title, clauses, languages),
        page=match.page,
        score=match.score,
        matches=match.matches,
        language=part.language,
        public_id=public_id(match.kind, record),
    )


__all__ = [
    "KINDS",
    "Hit",
    "SearchResults",
    "fold_words",
    "matching_ids",
    "parse_query",
    "rebuild_index",
    "search",
    "search_examples",
    "visible_records",
]
