"""The API's one caching helper: ETag and Last-Modified on every GET, and 304 answers.

Each group of endpoints names its *state*: a function returning ``(version, last_modified)``
of what those endpoints publish (``version`` any text that changes whenever it does;
``last_modified`` an aware datetime or None). The ETag is a hash of the full address, the
language and that version, so two addresses or two languages never share one; Last-Modified
is the state's own. Django's ``condition`` decorator then answers ``If-None-Match`` and
``If-Modified-Since`` with 304 Not Modified (RFC 9110 §13.1).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import condition
from ninja.decorators import decorate_view

from citywatch.core import data_cache

State = Callable[[], tuple[str, dt.datetime | None]]


def etag(request: HttpRequest, version: str) -> str:
    """The ETag of an answer: 32 hex digits of SHA-256 over address, language and version."""
    text = "|".join([request.get_full_path(), translation.get_language() or "", version])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _state_of(request: HttpRequest, state: State) -> tuple[str, dt.datetime | None]:
    """The state, computed once per request (ETag and Last-Modified both need it)."""
    kept: dict[State, tuple[str, dt.datetime | None]] = request.__dict__.setdefault(
        "_citywatch_api_state", {}
    )
    if state not in kept:
        kept[state] = state()
    return kept[state]


def kept_until_data_changes(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep a public read's answer until the public dataset changes (``citywatch.core.
    data_cache``, ``public=True``: a private change does not compute it again), keyed by its
    full address (host and scheme included: answers hold absolute links) and language. Public
    reads answer the same to everyone, so no visibility scope is needed."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        computed: dict[str, HttpResponse] = {}

        def compute() -> tuple[bytes, str] | None:
            response = computed["response"] = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return None
            return response.content, response["Content-Type"]

        parts = ("api", request.build_absolute_uri(), translation.get_language())
        kept = data_cache.cached(parts, compute, public=True)
        if "response" in computed:
            return computed["response"]
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)

    return wrapper


def cached_read(state: State, *, keep: bool = False) -> Callable[[Any], Any]:
    """A django-ninja operation decorator: ETag and Last-Modified from ``state``, 304 when
    the client's copy is current; with ``keep``, the answer is also kept until the data
    changes (``kept_until_data_changes``: only for answers that are the same for everyone)."""

    def read_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return etag(request, _state_of(request, state)[0])

    def read_last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> dt.datetime | None:
        return _state_of(request, state)[1]

    conditional = condition(etag_func=read_etag, last_modified_func=read_last_modified)
    if keep:
        return decorate_view(kept_until_data_changes, conditional)
    return decorate_view(conditional)
