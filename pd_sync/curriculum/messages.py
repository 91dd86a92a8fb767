"""How type problems are worded: what was expected, what was found, and how to fix it.

Messages follow ``<what is wrong> at <key path>; <how to fix>``, and describe values the way
YAML reads them, because that is where surprises come from (``yes`` is a boolean, ``2611`` a
number, ``2026-11-30`` a date).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

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
from pd_sync.curriculum.yaml_nodes import Mapping, Node, Scalar, Sequence, where


def field_name(path: str) -> str:
    last = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    return last or "value"


def closest_field(key: str, definition: ObjectDef) -> str | None:
    close = difflib.get_close_matches(key, definition.names, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_field(key: str, guess: str | None, definition: ObjectDef, path: str) -> str:
    if guess is not None:
        fix = f"did you mean {quoted(guess)}?"
    else:
        kind = definition.name.replace("_", " ")
        fix = f"the fields of a {kind} are: " + ", ".join(definition.names)
    return f"unknown field {quoted(key)} {where(path)}; {fix}"


def bad_choice(value: str, expected: Choice, path: str) -> str:
    why = dict(expected.refused).get(value)
    if why is not None:
        return f"unsupported {expected.what} {quoted(value)} {where(path)}; {why}"
    choices = ", ".join(expected.values)
    close = difflib.get_close_matches(value.lower(), expected.values, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? Use one of: " if close else "use one of: "
    return f"invalid {expected.what} {quoted(value)} {where(path)}; {hint}{choices}"


def describe(expected: FieldType) -> str:
    if isinstance(expected, Text):
        return f"text ({expected.form})" if expected.form else "text"
    if isinstance(expected, Integer):
        low = "" if expected.minimum is None else f" of at least {expected.minimum}"
        high = "" if expected.maximum is None else f" and at most {expected.maximum}"
        return f"a whole number{low}{high}"
    if isinstance(expected, Number):
        low = "" if expected.minimum is None else f" of at least {expected.minimum:g}"
        high = "" if expected.below is None else f" and below {expected.below:.0f}"
        return f"a number{low}{high}"
    if isinstance(expected, Boolean):
        return "true or false"
    if isinstance(expected, Date):
        return "a date (YYYY-MM-DD)"
    if isinstance(expected, Choice):
        return f"a {expected.what}"
    if isinstance(expected, ListOf):
        item = expected.item
        if isinstance(item, Object):
            return f"a list of {item.definition.name.replace('_', ' ')} mappings"
        return f"a list of {describe(item).removeprefix('a ')} items".replace("text (", "(")
    if isinstance(expected, Either):
        return " or ".join(describe(option) for option in expected.options)
    return f"a mapping of {expected.definition.name.replace('_', ' ')} fields"


def got(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    value = node.value
    shown = excerpt(node.text)
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"true/false value {quoted(node.text)}"
    if isinstance(value, int):
        return f"whole number {shown}"
    if isinstance(value, float):
        return f"number {shown}"
    if isinstance(value, dt.datetime):
        return f"date and time {shown}"
    if isinstance(value, dt.date):
        return f"date {shown}"
    if isinstance(value, str):
        return f"text {quoted(node.text)}"
    return "binary data"


def fix(node: Node, expected: FieldType) -> str:
    if isinstance(node, Scalar) and node.value is None:
        return "fill in a value, or remove the line if the field is optional"
    if isinstance(expected, Text | Choice) and isinstance(node, Scalar):
        return f'put it in quotes: "{excerpt(node.text)}"'
    if isinstance(expected, Integer):
        return "write a whole number such as 1"
    if isinstance(expected, Number):
        return "write a number such as 10"
    if isinstance(expected, Boolean):
        return "write true or false"
    if isinstance(expected, Date):
        return "write a date as YYYY-MM-DD, e.g. 2026-11-30"
    if isinstance(expected, ListOf):
        return "write a list: one '- item' line per item, or [a, b]"
    if isinstance(expected, Object):
        return "write the fields as an indented mapping of 'name: value' lines"
    if isinstance(expected, Either):
        return "write " + " or ".join(describe(option) for option in expected.options)
    return "write a single value"
