"""Check a located YAML tree against the field table; what passes becomes a ``Record``.

Every unknown field, wrong type, missing field and out-of-range value is collected as a
``Problem``; checking goes on past each one, so a single run reports all of them. A field that
is present but wrong is remembered as ``broken``: later checks then stay quiet about it instead
of reporting the same mistake again as, say, a dangling reference.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TypeVar

from pd_sync.curriculum.excerpt import excerpt, quoted
from pd_sync.curriculum.fields import (
    Boolean,
    Choice,
    Date,
    Either,
    FieldType,
    Integer,
    ListOf,
    Number,
    Object,
    ObjectDef,
    Text,
)
from pd_sync.curriculum.messages import (
    bad_choice,
    closest_field,
    describe,
    field_name,
    fix,
    got,
    unknown_field,
)
from pd_sync.curriculum.yaml_nodes import (
    Mapping,
    Node,
    Position,
    Scalar,
    Sequence,
    index_path,
    key_path,
    where,
)
from pd_sync.errors import Problem

T = TypeVar("T")

_DATE_LIKE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class Value:
    """A checked value: str, int, float, bool, date, ``Record`` or a tuple of ``Value``s."""

    value: object
    position: Position
    path: str
    node: Node


@dataclass(frozen=True)
class Record:
    """A mapping that was checked against ``definition``: its valid fields, and where it is."""

    definition: ObjectDef
    path: str
    position: Position
    values: dict[str, Value]
    broken: frozenset[str]
    missing: frozenset[str]

    @property
    def ok(self) -> bool:
        """No field of this record (or of any record inside it) was reported as wrong."""
        return not self.broken and not self.missing

    def get(self, name: str) -> Value | None:
        return self.values.get(name)

    def at(self, name: str) -> Position:
        value = self.values.get(name)
        return value.position if value is not None else self.position

    def path_of(self, name: str) -> str:
        return key_path(self.path, name)

    def complete(self, name: str) -> bool:
        """Whether ``name`` has no problem (absent optional fields are complete)."""
        return name not in self.broken

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None else _typed(value.value, str)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        return None if value is None else _typed(value.value, int)

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None:
            return None
        number = value.value
        return float(number) if isinstance(number, int | float) else float(_typed(number, float))

    def boolean(self, name: str, default: bool) -> bool:
        value = self.values.get(name)
        return default if value is None else _typed(value.value, bool)

    def date(self, name: str) -> dt.date | None:
        value = self.values.get(name)
        return None if value is None else _typed(value.value, dt.date)

    def items(self, name: str) -> tuple[Value, ...]:
        value = self.values.get(name)
        return () if value is None else _typed(value.value, tuple)

    def texts(self, name: str) -> tuple[str, ...]:
        return tuple(_typed(item.value, str) for item in self.items(name))

    def dates(self, name: str) -> tuple[dt.date, ...]:
        return tuple(_typed(item.value, dt.date) for item in self.items(name))

    def record(self, name: str) -> Record | None:
        value = self.values.get(name)
        return None if value is None else _typed(value.value, Record)

    def records(self, name: str) -> tuple[Record, ...]:
        return tuple(_typed(item.value, Record) for item in self.items(name))


def _typed(value: object, kind: type[T]) -> T:
    if not isinstance(value, kind):
        raise TypeError(f"checked value {value!r} is not {kind}")  # a bug in the checker
    return value


class RecordReader:
    """Checks nodes of one file; ``problems`` collects what is wrong."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        # Paths of lists kept with only their good items; their field counts as broken.
        self._partial: set[str] = set()

    def problem(self, position: Position, message: str) -> None:
        self.problems.append(Problem(self.file, position.line, position.column, message))

    def read(self, node: Node, definition: ObjectDef, path: str) -> Record | None:
        """``node`` as a record of ``definition``; ``None`` (and a problem) if not a mapping."""
        if not isinstance(node, Mapping):
            self._wrong_type(node, Object(definition), path)
            return None
        values: dict[str, Value] = {}
        broken: set[str] = set()
        for entry in node.entries:
            field = definition.field(entry.key)
            if field is None:
                guess = closest_field(entry.key, definition)
                self.problem(entry.key_position, unknown_field(entry.key, guess, definition, path))
                if guess is not None:
                    # "did you mean 'title'?" already says that 'title' is missing.
                    broken.add(guess)
                continue
            value_path = key_path(path, entry.key)
            checked = self.check(entry.value, field.type, value_path)
            if checked is None:
                broken.add(entry.key)
                continue
            values[entry.key] = checked
            if value_path in self._partial or _has_broken_part(checked):
                broken.add(entry.key)
        missing: set[str] = set()
        for field in definition.fields:
            if field.required and field.name not in values and field.name not in broken:
                missing.add(field.name)
                what = field.description.rstrip(".")
                self.problem(
                    node.position,
                    f"missing required field {field.name!r} {where(path)}; "
                    f"add '{field.name}:' ({what})",
                )
        if not self._check_one_of(node, definition, path, broken):
            missing.update(definition.one_of)
        return Record(
            definition, path, node.position, values, frozenset(broken), frozenset(missing)
        )

    def _check_one_of(
        self, node: Mapping, definition: ObjectDef, path: str, broken: set[str]
    ) -> bool:
        """Whether exactly one of ``definition.one_of`` is set; reports when not."""
        if not definition.one_of:
            return True
        present = [e for e in node.entries if e.key in definition.one_of]
        choices = " or ".join(f"'{name}:'" for name in definition.one_of)
        if not present and not broken.intersection(definition.one_of):
            self.problem(
                node.position,
                f"missing {' / '.join(definition.one_of)} {where(path)}; add {choices}",
            )
        for extra in present[1:]:
            self.problem(
                extra.key_position,
                f"both {quoted(present[0].key)} and {quoted(extra.key)} are set {where(path)}; "
                "keep only one of them",
            )
        return len(present) == 1

    def check(self, node: Node, expected: FieldType, path: str) -> Value | None:
        """The checked value of ``node``, or ``None`` after reporting why it is unusable."""
        if isinstance(expected, Object):
            record = self.read(node, expected.definition, path)
            return None if record is None else Value(record, node.position, path, node)
        if isinstance(expected, ListOf):
            return self._list(node, expected, path)
        if isinstance(expected, Either):
            for option in expected.options:
                if _shape_fits(node, option):
                    return self.check(node, option, path)
            self._wrong_type(node, expected, path)
            return None
        if not isinstance(node, Scalar):
            self._wrong_type(node, expected, path)
            return None
        return self._scalar(node, expected, path)

    def _list(self, node: Node, expected: ListOf, path: str) -> Value | None:
        if not isinstance(node, Sequence):
            self._wrong_type(node, expected, path)
            return None
        if expected.max_items is not None and len(node.items) > expected.max_items:
            self.problem(
                node.position,
                f"{field_name(path)} lists {len(node.items)} items, more than the limit of "
                f"{expected.max_items} {where(path)}; list at most {expected.max_items}",
            )
            return None
        items: list[Value] = []
        complete = True
        for index, item in enumerate(node.items):
            checked = self.check(item, expected.item, index_path(path, index))
            if checked is None:
                complete = False
            else:
                items.append(checked)
        if not complete:
            # Kept, so its good items can still be checked, but its field counts as broken.
            self._partial.add(path)
        return Value(tuple(items), node.position, path, node)

    def _scalar(self, node: Scalar, expected: FieldType, path: str) -> Value | None:
        value = node.value
        if isinstance(expected, Text):
            if not isinstance(value, str):
                self._wrong_type(node, expected, path)
                return None
            name = field_name(path)
            if expected.non_empty and not value.strip():
                self.problem(node.position, f"{name} is empty {where(path)}; write a value")
                return None
            if expected.max_length is not None and len(value) > expected.max_length:
                self.problem(
                    node.position,
                    f"{name} is {len(value)} characters long, more than the limit of "
                    f"{expected.max_length} {where(path)}; shorten it to at most "
                    f"{expected.max_length} characters",
                )
                return None
            if (
                expected.pattern
                and not expected.parsed_by_loader
                and not re.search(expected.pattern, value)
            ):
                # Still returned: the value is usable as a name, so references to it resolve.
                self.problem(
                    node.position,
                    f"invalid {name} {quoted(value)} {where(path)}; use {expected.form}",
                )
            return Value(value, node.position, path, node)
        if isinstance(expected, Choice):
            if not isinstance(value, str):
                self._wrong_type(node, expected, path)
                return None
            if value not in expected.values:
                self.problem(node.position, bad_choice(value, expected, path))
                return None
            return Value(value, node.position, path, node)
        if isinstance(expected, Integer | Number):
            return self._number(node, expected, path)
        if isinstance(expected, Boolean):
            if not isinstance(value, bool):
                self._wrong_type(node, expected, path)
                return None
            return Value(value, node.position, path, node)
        if isinstance(expected, Date):
            return self._date(node, path)
        raise TypeError(f"no check for {expected!r}")  # the table uses a type added here later

    def _number(self, node: Scalar, expected: Integer | Number, path: str) -> Value | None:
        value = node.value
        whole = isinstance(value, int) and not isinstance(value, bool)
        fits = whole or (isinstance(expected, Number) and isinstance(value, float))
        if not isinstance(value, int | float) or not fits or not math.isfinite(value):
            self._wrong_type(node, expected, path)
            return None
        if expected.minimum is not None and value < expected.minimum:
            self.problem(
                node.position,
                f"{field_name(path)} {excerpt(node.text)} is too small {where(path)}; "
                f"use {describe(expected)}",
            )
            return None
        maximum = expected.maximum if isinstance(expected, Integer) else None
        below = expected.below if isinstance(expected, Number) else None
        if (maximum is not None and value > maximum) or (below is not None and value >= below):
            # Checked before anything is made from the number (``groups: N`` makes N groups).
            self.problem(
                node.position,
                f"{field_name(path)} {excerpt(node.text)} is too large {where(path)}; "
                f"use {describe(expected)}",
            )
            return None
        return Value(value, node.position, path, node)

    def _date(self, node: Scalar, path: str) -> Value | None:
        value = node.value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return Value(value, node.position, path, node)
        if isinstance(value, str) and (match := _DATE_LIKE.fullmatch(value.strip())):
            year, month, day = (int(part) for part in match.groups())
            try:
                return Value(dt.date(year, month, day), node.position, path, node)
            except ValueError as error:
                self.problem(
                    node.position,
                    f"{excerpt(value.strip())} is not a real date ({error}) {where(path)}; "
                    "write a date that exists, as YYYY-MM-DD",
                )
                return None
        self._wrong_type(node, Date(), path)
        return None

    def _wrong_type(self, node: Node, expected: FieldType, path: str) -> None:
        self.problem(
            node.position,
            f"expected {describe(expected)}, got {got(node)} {where(path)}; {fix(node, expected)}",
        )


def _has_broken_part(value: Value) -> bool:
    if isinstance(value.value, Record):
        return not value.value.ok
    if isinstance(value.value, tuple):
        return any(_has_broken_part(item) for item in value.value if isinstance(item, Value))
    return False


def _shape_fits(node: Node, expected: FieldType) -> bool:
    if isinstance(expected, ListOf):
        return isinstance(node, Sequence)
    if isinstance(expected, Object):
        return isinstance(node, Mapping)
    if isinstance(node, Scalar) and isinstance(expected, Integer):
        return isinstance(node.value, int) and not isinstance(node.value, bool)
    return isinstance(node, Scalar) and not isinstance(expected, Either)
