"""Full-text search over deployments, organisations, sources and the text of documents.

    from citywatch.evidence.search import search
    results = search("camaras huawei", kinds=["document"], country="ES", vendor="huawei")
    for hit in results.hits:
        print(hit.kind, hit.title, hit.url, hit.page, hit.snippet)

How it works, and why the two databases give the same results:

* Every record is indexed as one or more ``SearchEntry`` rows whose words are *folded* here,
  in Python, before any database sees them: lower case, accents and other marks removed
  ("Cámaras" → "camaras", "Đorđe" → "dorde"), split into words on anything that is not a
  letter or digit. Queries are folded by the same function. The databases then only match
  plain words: SQLite through an FTS5 table (unicode61, remove_diacritics 2), PostgreSQL
  through a tsvector column (the "citywatch" configuration: unaccent, then simple; no
  stemming). Both would fold accents themselves; folding first makes them agree exactly.
* A query is words (all must match), "quoted phrases" and prefixes (``camer*``).
* Ranking: hits whose title holds every query term come first (decided in Python, the same
  on both databases), then by the database's relevance score (bm25 on SQLite, ts_rank on
  PostgreSQL), then by kind and id.
* Visibility: hits are checked against ``citywatch.atlas.queries.public_deployments()``;
  a private or embargoed deployment is never returned, and filters by country or vendor only
  follow public deployments. Organisations and sources are public records.
* Snippets are cut from the original text and highlighted with ``<mark>`` here, escaped.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from citywatch.evidence.models import SearchEntry

DEPLOYMENT = "deployment"
ORGANISATION = "organisation"
SOURCE = "source"
DOCUMENT = "document"
KINDS = {
    DEPLOYMENT: _("Deployment"),
    ORGANISATION: _("Organisation"),
    SOURCE: _("Source"),
    DOCUMENT: _("Document text"),
}
KIND_ORDER = {kind: position for position, kind in enumerate(KINDS)}

MAX_PART_CHARS = 20_000
MAX_CANDIDATES = 5_000
SNIPPET_WORDS = 32

WORD = re.compile(r"[^\W_]+")
# Letters that carry no combining mark to strip but still differ from their plain form.
SPECIAL_LETTERS = str.maketrans(
    {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i", "þ": "th"}
)


# ---------------------------------------------------------------- folding


def fold_words(text: str) -> list[str]:
    """The words of a text, folded: lower case, no accents. "Cámaras-IP" → [camaras, ip]."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return WORD.findall(stripped.casefold().translate(SPECIAL_LETTERS))


def folded(text: str) -> str:
    return " ".join(fold_words(text))


