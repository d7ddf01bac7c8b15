"""Many new records at once (imports of large files): what ``save()`` does for one record,
done for a batch, without building a query per row.

``create_with_history`` inserts new records of one model with their history rows (the
change reason given, the account as simple-history records it for a save), after removing
control characters from their text (``core.signals``, the ``pre_save`` safety net that a
bulk insert skips), then sends ``records_created`` once (the search index listens) and
changes the page cache's generation once (``core.data_cache.data_changed``).

Rows are written as plain tuples, one prepared ``INSERT`` run for many rows
(``executemany``), each value prepared as Django would prepare it (``get_db_prep_save``) but
for the plain values that Django passes on unchanged (text, whole numbers, booleans, ids),
which are passed on without a call. The new records' ids: on PostgreSQL taken from the
table's sequence before inserting; on SQLite the rows are numbered one after the other
(``AUTOINCREMENT`` and the write lock the transaction holds), read back as the highest id
after inserting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import gc
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import validators
from django.db import connection, models, transaction
from django.db.models.base import DEFERRED
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from citywatch.core.data_cache import data_changed
from citywatch.core.signals import records_created, remove_control_characters, text_fields

# Rows per executemany (a bound on the memory of one insert, not on the rows of a call).
BATCH = 1000
# SQLite's page cache while many rows are written (KiB; its default is 2 MiB): the tables'
# and indexes' pages stay in memory instead of being read again from the file.
LARGE_PAGE_CACHE_KIB = 131_072
# The longest change reason a history row keeps.
REASON_LENGTH = 100
# Fields whose values of these types ``get_db_prep_save`` passes on unchanged (on SQLite and
# PostgreSQL), when the field class does not change how it prepares them.
PLAIN_TYPES: tuple[tuple[type[models.Field], frozenset[type]], ...] = (
    (models.CharField, frozenset({str, type(None)})),
    (models.TextField, frozenset({str, type(None)})),
    (models.BooleanField, frozenset({bool, type(None)})),
    (models.IntegerField, frozenset({int, type(None)})),
)
# Types whose values cannot change once made: one prepared value serves the same object again.
IMMUTABLE_TYPES = frozenset({dt.datetime, dt.date, Decimal})
PREPARING = ("get_prep_value", "get_db_prep_value", "get_db_prep_save", "to_python")


# How many new container objects Python's cycle collector lets pass before its youngest
# generation is collected within ``fewer_collections`` (its own default is 700).
IMPORT_COLLECTION_THRESHOLD = 50_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Within the block, Python's cycle collector runs after every ``IMPORT_COLLECTION_THRESHOLD``
    new objects instead of every 700; its own thresholds again afterwards. An import holds
    hundreds of thousands of live objects (records, rows, the place list) that each collection
    of the older generations walks again: about a sixth of the time of a 10,000-deployment
    import went to it (docs/performance.md, "Imports"). Nothing else changes: cycles are still
    collected, less often."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], IMPORT_COLLECTION_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def large_page_cache() -> Iterator[None]:
    """Within the block, SQLite keeps up to ``LARGE_PAGE_CACHE_KIB`` of pages in memory for
    this connection (an import of a large file: about a third less time spent in SQLite for
    100,000 deployments); its own setting again afterwards. Nothing on PostgreSQL (its
    shared buffers are the server's)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(LARGE_PAGE_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@dataclass(frozen=True)
class Construction:
    """How ``new_record`` builds a model's instances: each concrete field's attribute name,
    with its default computed once (a constant) or per record (a callable default)."""

    attnames: frozenset[str]
    fields: tuple[tuple[str, bool, Any], ...]  # (attname, per record, default or field)


@functools.cache
def construction(model: type[models.Model]) -> Construction:
    """``Construction`` of ``model``, read once from its concrete fields."""
    fields: list[tuple[str, bool, Any]] = []
    for field in model._meta.concrete_fields:
        if field.generated:
            fields.append((field.attname, False, DEFERRED))  # computed by the database
        elif field.has_default() and callable(field.default):
            fields.append((field.attname, True, field))
        else:
            fields.append((field.attname, False, field.get_default()))
    return Construction(frozenset(name for name, _each, _default in fields), tuple(fields))


def new_record(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """A new (unsaved) instance of ``model`` with these values by attribute name (``title``,
    ``organisation_id``) and every other field's default: the instance ``model(**values)``
    gives, built through Django's positional constructor (the one ``Model.from_db`` uses;
    about a third of the keyword constructor's time, which imports of large files feel).
    Values by any other name (a related instance, a property) take the keyword way."""
    how = construction(model)
    if not how.attnames.issuperset(values):
        return model(**values)
    args = []
    for attname, each, default in how.fields:
        if attname in values:
            args.append(values[attname])
        else:
            args.append(default.get_default() if each else default)
    return model(*args)


def relation_names(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that name another record (foreign keys)."""
    return [field.name for field in model._meta.concrete_fields if field.is_relation]


# The text field classes whose ``to_python`` keeps a string as it is (a slug's is a text's).
TEXT_FIELDS = (models.CharField, models.TextField, models.SlugField)
# The whole-number field classes whose ``to_python`` keeps an ``int`` as it is.
INTEGER_FIELDS = (
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


def skipped_as_empty(blank: bool, value: Any) -> bool:
    """Whether ``clean_fields`` skips this value of a field unchecked: the field may be blank
    and the value is None or the empty string (two of Django's ``EMPTY_VALUES``)."""
    return blank and (value is None or (type(value) is str and value == ""))


@dataclass(frozen=True)
class PlainText:
    """A text field whose whole check by ``Field.clean`` is known here: a ``CharField``,
    ``TextField`` or ``SlugField`` (``to_python`` keeps a string as it is) whose validators are
    only the length limit, the ban on NUL characters and patterns (``RegexValidator``), with
    its choices, blank rule and editability."""

    name: str
    attname: str
    blank: bool
    choices: frozenset[str] | None
    max_length: int | None
    no_nul: bool
    # (pattern, inverse): the value must match, or must not when inverse (RegexValidator).
    patterns: tuple[tuple[re.Pattern[str], bool], ...] = ()

    def passes(self, value: Any) -> bool:
        """Whether ``Field.clean`` (``clean_fields``) would take this value as it is."""
        if type(value) is not str:
            if not (isinstance(value, str) and isinstance(value, enum.Enum)):
                return skipped_as_empty(self.blank, value)  # else: Django's own check
            value = value.value  # a member of the field's choices (``TextChoices``)
            if type(value) is not str:
                return False
        if value == "":
            return self.blank  # a blank value is skipped, or refused ("blank")
        if self.choices is not None and value not in self.choices:
            return False
        if self.max_length is not None and len(value) > self.max_length:
            return False
        if self.no_nul and "\x00" in value:
            return False
        return all((pattern.search(value) is None) == inverse for pattern, inverse in self.patterns)


@dataclass(frozen=True)
class PlainInteger:
    """A whole-number field whose whole check is its bounds (``MinValueValidator`` and
    ``MaxValueValidator``, the database's range among them) and its blank rule."""

    name: str
    attname: str
    blank: bool
    low: int | None
    high: int | None

    def passes(self, value: Any) -> bool:
        """Whether ``Field.clean`` (``clean_fields``) would take this value as it is."""
        if type(value) is not int:
            return skipped_as_empty(self.blank, value)  # a bool or a text: Django's check
        if self.low is not None and value < self.low:
            return False
        return self.high is None or value <= self.high


@dataclass(frozen=True)
class EmptyOnly:
    """Any other field that may be blank: ``clean_fields`` skips an empty value unchecked
    (``skipped_as_empty``); any other value gets Django's own check."""

    name: str
    attname: str

    def passes(self, value: Any) -> bool:
        return skipped_as_empty(True, value)


PlainCheck = PlainText | PlainInteger | EmptyOnly


def text_check(field: models.Field) -> PlainText | None:
    """``field`` as a ``PlainText``, or None when its check is not only that."""
    if type(field) not in TEXT_FIELDS or field.generated:
        return None
    max_length, no_nul = None, False
    patterns: list[tuple[re.Pattern[str], bool]] = []
    for validator in field.validators:
        if type(validator) is validators.MaxLengthValidator:
            if callable(validator.limit_value):
                return None
            limit = int(validator.limit_value)
            max_length = limit if max_length is None else min(max_length, limit)
        elif type(validator) is validators.ProhibitNullCharactersValidator:
            no_nul = True
        elif type(validator) is validators.RegexValidator:
            regex = validator.regex  # compiled lazily by Django: compiled here alike
            patterns.append((re.compile(regex.pattern, regex.flags), validator.inverse_match))
        else:
            return None
    choices = None
    if field.choices is not None and field.editable:
        keys = [key for key, _label in field.flatchoices]
        if not all(type(key) is str for key in keys):
            return None
        choices = frozenset(keys)
    return PlainText(
        field.name, field.attname, field.blank, choices, max_length, no_nul, tuple(patterns)
    )


def integer_check(field: models.Field) -> PlainInteger | None:
    """``field`` as a ``PlainInteger``, or None when its check is not only that."""
    if type(field) not in INTEGER_FIELDS or field.generated or field.choices is not None:
        return None
    low = high = None
    for validator in field.validators:
        limit = validator.limit_value if hasattr(validator, "limit_value") else None
        if type(limit) is not int:
            return None
        if type(validator) is validators.MinValueValidator:
            low = limit if low is None else max(low, limit)
        elif type(validator) is validators.MaxValueValidator:
            high = limit if high is None else min(high, limit)
        else:
            return None
    return PlainInteger(field.name, field.attname, field.blank, low, high)


def plain_check(field: models.Field) -> PlainCheck | None:
    """How ``check_new`` checks ``field`` itself, or None when only Django can."""
    found = text_check(field) or integer_check(field)
    if found is None and field.blank and not field.generated:
        return EmptyOnly(field.name, field.attname)
    return found


@functools.cache
def plain_checks(model: type[models.Model]) -> tuple[PlainCheck, ...]:
    """The fields of ``model`` (not its relations) whose check ``check_new`` makes itself."""
    found = (plain_check(field) for field in model._meta.fields if not field.is_relation)
    return tuple(check for check in found if check is not None)


@functools.cache
def unchecked_fields(model: type[models.Model]) -> frozenset[str]:
    """The fields ``full_clean`` may skip in ``check_new``: the relations (settled by the
    caller) and the fields with a plain check (when their value passes it)."""
    return frozenset(relation_names(model)) | {check.name for check in plain_checks(model)}


def check_new(record: models.Model) -> None:
    """Validate a new record by the rules of ``full_clean`` (each field, then the model's
    ``clean``) without asking the database: the caller has settled, for many records at once,
    that the records it names exist and that nothing unique is taken. A related record that
    ``clean`` reads must be set as an instance, not an id.

    Fields with a plain check (``plain_checks``: texts with a length, choices and patterns,
    whole numbers with bounds, empty values Django skips) are checked here by Django's own
    rules without its per-field calls; a value the plain check would not take as it is goes
    through ``Field.clean`` with the model's ``clean``, so every error and message is
    Django's own.

    Raises:
        ValidationError: the record is not valid (``full_clean``'s messages).
    """
    model = type(record)
    exclude = unchecked_fields(model)
    failing = [
        check.name
        for check in plain_checks(model)
        if not check.passes(getattr(record, check.attname))
    ]
    if failing:
        exclude = exclude.difference(failing)
    record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def plain_types(field: models.Field) -> frozenset[type]:
    """The types of value that ``field`` stores as they are (no preparing call needed): those
    of its target for a foreign key; none for a field class that prepares values its own way."""
    if field.is_relation:
        return plain_types(field.target_field)
    for base, types in PLAIN_TYPES:
        if isinstance(field, base):
            # A subclass (a slug, a partial date, a positive number) that prepares values as
            # its base does; an auto field checks its value (``AutoFieldMixin``) but passes
            # a number on.
            own = type(field)
            if isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
                return types
            if all(getattr(own, name) is getattr(base, name) for name in PREPARING):
                return types
    return frozenset()


@dataclass(frozen=True)
class Column:
    """A column a record's field fills: its name, the attribute read and how it is prepared."""

    name: str
    attname: str
    field: models.Field
    plain: frozenset[type]

    def prepare(self, value: Any) -> Any:
        if type(value) in self.plain:
            return value
        return self.field.get_db_prep_save(value, connection)


@functools.cache
def columns_of(model: type[models.Model]) -> tuple[Column, ...]:
    """The columns of ``model`` but its primary key, in field order."""
    return tuple(
        Column(field.column, field.attname, field, plain_types(field))
        for field in model._meta.concrete_fields
        if not field.primary_key
    )


def insert_sql(table: str, columns: Sequence[str], rows: int = 1) -> str:
    """``INSERT`` of ``rows`` rows (one ``VALUES`` group each) of these columns."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in columns)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Names from the models, quoted; values only as parameters.
    return f"INSERT INTO {quote(table)} ({names}) VALUES " + ", ".join([marks] * rows)  # noqa: S608


def rows_per_statement(columns: Sequence[str]) -> int:
    """How many rows of these columns one ``INSERT`` may carry (Django's bound on a query's
    parameters, 999 on SQLite)."""
    limit = connection.features.max_query_params or 999
    return max(1, min(BATCH, limit // max(1, len(columns))))


def insert_many_per_statement(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert plain rows into ``table`` with as many rows per ``INSERT`` as the parameters
    allow (``rows_per_statement``). For a table with a per-row trigger on SQLite (the search
    entries' FTS5 trigger): the trigger does the same work, but SQLite runs one statement
    (one statement journal, one FTS5 savepoint) per hundred rows instead of per row, about a
    fourth of the time of ``executemany`` for search entries.

    Raises:
        DatabaseError: the database refuses a row.
    """
    size = rows_per_statement(columns)
    full = insert_sql(table, columns, size)
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= size:
                cursor.execute(full, [value for values in batch for value in values])
                batch = []
        if batch:
            cursor.execute(
                insert_sql(table, columns, len(batch)),
                [value for values in batch for value in values],
            )


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    grouped: bool = False,
) -> None:
    """Insert plain rows (values prepared for the database) into ``table``, ``BATCH`` rows per
    ``executemany`` of one prepared statement; ``grouped``: on SQLite, many rows per
    statement instead (``insert_many_per_statement``).

    Raises:
        DatabaseError: the database refuses a row.
    """
    if grouped and connection.vendor == "sqlite":
        insert_many_per_statement(table, columns, rows)
        return
    sql = insert_sql(table, columns)
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def insert_plain(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    grouped: bool = False,
) -> None:
    """Insert rows of ``model`` that need no history, id or signal (record keys, search
    entries): each row gives the values of ``fields`` (attribute names), prepared here; any
    other column takes the field's default (an ``auto_now`` date: now), or null.
    ``grouped``: many rows per statement on SQLite (``insert_rows``), for a table whose
    trigger does work per row.

    Raises:
        DatabaseError: the database refuses a row.
    """
    now, today = timezone.now(), dt.date.today()
    given = {name: index for index, name in enumerate(fields)}
    columns = columns_of(model)
    fills: list[Callable[[Sequence[Any]], Any]] = []
    for column in columns:
        field = column.field
        if column.attname in given:
            fills.append(lambda row, index=given[column.attname], c=column: c.prepare(row[index]))
            continue
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
            fixed = now if isinstance(field, models.DateTimeField) else today
        elif field.has_default() and callable(field.default):
            fills.append(lambda row, c=column: c.prepare(c.field.get_default()))
            continue
        else:
            fixed = field.get_default() if field.has_default() else None
        prepared = column.prepare(fixed)
        fills.append(lambda row, value=prepared: value)
    insert_rows(
        model._meta.db_table,
        [column.name for column in columns],
        (tuple(fill(row) for fill in fills) for row in rows),
        grouped=grouped,
    )


def new_ids(model: type[models.Model], rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert rows of ``model`` (every column but the primary key, in ``columns_of`` order)
    and return their new ids, in the order of the rows.

    Raises:
        DatabaseError: the database refuses a row.
    """
    meta = model._meta
    names = [column.name for column in columns_of(model)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(meta.db_table), meta.pk.column, len(rows)],
            )
            ids = sorted(pk for (pk,) in cursor.fetchall())
            insert_rows(
                meta.db_table,
                [meta.pk.column, *names],
                ((pk, *row) for pk, row in zip(ids, rows, strict=True)),
            )
            return ids
        # SQLite: within the transaction (which holds the write lock), an AUTOINCREMENT key
        # numbers the rows inserted one after the other from the highest id up.
        insert_rows(meta.db_table, names, rows)
        highest = f"SELECT max({quote(meta.pk.column)}) FROM {quote(meta.db_table)}"  # noqa: S608
        cursor.execute(highest)
        (last,) = cursor.fetchone()
    return list(range(last - len(rows) + 1, last + 1))


def remove_controls(model: type[models.Model], records: Iterable[models.Model]) -> None:
    """Remove control characters from the text fields of these records of ``model``, in
    place, as ``save()`` does (``core.signals.remove_control_characters``): for a caller that
    derives values from the text before the records are written."""
    texts = text_fields(model)
    if texts:
        for record in records:
            remove_control_characters(model, record, fields=texts)


def settle_before_insert(model: type[models.Model], records: list[models.Model]) -> None:
    """What ``save()`` does to a new record before it is written: control characters
    removed, a related record set as an instance named by its id, an ``auto_now`` date set
    (one moment for the whole batch), any other field's own ``pre_save``."""
    now = timezone.now()
    today = dt.date.today()
    relations = [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and not field.primary_key
    ]
    dated: list[tuple[str, Any]] = []
    others: list[models.Field] = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
            dated.append((field.attname, now if isinstance(field, models.DateTimeField) else today))
        elif type(field).pre_save is not models.Field.pre_save and not field.primary_key:
            others.append(field)
    remove_controls(model, records)
    for record in records:
        for field in relations:
            if field.is_cached(record):
                related = field.get_cached_value(record)
                if related is not None and related.pk is not None:
                    setattr(record, field.attname, related.pk)
        for attname, value in dated:
            setattr(record, attname, value)
        for field in others:
            setattr(record, field.attname, field.pre_save(record, True))


def history_user_id(model: type[models.Model], record: models.Model) -> int | None:
    """The account simple-history records for a save of ``record`` (its ``_history_user``,
    else the signed-in account of the request being served, if any)."""
    history = get_history_model_for_model(model)
    user = history.get_default_history_user(record)
    return getattr(user, "pk", None)


def history_rows(
    model: type[models.Model], records: list[models.Model], rows: list[tuple], reason: str
) -> tuple[list[str], Iterable[tuple]]:
    """The columns and rows of the history ("+", created) of these new records, as
    simple-history's ``bulk_history_create`` makes them: the tracked fields' values,
    ``reason`` (or a record's own ``_change_reason``), one moment, the account of a save.

    Raises:
        LookupError: the history table has a column this function does not know.
    """
    history = get_history_model_for_model(model)
    own = {column.attname: index for index, column in enumerate(columns_of(model), start=1)}
    own[model._meta.pk.attname] = 0
    tracked = {field.attname for field in history.tracked_fields}
    now = history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
    user_id = history_user_id(model, records[0]) if records else None
    names: list[str] = []
    picks: list[Callable[[tuple, models.Model], Any]] = []
    for field in history._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(field.column)
        if field.attname in tracked:
            picks.append(lambda row, record, index=own[field.attname]: row[index])
        elif field.attname == "history_date":
            picks.append(lambda row, record: now)
        elif field.attname == "history_type":
            picks.append(lambda row, record: "+")
        elif field.attname == "history_change_reason":
            picks.append(lambda row, record: getattr(record, "_change_reason", None) or reason)
        elif field.attname == "history_user_id":
            picks.append(
                lambda row, record: (
                    getattr(record._history_user, "pk", None)
                    if hasattr(record, "_history_user")
                    else user_id
                )
            )
        else:
            raise LookupError(f"{history.__name__}.{field.attname}: not filled by core.bulk")
    return names, (
        tuple(pick(row, record) for pick in picks)
        for row, record in zip(rows, records, strict=True)
    )


def prepared_rows(model: type[models.Model], records: list[models.Model]) -> list[tuple]:
    """Each record's values of ``columns_of(model)``, prepared for the database."""
    columns = columns_of(model)
    read = operator.attrgetter(*(column.attname for column in columns))
    plain = [(column.plain, column.field) for column in columns]
    # The last value prepared per column, kept for a value of an immutable type given again
    # as the same object (the batch's one moment in ``created_at``, ``updated_at``).
    last: list[tuple[Any, Any]] = [(None, None)] * len(columns)
    rows = []
    for record in records:
        values = read(record)
        if len(columns) == 1:
            values = (values,)
        row = []
        for index, (value, (types, field)) in enumerate(zip(values, plain, strict=True)):
            if type(value) in types:
                row.append(value)
                continue
            before, prepared = last[index]
            if value is not before or type(value) not in IMMUTABLE_TYPES:
                prepared = field.get_db_prep_save(value, connection)
                last[index] = (value, prepared)
            row.append(prepared)
        rows.append(tuple(row))
    return rows


def insert_new(
    model: type[models.Model], records: list[models.Model], *, reason: str = ""
) -> list[models.Model]:
    """Insert new records of ``model`` and their history rows, set their ids; no signal.
    Returns them.

    Raises:
        ValueError: a record has an id already.
        DatabaseError: the database refuses a row (a unique value taken after all).
    """
    if not records:
        return records
    if any(record.pk is not None for record in records):
        raise ValueError(f"{model.__name__}: only new records are inserted in bulk")
    settle_before_insert(model, records)
    values = prepared_rows(model, records)
    with transaction.atomic():
        ids = new_ids(model, values)
        for record, pk in zip(records, ids, strict=True):
            record.pk = pk
            record._state.adding = False
            record._state.db = connection.alias
        rows = [(pk, *row) for pk, row in zip(ids, values, strict=True)]
        names, history = history_rows(model, records, rows, reason[:REASON_LENGTH])
        insert_rows(get_history_model_for_model(model)._meta.db_table, names, history)
    return records


def create_with_history(
    model: type[models.Model], records: list[models.Model], *, reason: str = ""
) -> list[models.Model]:
    """Insert new records of ``model`` and their history rows (``insert_new``), then say so:
    ``records_created`` once, the page cache's generation once. Returns them with their ids.
    A related record set as an instance that was saved since (a part's new deployment) is
    named by its id.

    Raises:
        ValueError: a record has an id already.
        DatabaseError: the database refuses a row (a unique value taken after all).
    """
    if not records:
        return records
    insert_new(model, records, reason=reason)
    records_created.send(sender=model, records=records)
    data_changed()
    return records
