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

**Public reads** (``cached(..., public=True)``: what an anonymous visitor sees, the same for
every visitor) are keyed by the *public version* instead: the public dataset's fingerprint
(``citywatch.exchange.queries.public_fingerprint``, registered with :func:`track_public`)
and a second token, the *public generation*, replaced only by changes the fingerprint cannot
see (a country, a technology, an account, an FOI request, a many-to-many link, any write
without ``save()``...). A change to a private, partners-only or embargoed record, which the
fingerprint ignores, then costs the next visitor the fingerprint (computed once per change,
shared by every process through the database's cache table), not the map or the API page
again; any change the public may see moves the fingerprint or the public generation, and the
day is part of the key (an embargo ends at midnight with no write). Inside a transaction that
wrote, public reads fall back to the generation (what the transaction wrote may be rolled
back: nothing computed from it is kept under a key that outlives it).

A server process (``citywatch.wsgi``) computes the public version again in the background after
each change it commits (``warm_in_background``): the next visitor finds it computed, so the
API's and the exports' first byte do not wait for the fingerprint, and after a private edit
the map and pages kept under the public version are served at once. A change committed by
another process (the command line, another server) is warmed by that process if it is a
server; otherwise the first request computes it as before.

Set ``CITYWATCH_PAGE_CACHE=0`` to compute every read afresh (for measurements or debugging).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

GENERATION_KEY = "citywatch:data-generation"
PUBLIC_GENERATION_KEY = "citywatch:public-generation"
SHARED_PREFIX = "citywatch:shared-read:"
PAGES_CACHE = "pages"
T = TypeVar("T")

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_local_writes = 0
_local_public_writes = 0
_computing: dict[str, threading.Lock] = {}
_computing_guard = threading.Lock()

# What the public version is made of (``track_public``): the fingerprint's version text, the
# labels of the models it reads (their history models included) and of the models no public
# read shows.
_public_version: Callable[[], str] | None = None
_known_public_version: Callable[[], str | None] | None = None
_fingerprinted: frozenset[str] = frozenset()
_unpublished: frozenset[str] = frozenset()


def _shared_tokens(keys: tuple[str, ...]) -> dict[str, str]:
    """The shared tokens under these keys, read in one query; a missing one is added (never
    overwritten), so two processes racing here end up agreeing on one."""
    store = caches["default"]
    found = store.get_many(keys)
    for key in keys:
        if found.get(key) is None:
            store.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = store.get(key) or uuid.uuid4().hex
    return found


# The tokens read by this request (``RequestGeneration``), or None outside a request.
_request_tokens: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "citywatch_request_tokens", default=None
)


def _token(key: str) -> str:
    memo = _request_tokens.get()
    if memo is not None and key in memo:
        return memo[key]
    # Both tokens at once: a request asking for one mostly asks for the other.
    found = _shared_tokens((GENERATION_KEY, PUBLIC_GENERATION_KEY))
    if memo is not None:
        memo.update(found)
    return found[key]


def generation() -> str:
    """The data's current version: ``"<shared token>.<this process's write count>"``.

    Costs one read of the cache table, once per request (``RequestGeneration``). Raises the
    database's errors if it is unreachable."""
    return f"{_token(GENERATION_KEY)}.{_local_writes}"


def public_generation() -> str:
    """The version of what the public may see besides the fingerprinted records:
    ``"<shared public token>.<this process's count of such writes>"`` (read with
    ``generation()``, in the same query)."""
    return f"{_token(PUBLIC_GENERATION_KEY)}.{_local_public_writes}"