@dataclass(frozen=True)
class Clause:
    """One required part of a query: a word or a phrase, its last word maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def matches_at(self, words: Sequence[str], index: int) -> bool:
        if index + len(self.words) > len(words):
            return False
        for offset, word in enumerate(self.words):
            candidate = words[index + offset]
            last = offset == len(self.words) - 1
            if not (candidate == word or (last and self.prefix and candidate.startswith(word))):
                return False
        return True

    def found_in(self, words: Sequence[str]) -> bool:
        return any(self.matches_at(words, index) for index in range(len(words)))


QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')


def parse_query(query: str) -> list[Clause]:
    """Words, "quoted phrases" and trailing-star prefixes; everything else is ignored."""
    clauses: list[Clause] = []
    for phrase, word in QUERY_PART.findall(query or ""):
        text = phrase if phrase else word
        prefix = text.rstrip().endswith("*")
        words = tuple(fold_words(text))
        if not words:
            continue
        # A phrase, or a word such as "Rivas-Vaciamadrid" that folds to two: kept together.
        clauses.append(Clause(words, prefix))
    unique: list[Clause] = []
    for clause in clauses:
        if clause not in unique:
            unique.append(clause)
    return unique[:20]


# ---------------------------------------------------------------- what gets indexed


@dataclass
class Part:
    title: str
    body: str
    page: int | None = None


def join_lines(*values: Any) -> str:
    return "\n".join(str(value) for value in values if value)


def deployment_parts(deployment: Any) -> list[Part]:
    lines = [deployment.summary]
    if deployment.locality_id:
        lines.append(deployment.locality.name)
    lines.append(deployment.country.english_name)
    for party in deployment.parties.select_related("organisation"):
        lines.append(join_lines(party.organisation.name, party.organisation.aliases, party.note))
    for component in deployment.components.select_related("technology", "supplier"):
        lines.append(
            join_lines(
                component.technology.name,
                component.quantity_label(),
                component.product_models,
                component.description,
                component.supplier.name if component.supplier_id else "",
            )
        )
    for money in deployment.money.all():
        lines.append(join_lines(money.note))
    for event in deployment.events.all():
        lines.append(join_lines(event.title, event.description))
    for claim in deployment.claims.all():
        lines.append(claim.statement)
    return [Part(deployment.title, join_lines(*lines))]


def organisation_parts(organisation: Any) -> list[Part]:
    return [
        Part(
            organisation.name,
            join_lines(
                organisation.aliases,
                organisation.country.english_name if organisation.country_id else "",
                organisation.description,
                organisation.website,
            ),
        )
    ]


def source_parts(source: Any) -> list[Part]:
    return [Part(source.title, join_lines(source.publisher, source.notes, source.url))]


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
    from citywatch.evidence.queries import text_file

    stored = text_file(source)
    if stored is None:
        return []
    pages = stored.pages
    parts = []
    for number, page in enumerate(pages, start=1):
        for piece in split_long(page):
            if piece.strip():
                parts.append(Part(source.title, piece, number if len(pages) > 1 else None))
    return parts


def parts_for(kind: str, record: Any) -> list[Part]:
    return {
        DEPLOYMENT: deployment_parts,
        ORGANISATION: organisation_parts,
        SOURCE: source_parts,
        DOCUMENT: document_parts,
    }[kind](record)


# ---------------------------------------------------------------- keeping the index current


def replace_entries(kind: str, object_id: int, parts: list[Part]) -> None:
    """Make the index hold exactly these parts for the record (writes only on change)."""
    wanted = [
        (number, part.page, folded(part.title), folded(part.body))
        for number, part in enumerate(parts)
    ]
    existing = list(
        SearchEntry.objects.filter(kind=kind, object_id=object_id)
        .order_by("part")
        .values_list("part", "page", "title", "body")
    )
    if existing == wanted:
        return
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()
        SearchEntry.objects.bulk_create(
            SearchEntry(kind=kind, object_id=object_id, part=n, page=page, title=t, body=b)
            for n, page, t, b in wanted
        )


def remove_entries(kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def index_record(kind: str, record: Any) -> None:
    replace_entries(kind, record.pk, parts_for(kind, record))


def index_source(source: Any) -> None:
    index_record(SOURCE, source)
    index_record(DOCUMENT, source)


def index_deployment_by_id(deployment_id: int | None) -> None:
    from citywatch.atlas.models import Deployment

    deployment = Deployment.objects.filter(pk=deployment_id).first() if deployment_id else None
    if deployment is not None:
        index_record(DEPLOYMENT, deployment)


def rebuild_index() -> dict[str, int]:
    """Index every record from scratch; returns how many records of each kind."""
    from citywatch.actors.models import Organisation
    from citywatch.atlas.models import Deployment
    from citywatch.evidence.models import Source

    counts = {}
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO evidence_searchentry_fts(evidence_searchentry_fts) "
                    "VALUES ('rebuild')"
                )
        for kind, queryset in (
            (DEPLOYMENT, Deployment.objects.select_related("country", "locality")),
            (ORGANISATION, Organisation.objects.select_related("country")),
            (SOURCE, Source.objects.all()),
            (DOCUMENT, Source.objects.select_related("document")),
        ):
            counts[kind] = 0
            for record in queryset.iterator(chunk_size=200):
                index_record(kind, record)
                counts[kind] += 1
    return counts


# ---------------------------------------------------------------- matching in the database


@dataclass
class Match:
    kind: str
    object_id: int
    part: int
    page: int | None
    title_words: str
    score: float


def fts5_expression(clauses: Iterable[Clause]) -> str:
    return " AND ".join(
        '"' + " ".join(clause.words) + '"' + ("*" if clause.prefix else "") for clause in clauses
    )


def tsquery_expression(clauses: Iterable[Clause]) -> str:
    terms = []
    for clause in clauses:
        words = [f"'{word}'" for word in clause.words]
        if clause.prefix:
            words[-1] += ":*"
        terms.append("(" + " <-> ".join(words) + ")")
    return " & ".join(terms)


POSTGRES_MATCH = """
    SELECT e.kind, e.object_id, e.part, e.page, e.title,
           ts_rank(e.search_vector, q.query, 1) AS score
    FROM evidence_searchentry e, (SELECT to_tsquery('citywatch', %s) AS query) q
    WHERE e.search_vector @@ q.query AND e.kind = ANY(%s)
    ORDER BY score DESC, e.id
    LIMIT %s"""
SQLITE_MATCH = """
    SELECT e.kind, e.object_id, e.part, e.page, e.title,
           -bm25(evidence_searchentry_fts, 10.0, 1.0) AS score
    FROM evidence_searchentry_fts
    JOIN evidence_searchentry e ON e.id = evidence_searchentry_fts.rowid
    WHERE evidence_searchentry_fts MATCH %s
      AND e.kind IN (SELECT value FROM json_each(%s))
    ORDER BY score DESC, e.id
    LIMIT %s"""


def match_entries(clauses: list[Clause], kinds: Iterable[str]) -> list[Match]:
    """Entries matching every clause, best first (the database's own relevance score)."""
    kinds = list(kinds)
    if connection.vendor == "postgresql":
        sql = POSTGRES_MATCH
        params = [tsquery_expression(clauses), kinds, MAX_CANDIDATES]
    elif connection.vendor == "sqlite":
        sql = SQLITE_MATCH
        params = [fts5_expression(clauses), json.dumps(kinds), MAX_CANDIDATES]
    else:  # pragma: no cover - settings allow only these two
        raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Match(*row) for row in cursor.fetchall()]


