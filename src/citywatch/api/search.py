"""The search part of the API: ``GET /api/search?q=...&kind=...&country=...&vendor=...``.

A django-ninja router; the project's API (``citywatch.api``) mounts it under ``/search``. It
answers with what the search page finds for a visitor, from the same function
(``citywatch.research.search.search``), asked for public records only.

Snippets come from that function already HTML-escaped, with the matched words in ``<mark>``:
``snippet`` is that text (safe to insert into a page as HTML: it holds no other markup) and
``snippet_text`` the same passage as plain text. No markup stored in the database is ever
passed through.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from citywatch.api import caching
from citywatch.api.paging import page_links
from citywatch.api.schemas import Error, Page
from citywatch.exchange import meta
from citywatch.exchange.queries import dataset_last_modified, dataset_version
from citywatch.research.search import Hit, search

router = Router(tags=["search"])

Kind = Literal["deployment", "organisation", "place", "source", "document", "foi_request"]
MARK = re.compile(r"</?mark>")
# Record ids above this cannot exist; a longer run of digits is no vendor (and would overflow
# an integer column on PostgreSQL).
MAX_ID_DIGITS = 18


def search_version() -> str:
    """Changes whenever what public search can find may have changed: the public dataset
    (computed from public records only, so indexing a private record's new text moves
    nothing here)."""
    return dataset_version()


def search_state() -> tuple[str, dt.datetime | None]:
    """Version and latest change of what public search can find."""
    return search_version(), dataset_last_modified()


cached_read = caching.cached_read(search_state)


class SearchHitOut(Schema):
    kind: Kind
    id: int | str = Field(
        description="The id in the record's address: a deployment's or organisation's slug, "
        "a source's key (also for document hits), an FOI request's key, a country's ISO code, "
        "a place's number."
    )
    title: str = Field(description="Plain text.")
    url: str = Field(description="The record's public page (a document hit: its text page).")
    page: int | None = Field(description="The page of a long document the passage is on.")
    matches: int = Field(
        description="How many parts of the record match (for a document: its matching pages)."
    )
    language: str = Field(description="The text's language when known, e.g. es.")
    snippet: str = Field(
        description="The passage, HTML-escaped, matched words in <mark>; no other markup."
    )
    snippet_text: str = Field(description="The same passage as plain text.")


class SearchPage(Page):
    query: str
    counts: dict[str, int] = Field(description="Hits per kind, on all pages.")
    results: list[SearchHitOut]


def hit_record(hit: Hit) -> dict[str, Any]:
    data = hit.as_dict()
    escaped = str(hit.snippet)
    data.update(
        url=meta.site_url(hit.url),
        snippet=escaped,
        snippet_text=html.unescape(MARK.sub("", escaped)),
    )
    return data


@router.get(
    "",
    response={200: SearchPage, 422: Error},
    summary="Search public deployments, organisations, places, sources, documents and FOI requests",
)
@cached_read
def search_records(
    request: HttpRequest,
    q: str = Query(
        ...,
        min_length=1,
        max_length=500,
        description='Words (all must match), "quoted phrases" and prefixes (camer*); '
        "accents, case and Serbian script are ignored, and words match their other "
        "inflections (cameras finds camera).",
    ),
    kind: list[Kind] = Query([], description="Repeat for several; default: every kind."),  # noqa: B008 (django-ninja's way)
    country: str = Query("", max_length=2, description="ISO 3166-1 alpha-2 code."),
    vendor: str = Query("", max_length=120, description="Vendor slug."),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """Every match is counted and reachable by paging. Records whose title holds every word
    come first, then records whose other text does, then document passages; inside each, by
    relevance. ``country`` and ``vendor`` follow public deployments only."""
    vendor = vendor.strip()
    if vendor.isdigit() and len(vendor) > MAX_ID_DIGITS:
        vendor = "-"  # matches no organisation
    results = search(
        q,
        kinds=kind or None,
        country=country.strip().upper() or None,
        vendor=vendor or None,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    following, previous = page_links(request, page, page_size, results.total)
    return {
        "count": results.total,
        "page": page,
        "page_size": page_size,
        "next": following,
        "previous": previous,
        "query": q,
        "counts": results.counts,
        "results": [hit_record(hit) for hit in results.hits],
    }