class RequestGeneration:
    """Middleware: read the shared tokens at most once per request (every cached read of
    one request then uses the same data version; this process's own writes still count)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        memo = _request_tokens.set({})
        try:
            return self.get_response(request)
        finally:
            _request_tokens.reset(memo)


def one_generation(pieces: Iterator[T]) -> Iterator[T]:
    """``pieces`` read as one request reads: the tokens read once, at the first piece.

    A streamed response is made after the middleware returned (``RequestGeneration`` no
    longer applies), so each cached read in it would read the tokens again; this keeps
    the first ones for the whole stream (each step runs in its own context: nothing leaks to
    the code between steps)."""
    shared: dict[str, str] = {}
    while True:
        memo = _request_tokens.set(shared)
        try:
            piece = next(pieces)
        except StopIteration:
            return
        finally:
            _request_tokens.reset(memo)
        yield piece


class _Publish:
    """The on-commit replacement of the shared tokens, one per transaction; ``public`` says
    whether the public generation is replaced too (some write in it was one the public
    fingerprint cannot see)."""

    def __init__(self, public: bool) -> None:
        self.public = public

    def __call__(self) -> None:
        tokens = {GENERATION_KEY: uuid.uuid4().hex}
        if self.public:
            tokens[PUBLIC_GENERATION_KEY] = uuid.uuid4().hex
        # No cache table yet (data written by migrations, before `createcachetable`): there
        # is no generation to replace, and every reader will start a fresh one.
        with contextlib.suppress(DatabaseError):
            caches["default"].set_many(tokens, timeout=None)
        memo = _request_tokens.get()
        if memo is not None:
            memo.update(tokens)  # this request reads on with what it wrote
        _wake_warmer()


def data_changed(using: str = DEFAULT_DB_ALIAS, *, public: bool = True) -> None:
    """Record that data changed: every cached read is recomputed from now on.

    ``public=False`` only for a write the public fingerprint sees whenever the public could
    (a record of the fingerprinted tables, saved with its timestamp: ``track_public``): public
    reads are then recomputed only if the fingerprint moves. Inside a transaction the shared
    tokens are replaced once, when it commits (a reader in another process cannot cache data
    older than the new token); this process's own counts change at once."""
    global _local_writes, _local_public_writes
    with _lock:
        _local_writes += 1
        if public:
            _local_public_writes += 1
    connection = connections[using]
    marker = _pending_marker(connection)
    if marker is not None:
        marker.public = marker.public or public
        return  # already replaced once this transaction commits
    publish = _Publish(public)
    connection._citywatch_generation_marker = publish
    connection._citywatch_generation_position = len(connection.run_on_commit)
    transaction.on_commit(publish, using=using)


def _pending_marker(connection: Any) -> _Publish | None:
    """The replacement this connection's open transaction will run when it commits, if it
    wrote anything yet."""
    marker = getattr(connection, "_citywatch_generation_marker", None)
    position = getattr(connection, "_citywatch_generation_position", -1)
    pending = connection.run_on_commit
    if (
        connection.in_atomic_block
        and marker is not None
        and 0 <= position < len(pending)
        and pending[position][1] is marker
    ):
        return marker
    return None


