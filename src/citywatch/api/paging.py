"""The API's one pager: ``page`` and ``page_size`` in, the page shape out.

Every list answers ``{"count", "page", "page_size", "next", "previous", "results"}``, with
``next`` and ``previous`` as full addresses (the request's own query with ``page`` changed)
or null.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest


def page_links(
    request: HttpRequest, page: int, page_size: int, count: int
) -> tuple[str | None, str | None]:
    """Full addresses of the next and previous pages (None where there is none): a previous
    page is linked only while it still holds records."""
    start = (page - 1) * page_size

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    following = link(page + 1) if start + page_size < count else None
    previous = link(page - 1) if page > 1 and start - page_size < count else None
    return following, previous


def page_of(
    request: HttpRequest,
    records: QuerySet | list,
    page: int,
    page_size: int,
    serialize: Callable[[Iterable[Any]], list[dict[str, Any]]],
) -> dict[str, Any]:
    """One page of ``records`` (1-based ``page``), each serialized by ``serialize``."""
    count = records.count() if isinstance(records, QuerySet) else len(records)
    start = (page - 1) * page_size
    following, previous = page_links(request, page, page_size, count)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": following,
        "previous": previous,
        "results": serialize(list(records[start : start + page_size])),
    }