# ---------------------------------------------------------------- visibility and filters


def resolve_vendor(vendor: Any) -> Any:
    from citywatch.actors.models import Organisation

    if vendor in (None, ""):
        return None
    if isinstance(vendor, Organisation):
        return vendor
    lookup = {"pk": vendor} if str(vendor).isdigit() else {"slug": vendor}
    return Organisation.objects.filter(**lookup).first() or Organisation(pk=0, slug="-")


def visible_ids(
    kind: str, ids: set[int], country: str | None, vendor: Any, user: Any = None
) -> set[int]:
    """Which of these records the user may see (the permission module decides), under the
    country and vendor filters. ``user`` None: the public."""
    from citywatch.actors.models import Organisation
    from citywatch.atlas.queries import visible_deployments, visible_sources
    from citywatch.evidence.queries import sources_backing
    from citywatch.teams import permissions

    if not ids:
        return set()
    deployments = visible_deployments(user)
    filtered = country or vendor is not None
    if country:
        deployments = deployments.filter(country_id=country.upper())
    if vendor is not None:
        deployments = deployments.filter(pk__in=_deployments_with_vendor(vendor))
    if kind == DEPLOYMENT:
        records = deployments.filter(pk__in=ids)
    elif kind == ORGANISATION:
        records = Organisation.objects.filter(permissions.visible_q(None, Organisation), pk__in=ids)
        if country:
            records = records.filter(country_id=country.upper())
        if vendor is not None:
            taking_part = Organisation.objects.filter(
                parties__deployment__in=deployments.values("pk")
            )
            records = records.filter(pk__in=[vendor.pk, *taking_part.values_list("pk", flat=True)])
    else:
        records = visible_sources(user).filter(pk__in=ids)
        if filtered:
            records = records.filter(pk__in=sources_backing(deployments.values("pk")).values("pk"))
    return set(records.values_list("pk", flat=True))


def _deployments_with_vendor(vendor: Any) -> Any:
    from citywatch.atlas.models import Component, Party

    supplied = Component.objects.filter(supplier=vendor).values_list("deployment_id", flat=True)
    party_to = Party.objects.filter(organisation=vendor).values_list("deployment_id", flat=True)
    return {*supplied, *party_to}


# ---------------------------------------------------------------- snippets


def highlight_spans(text: str, clauses: list[Clause]) -> tuple[list[re.Match[str]], set[int]]:
    """The words of a text and the indexes of those that match a clause."""
    words = list(WORD.finditer(text))
    keys = [folded(match.group()) for match in words]
    marked: set[int] = set()
    for index in range(len(keys)):
        for clause in clauses:
            if clause.matches_at(keys, index):
                marked.update(range(index, index + len(clause.words)))
    return words, marked


def render_words(
    text: str, words: list[re.Match[str]], marked: set[int], start: int, end: int
) -> str:
    """HTML of text from word ``start`` to word ``end`` (exclusive), matches in <mark>."""
    pieces = []
    for index in range(start, end):
        if index > start:
            pieces.append(_spaced(text[words[index - 1].end() : words[index].start()]))
        chunk = escape(words[index].group())
        pieces.append(f"<mark>{chunk}</mark>" if index in marked else chunk)
    return "".join(pieces)


