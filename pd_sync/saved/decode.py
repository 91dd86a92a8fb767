"""PURE: the plan JSON (``preview.plan_to_dict``, docs/plan-json.md) back into a ``Plan``.

The decoder is driven by the action dataclasses' own field types, so a field added to an action
is read back without touching this module; a value of the wrong shape is a ``SavedPlanError``
naming where it is (``actions[3].title``). Keys the views add for readers (``symbol``,
``object_type``, ``name``, ``writes``) are ignored: they are derived from the action.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, Union

from pd_sync.errors import SavedPlanError
from pd_sync.plan import Action, Plan, PlanTarget, action_types

_DERIVED = frozenset({"action", "symbol", "object_type", "name", "writes"})
_PLAN_DERIVED = frozenset({"schema_version", "summary", "target"})


def _fail(where: str, what: str) -> SavedPlanError:
    return SavedPlanError(f"{where}: {what}; write the plan again with `pd-sync plan --out`")


def _convert(hint: Any, value: Any, where: str) -> Any:
    """``value`` (as JSON decoded it) as the Python value of type ``hint``."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        arms = typing.get_args(hint)
        if value is None and type(None) in arms:
            return None
        if type(value) in arms and type(value) in (str, int, float, bool):
            return value  # 5 stays an int where the union also allows float
        for arm in arms:
            if arm is type(None):
                continue
            try:
                return _convert(arm, value, where)
            except SavedPlanError:
                continue
        raise _fail(where, f"{value!r} is none of {hint}")
    if origin is tuple:
        if not isinstance(value, list):
            raise _fail(where, f"expected a list, found {type(value).__name__}")
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise _fail(where, f"expected {len(args)} values, found {len(value)}")
        return tuple(
            _convert(a, v, f"{where}[{i}]")
            for i, (a, v) in enumerate(zip(args, value, strict=True))
        )
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return dataclass_from(hint, value, where)
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif hint is type(None):
        if value is None:
            return None
    else:
        raise _fail(where, f"no rule for type {hint}")  # a pd-sync bug, said plainly
    raise _fail(where, f"expected {getattr(hint, '__name__', hint)}, found {value!r}")


_T = typing.TypeVar("_T")


def dataclass_from(
    cls: type[_T], data: Any, where: str, ignore: frozenset[str] = frozenset()
) -> _T:
    """An instance of the frozen dataclass ``cls`` from a JSON object; unknown keys are refused
    (a file from a newer pd-sync says so instead of being half-read)."""
    if not isinstance(data, Mapping):
        raise _fail(where, f"expected an object, found {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - known - ignore)
    if unknown:
        raise _fail(where, f"unknown field {unknown[0]!r}")
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name in data:
            values[field.name] = _convert(
                hints[field.name], data[field.name], f"{where}.{field.name}"
            )
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise _fail(where, f"missing field {field.name!r}")
    return cls(**values)


def action_from(data: Any, where: str) -> Action:
    if not isinstance(data, Mapping) or not isinstance(data.get("action"), str):
        raise _fail(where, "an action needs its type in `action`")
    kinds = action_types()
    cls = kinds.get(data["action"])
    if cls is None:
        raise _fail(where, f"unknown action {data['action']!r}")
    return dataclass_from(cls, data, where, ignore=_DERIVED)


def plan_from_dict(data: Any) -> Plan:
    """The ``Plan`` a ``plan_to_dict`` document describes (views' derived keys ignored)."""
    if not isinstance(data, Mapping):
        raise _fail("plan", "expected an object")
    actions = data.get("actions")
    if not isinstance(actions, list):
        raise _fail("plan.actions", "expected a list")
    target = data.get("target", {})
    if not isinstance(target, Mapping):
        raise _fail("plan.target", "expected an object")
    plan_target = dataclass_from(
        PlanTarget,
        {
            k: target[k]
            for k in ("url", "course_id", "course_name", "cohort", "sandbox")
            if k in target
        },
        "plan.target",
    )
    # The view adds ``schema_version`` and ``summary`` (derived); every other key is a field.
    fields = {k: v for k, v in data.items() if k not in _PLAN_DERIVED}
    fields["actions"] = []
    shell = dataclass_from(Plan, fields, "plan")
    decoded = tuple(action_from(a, f"plan.actions[{i}]") for i, a in enumerate(actions))
    return dataclasses.replace(shell, actions=decoded, target=plan_target)