def writing(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this thread is inside a transaction that wrote (not committed yet)."""
    return _pending_marker(connections[using]) is not None


def today_key() -> str:
    return timezone.localdate().isoformat()


def enabled() -> bool:
    return bool(getattr(settings, "CITYWATCH_PAGE_CACHE", True))


def track_public(
    version: Callable[[], str],
    known_version: Callable[[], str | None],
    fingerprinted: set[str],
    unpublished: set[str],
) -> None:
    """Key public reads by ``version()`` (the public dataset's fingerprint text) and the public
    generation (called once, by ``citywatch.exchange``'s app).

    ``known_version()``: the same, or None when it would have to be computed now.
    ``fingerprinted``: labels (``app.model``, lower case) of the models whose every public
    change moves ``version()``, and of their history models; ``unpublished``: labels of the
    models no public read shows (derived indexes, the audit log). A save or delete of any
    other model replaces the public generation."""
    global _public_version, _known_public_version, _fingerprinted, _unpublished
    _public_version = version
    _known_public_version = known_version
    _fingerprinted = frozenset(fingerprinted)
    _unpublished = frozenset(unpublished)


def public_version(if_known: bool = False) -> str | None:
    """The version public reads are keyed by (the public generation and the fingerprint's
    version), or None when they must fall back to the generation: nothing registered it,
    this thread's transaction wrote (the fingerprint would see uncommitted rows), or
    ``if_known`` and the fingerprint of this data is not computed yet."""
    if _public_version is None or _known_public_version is None or writing():
        return None
    fingerprint = _known_public_version() if if_known else _public_version()
    if fingerprint is None:
        return None
    return f"{public_generation()}|{fingerprint}"


# --- the public version computed again in the background after a change ---------------------

# Seconds the warmer waits after a commit before computing: a burst of commits (a form saving
# a deal and its parts, an import's last writes) is computed once, after it.
WARM_DELAY = 0.2
_warming = False
_warm_guard = threading.Lock()
_warm_wanted = threading.Event()
_warm_thread: threading.Thread | None = None


def warm_in_background(on: bool = True) -> None:
    """Turn on (or off) computing the public version again in the background after each
    committed change in this process (one daemon thread, ``WARM_DELAY`` after the last
    commit of a burst), so that the next visitor's first request finds it: the API's first
    byte and an export's no longer wait for the fingerprint (about 0.6 s at 100,000
    deployments), and after a private edit the map and pages are served from the page
    cache at once. For server processes (``citywatch.wsgi``); a command that exits right
    after its write has no use for it."""
    global _warming
    _warming = on


def _wake_warmer() -> None:
    global _warm_thread
    if not _warming or _public_version is None or not enabled():
        return
    with _warm_guard:
        _warm_wanted.set()
        if _warm_thread is None or not _warm_thread.is_alive():
            _warm_thread = threading.Thread(target=_warm, name="citywatch-warmer", daemon=True)
            _warm_thread.start()


def _warm() -> None:
    """The warmer's loop: compute the public version each time a commit asks for it."""
    while True:
        _warm_wanted.wait()
        time.sleep(WARM_DELAY)
        _warm_wanted.clear()
        try:
            if _public_version is not None:
                _public_version()  # kept in the page cache and the cache table (shared)
        except Exception:  # a visitor's request computes it then
            logger.exception("The public version could not be computed in the background")
        finally:
            connections.close_all()  # this thread's connections only


def peek(parts: tuple[Any, ...]) -> Any:
    """The value ``cached(parts, ...)`` keeps for this generation and day, or None (nothing
    is computed)."""
    if not enabled():
        return None
    return caches[PAGES_CACHE].get(cache_key(parts))


def cache_key(parts: tuple[Any, ...], public: bool | str = False) -> str:
    """The key of a read: a hash of the data's version, the day and the caller's parts; the
    version is the public version for a public read (when there is one), else the
    generation."""
    version = public_version(if_known=public == IF_KNOWN) if public else None
    head = ("public", version) if version is not None else ("generation", generation())
    text = "\x1f".join(str(part) for part in (*head, today_key(), *parts))
    return "cw:" + hashlib.sha256(text.encode()).hexdigest()


# ``cached(..., public=IF_KNOWN)``: keyed by the public version only when the fingerprint is
# computed already (for reads that cost less than the fingerprint does).
IF_KNOWN = "if-known"


def cached(
    parts: tuple[Any, ...],
    compute: Callable[[], T],
    timeout: int | None = None,
    *,
    public: bool | str = False,
    shared: bool = False,
) -> T:
    """``compute()``, or the value it gave before for the same parts, data version and day.

    ``parts`` must name everything the value depends on besides the data and the day: the
    kind of read, the visibility scope of the user (``permissions.scope_key``), the language,
    the host and the query string. ``compute()`` returning None is not cached.

    ``public``: the value is what any anonymous visitor sees (computed from what the public
    may see and nothing else): kept under the public version (``public_version``), so a
    private change does not compute it again. ``public=IF_KNOWN``: the same, but only once
    the fingerprint of this data is computed (for reads cheaper than the fingerprint: a
    record page, a filtered list), else under the generation. ``shared``: a small value
    also kept in the database's cache table under the shared generation, for every process
    (not inside a transaction that wrote)."""
    if not enabled():
        return compute()
    store = caches[PAGES_CACHE]
    key = cache_key(parts, public)
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
            value = _shared_read(parts, compute) if shared else compute()
            if value is not None:
                store.set(key, value, timeout)
    with _computing_guard:
        _computing.pop(key, None)
    return value


def _shared_read(parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, kept in the database's cache table under the shared generation (no
    process's own count: once committed, every process's data is the same) and the day."""
    if writing():
        return compute()
    key = _shared_key(parts)
    store = caches["default"]
    value = store.get(key)
    if value is None:
        value = compute()
        if value is not None:
            store.set(key, value, 24 * 3600)
    return value


def _shared_key(parts: tuple[Any, ...]) -> str:
    text = "\x1f".join(str(part) for part in (_token(GENERATION_KEY), today_key(), *parts))
    return SHARED_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def peek_shared(parts: tuple[Any, ...]) -> Any:
    """The value ``cached(parts, ..., shared=True)`` keeps in the database's cache table for
    the current data and day, whichever process computed it, or None (nothing is computed)."""
    return caches["default"].get(_shared_key(parts))


def _visible_to_public(sender: Any, signal: dict[str, Any]) -> bool:
    """Whether this save or delete (``signal``: the signal's arguments) may change a public
    read without moving the public fingerprint, so the public generation must be replaced."""
    label = sender._meta.label_lower
    if label in _unpublished:
        return False
    if label not in _fingerprinted or signal.get("raw") or "action" in signal:
        return True  # other models, fixtures loaded as they are, many-to-many links
    if "created" not in signal:
        # A record deleted leaves its set (the fingerprint counts it); a history row deleted
        # may have been the newest one the fingerprint reads.
        return hasattr(sender, "instance_type")
    update_fields = signal.get("update_fields")
    stamped = any(field.name == "updated_at" for field in sender._meta.fields)
    # Saved without its timestamp: the fingerprint would not see the change.
    return update_fields is not None and stamped and "updated_at" not in update_fields


def _record_changed(sender: Any, **kwargs: Any) -> None:
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # many-to-many links: count the change once it is made
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes no data
    public = _visible_to_public(sender, kwargs)
    data_changed(kwargs.get("using") or DEFAULT_DB_ALIAS, public=public)


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