def _spaced(between: str) -> str:
    """What stands between two words, its white space collapsed, escaped."""
    if not between.strip():
        return " " if between else ""
    lead = " " if between[0].isspace() else ""
    trail = " " if between[-1].isspace() else ""
    return escape(lead + " ".join(between.split()) + trail)


def snippet(text: str, clauses: list[Clause], length: int = SNIPPET_WORDS) -> SafeString:
    """About ``length`` words around the best place where the query terms occur."""
    words, marked = highlight_spans(text, clauses)
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


def highlight(text: str, clauses: list[Clause]) -> SafeString:
    """The whole text, escaped, with the query terms in <mark>."""
    words, marked = highlight_spans(text, clauses)
    if not words:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    html = escape(text[: words[0].start()])
    html += render_words(text, words, marked, 0, len(words))
    html += escape(text[words[-1].end() :])
    return mark_safe(html)  # noqa: S308 - every piece of text was escaped


# ---------------------------------------------------------------- the search


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    snippet: SafeString
    title_html: SafeString
    page: int | None = None
    score: float = 0.0

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.object_id,
            "title": self.title,
            "url": self.url,
            "page": self.page,
            "snippet": str(self.snippet),
        }


@dataclass
class SearchResults:
    query: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def search(
    query: str,
    kinds: Iterable[str] | None = None,
    country: str | None = None,
    vendor: Any = None,
    limit: int = 20,
    offset: int = 0,
    user: Any = None,
) -> SearchResults:
    """Records the user may see (``user`` None: the public) matching every word of the query,
    best first.

    ``kinds``: any of "deployment", "organisation", "source", "document" (default: all).
    ``country``: an ISO 3166-1 alpha-2 code. ``vendor``: an Organisation, its slug or id:
    deployments it supplied or took part in, their other parties, and the sources behind them.
    """
    results = SearchResults(query=query)
    clauses = parse_query(query)
    wanted = [kind for kind in KINDS if kinds is None or kind in set(kinds)]
    if not clauses or not wanted:
        return results
    vendor = resolve_vendor(vendor)
    best: dict[tuple[str, int], tuple[tuple, Match]] = {}
    for match in match_entries(clauses, wanted):
        in_title = all(clause.found_in(match.title_words.split()) for clause in clauses)
        key = (not in_title, -match.score, KIND_ORDER[match.kind], match.object_id, match.part)
        record_key = (match.kind, match.object_id)
        if record_key not in best or key < best[record_key][0]:
            best[record_key] = (key, match)
    allowed: set[tuple[str, int]] = set()
    for kind in wanted:
        ids = {object_id for (k, object_id) in best if k == kind}
        allowed.update((kind, pk) for pk in visible_ids(kind, ids, country, vendor, user))
    ranked = sorted((value for key, value in best.items() if key in allowed), key=lambda v: v[0])
    results.total = len(ranked)
    for _key, match in ranked:
        results.counts[match.kind] = results.counts.get(match.kind, 0) + 1
    page = [match for _key, match in ranked[offset : offset + limit]]
    results.hits = build_hits(page, clauses)
    return results


def build_hits(matches: list[Match], clauses: list[Clause]) -> list[Hit]:
    from citywatch.actors.models import Organisation
    from citywatch.atlas.models import Deployment
    from citywatch.evidence.models import Source

    models = {
        DEPLOYMENT: Deployment.objects.select_related("country", "locality"),
        ORGANISATION: Organisation.objects.select_related("country"),
        SOURCE: Source.objects.all(),
        DOCUMENT: Source.objects.select_related("document"),
    }
    records: dict[tuple[str, int], Any] = {}
    for kind, queryset in models.items():
        ids = [m.object_id for m in matches if m.kind == kind]
        if ids:
            records.update(((kind, r.pk), r) for r in queryset.filter(pk__in=ids))
    hits = []
    for match in matches:
        record = records.get((match.kind, match.object_id))
        if record is None:
            continue
        parts = parts_for(match.kind, record)
        body = parts[match.part].body if match.part < len(parts) else ""
        title = str(record.title if hasattr(record, "title") else record.name)
        url = record.get_absolute_url()
        if match.kind == DOCUMENT:
            url = reverse("evidence:source_text", args=[record.key])
            if match.page:
                url += f"#page-{match.page}"
        hits.append(
            Hit(
                kind=match.kind,
                object_id=match.object_id,
                title=title,
                url=url,
                snippet=snippet(body, clauses),
                title_html=highlight(title, clauses),
                page=match.page,
                score=match.score,
            )
        )
    return hits
