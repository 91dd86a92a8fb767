"""PURE: what a plan touches in Canvas, and a fingerprint of each as it was observed.

A saved plan stores one fingerprint per object its writes touch; applying it observes the
course again and refuses when any fingerprint differs. "Touches" is deliberately wide where
Canvas couples objects:

- a create touches the name (and key, and predicted slug) it would take, so a same-named
  object made by hand meanwhile voids the plan instead of becoming a copy or a conflict;
- a module item touches its whole module, since positions are shared by every item in it;
- a group touches its whole group set, and every write touches the ownership record.

An object nobody's plan touches may change freely: the plan stays what was reviewed.
A fingerprint is a digest of the compared fields of the observed records (``compare=False``
fields such as a page's source file are left out), or ``absent``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from pd_sync.desired import CourseState
from pd_sync.plan import (
    Action,
    CreateAssignment,
    CreateAssignmentGroup,
    CreateGroup,
    CreateGroupSet,
    CreateModule,
    CreateModuleItem,
    CreatePage,
    DeleteAssignment,
    DeleteAssignmentGroup,
    DeleteGroup,
    DeleteGroupSet,
    DeleteModule,
    DeleteModuleItem,
    DeletePage,
    MoveModuleItem,
    Plan,
    RecordOwnership,
    UpdateAssignment,
    UpdateAssignmentGroup,
    UpdateGroupSet,
    UpdateModule,
    UpdateModuleItem,
    UpdatePage,
)

ABSENT = "absent"

# (kind, how it is found, the value): e.g. ("page", "url", "week-1").
Ref = tuple[str, str, str]


def _page_refs(action: Action) -> Iterator[Ref]:
    if isinstance(action, CreatePage):
        yield ("page", "key", action.key)
        yield ("page", "title", action.title)
        yield ("page", "url", action.url)
    elif isinstance(action, UpdatePage):
        yield ("page", "url", action.url)
        if action.new_url != action.url:
            yield ("page", "url", action.new_url)
    elif isinstance(action, DeletePage):
        yield ("page", "url", action.url)


def _assignment_refs(action: Action) -> Iterator[Ref]:
    if isinstance(action, CreateAssignment):
        yield ("assignment", "key", action.key)
        yield ("assignment", "title", action.title)
        yield ("assignment group", "name", action.assignment_group)
    elif isinstance(action, UpdateAssignment | DeleteAssignment):
        yield ("assignment", "id", str(action.assignment_id))
    elif isinstance(action, CreateAssignmentGroup):
        yield ("assignment group", "name", action.group_name)
    elif isinstance(action, UpdateAssignmentGroup):
        yield ("assignment group", "id", str(action.group_id))
    elif isinstance(action, DeleteAssignmentGroup):
        yield ("assignment group", "id", str(action.group_id))
        if action.move_assignments_to is not None:
            yield ("assignment group", "id", str(action.move_assignments_to))


def _group_and_module_refs(action: Action) -> Iterator[Ref]:
    if isinstance(action, CreateGroupSet | CreateGroup | DeleteGroup):
        yield ("group set", "name", action.set_name)
    elif isinstance(action, UpdateGroupSet | DeleteGroupSet):
        yield ("group set", "id", str(action.group_set_id))
    elif isinstance(action, CreateModule | UpdateModule):
        yield ("module", "name", action.module_name)
    elif isinstance(action, DeleteModule):
        yield ("module", "id", str(action.module_id))
    elif isinstance(
        action, CreateModuleItem | UpdateModuleItem | MoveModuleItem | DeleteModuleItem
    ):
        yield ("module", "name", action.module_name)


def touched_refs(plan: Plan) -> list[Ref]:
    """Every object ``plan``'s writes touch, each once, in plan order."""
    seen: dict[Ref, None] = {}
    for action in plan.writes:
        if isinstance(action, RecordOwnership):
            seen.setdefault(("ownership record", "all", ""), None)
        for ref in (
            *_page_refs(action),
            *_assignment_refs(action),
            *_group_and_module_refs(action),
        ):
            seen.setdefault(ref, None)
    return list(seen)


def _matches(observed: CourseState, ref: Ref) -> list[Any]:
    kind, by, value = ref
    if kind == "page":
        attribute = {"key": "key", "title": "title", "url": "url"}[by]
        if by == "title":  # Canvas compares page titles case-insensitively (ensure_unique_title)
            return [p for p in observed.pages if p.title.casefold() == value.casefold()]
        return [p for p in observed.pages if getattr(p, attribute) == value]
    if kind == "assignment":
        if by == "id":
            return [a for a in observed.assignments if str(a.assignment_id) == value]
        attribute = "key" if by == "key" else "name"
        return [a for a in observed.assignments if getattr(a, attribute) == value]
    if kind == "assignment group":
        attribute = "group_id" if by == "id" else "name"
        return [g for g in observed.assignment_groups if str(getattr(g, attribute)) == value]
    if kind == "group set":
        attribute = "group_set_id" if by == "id" else "name"
        return [s for s in observed.group_sets if str(getattr(s, attribute)) == value]
    if kind == "module":
        attribute = "module_id" if by == "id" else "name"
        return [m for m in observed.modules if str(getattr(m, attribute)) == value]
    if kind == "ownership record":
        return [observed.ownership]
    raise ValueError(f"no lookup for {ref}")  # the refs above are the only ones made


def _compared(record: Any) -> Any:
    """The record's compared fields as JSON-ready data (sets sorted, so the digest is stable)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {
            f.name: _compared(getattr(record, f.name))
            for f in dataclasses.fields(record)
            if f.compare
        }
    if isinstance(record, frozenset | set):
        return sorted((_compared(item) for item in record), key=repr)
    if isinstance(record, tuple | list):
        return [_compared(item) for item in record]
    return record


def fingerprint(records: Iterable[Any]) -> str:
    """A digest of ``records`` (their compared fields), or ``ABSENT`` when there are none."""
    data = [_compared(r) for r in records]
    if not data:
        return ABSENT
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def ref_text(ref: Ref) -> str:
    """How a person reads a ref: ``page url=week-1``."""
    kind, by, value = ref
    return kind if by == "all" else f"{kind} {by}={value}"


def touched_fingerprints(plan: Plan, observed: CourseState) -> dict[str, str]:
    """``ref_text`` → fingerprint of what ``observed`` holds there, for every touched ref."""
    return {ref_text(ref): fingerprint(_matches(observed, ref)) for ref in touched_refs(plan)}
