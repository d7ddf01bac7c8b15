"""Caches of reads that are only recomputed when CityWatch's data changed.

Every page, API answer and map layer is a function of three things: the data, the day (an
embargo ends at midnight by itself) and who asks (``citywatch.teams.permissions.scope_key``).
``cached()`` keeps a computed read under a key made of all three and of what the caller says
the read depends on (the address, the language...), so it is served again until one of them
changes.

The data's version is the *generation*: a random token kept in the database's cache table
(shared by every server process and by the command line), replaced after every committed
save or delete of a record of CityWatch's apps or of a user account. Each process also counts
its own writes, so a read made inside the writing transaction (or in a test, whose transaction
is never committed) never sees what was cached before the write. Code that writes without
``save()`` (``QuerySet.update()``, ``bulk_create()``) calls :func:`data_changed` itself.

The computed values live in the ``pages`` cache (memory of each process by default): a
generation nobody asks for any more simply ages out. Nothing here is sent to a client, so the
token reveals nothing; caching headers (ETag, Last-Modified) stay computed from what the
visitor may see (``citywatch.exchange.queries.fingerprint``).

Set ``CITYWATCH_PAGE_CACHE=0`` to compute every read afresh (for measurements or debugging).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

GENERATION_KEY = "citywatch:data-generation"
PAGES_CACHE = "pages"
T = TypeVar("T")

_lock = threading.Lock()
_local_writes = 0
_computing: dict[str, threading.Lock] = {}
_computing_guard = threading.Lock()


def _shared_generation() -> str:
    store = caches["default"]
    value = store.get(GENERATION_KEY)
    if value is None:
        # First reader after a restart of the cache: add (never overwrite) a fresh token, so
        # two processes racing here end up agreeing on one.
        store.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = store.get(GENERATION_KEY) or uuid.uuid4().hex
    return value


_request_generation: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "citywatch_request_generation", default=None
)


def generation() -> str:
    """The data's current version: ``"<shared token>.<this process's write count>"``.

    Costs one read of the cache table, once per request (``RequestGeneration``). Raises the
    database's errors if it is unreachable."""
    shared = _request_generation.get()
    if shared is None:
        shared = _shared_generation()
        if _in_request.get():
            _request_generation.set(shared)
    return f"{shared}.{_local_writes}"


_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "citywatch_in_request", default=False
)


class RequestGeneration:
    """Middleware: read the shared generation at most once per request (every cached read of
    one request then uses the same data version; this process's own writes still count)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        in_request = _in_request.set(True)
        memo = _request_generation.set(None)
        try:
            return self.get_response(request)
        finally:
            _request_generation.reset(memo)
            _in_request.reset(in_request)


def one_generation(pieces: Iterator[T]) -> Iterator[T]:
    """``pieces`` read as one request reads: the generation read once, at the first piece.

    A streamed response is made after the middleware returned (``RequestGeneration`` no
    longer applies), so each cached read in it would read the generation again; this keeps
    the first one for the whole stream (each step runs in its own context: nothing leaks to
    the code between steps)."""
    shared: str | None = None
    while True:
        in_request = _in_request.set(True)
        memo = _request_generation.set(shared)
        try:
            piece = next(pieces)
            shared = _request_generation.get()
        except StopIteration:
            return
        finally:
            _request_generation.reset(memo)
            _in_request.reset(in_request)
        yield piece


def _publish() -> None:
    # No cache table yet (data written by migrations, before `createcachetable`): there is
    # no generation to replace, and every reader will start a fresh one.
    with contextlib.suppress(DatabaseError):
        caches["default"].set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that data changed: every cached read is recomputed from now on.

    Inside a transaction the shared token is replaced once, when it commits (a reader in
    another process cannot cache data older than the new token); this process's own count
    changes at once."""
    global _local_writes
    with _lock:
        _local_writes += 1
    connection = connections[using]
    marker = getattr(connection, "_citywatch_generation_marker", None)
    position = getattr(connection, "_citywatch_generation_position", -1)
    pending = connection.run_on_commit
    if (
        connection.in_atomic_block
        and marker is not None
        and 0 <= position < len(pending)
        and pending[position][1] is marker
    ):
        return  # already replaced once this transaction commits

    def publish() -> None:
        _publish()

    connection._citywatch_generation_marker = publish
    connection._citywatch_generation_position = len(pending)
    transaction.on_commit(publish, using=using)


def today_key() -> str:
    return timezone.localdate().isoformat()


def enabled() -> bool:
    return bool(getattr(settings, "CITYWATCH_PAGE_CACHE", True))


def cache_key(parts: tuple[Any, ...]) -> str:
    """The key of a read: a hash of the generation, the day and the caller's parts."""
    text = "\x1f".join(str(part) for part in (generation(), today_key(), *parts))
    return "cw:" + hashlib.sha256(text.encode()).hexdigest()


def cached(parts: tuple[Any, ...], compute: Callable[[], T], timeout: int | None = None) -> T:
    """``compute()``, or the value it gave before for the same parts, generation and day.

    ``parts`` must name everything the value depends on besides the data and the day: the
    kind of read, the visibility scope of the user (``permissions.scope_key``), the language,
    the host and the query string. ``compute()`` returning None is not cached."""
    if not enabled():
        return compute()
    store = caches[PAGES_CACHE]
    key = cache_key(parts)
    value = store.get(key)
    if value is not None:
        return value
    # One thread computes, the others asking for the same read wait for its answer (after a
    # change, every visitor's first request would otherwise compute it at once).
    with _computing_guard:
        computing = _computing.setdefault(key, threading.Lock())
    with computing:
        value = store.get(key)
        if value is None:
            value = compute()
            if value is not None:
                store.set(key, value, timeout)
    with _computing_guard:
        _computing.pop(key, None)
    return value


def _record_changed(sender: Any, **kwargs: Any) -> None:
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # many-to-many links: count the change once it is made
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes no data
    data_changed(kwargs.get("using") or DEFAULT_DB_ALIAS)


def connect() -> None:
    """Replace the generation after every save or delete of a record of CityWatch's apps (and
    their history, many-to-many links and the user accounts)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from citywatch.core.signals import is_citywatch_model

    models = [m for m in apps.get_models(include_auto_created=True) if is_citywatch_model(m)]
    models.append(get_user_model())
    for model in models:
        uid = f"citywatch-data-cache-{model._meta.label_lower}"
        post_save.connect(_record_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_record_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_record_changed, dispatch_uid="citywatch-data-cache-m2m")
