"""PURE: the module half of the planner — modules, their items, order and published state.

A module is pd-sync's when its name (or ``renamed_from``) is in the curriculum. Inside it, an
item is pd-sync's when it points at pd-sync's page or assignment, or is a SubHeader the
curriculum declares; every other item was added by hand and keeps its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pd_sync.desired import CourseState, ModuleItemState, ModuleState
from pd_sync.plan.actions import (
    Action,
    CreateModule,
    CreateModuleItem,
    DeleteModule,
    DeleteModuleItem,
    FieldChange,
    MoveModuleItem,
    UpdateModule,
    UpdateModuleItem,
)
from pd_sync.plan.cascade import Declared, cascade_is_harmless, declared_states
from pd_sync.plan.positions import ItemLine

_WEEK_HEADER = re.compile(r"^Week (\d+)\b")
# Why a module's publish is sent with skip_content_tags (pd_sync.plan.cascade).
_KEPT = "; its content keeps the published state the curriculum declares"


@dataclass(frozen=True)
class _Slot:
    """An entry of the simulated item list: an observed item, or a desired one to create."""

    ref: str | None
    item: ModuleItemState | None
    desired: ModuleItemState | None


def plan_modules(
    desired: CourseState, observed: CourseState, blocked: frozenset[str]
) -> list[Action]:
    """Actions for every module the curriculum declares; ``blocked`` refs will not exist."""
    page_keys = {p.url: p.key for p in observed.pages if p.url is not None and p.key is not None}
    assignment_keys = {
        a.assignment_id: a.key
        for a in observed.assignments
        if a.assignment_id is not None and a.key is not None
    }
    declared = declared_states(desired)
    actions: list[Action] = []
    for module in desired.modules:
        current = _match(module, observed.modules)
        if module.absent:
            if current is not None and current.module_id is not None:
                actions.append(DeleteModule(current.module_id, current.name))
            continue
        items = tuple(i for i in module.items if i.ref not in blocked)
        if current is None or current.module_id is None:
            skip = module.published and not cascade_is_harmless(True, items, (), declared)
            actions.append(CreateModule(module.name))
            actions += [
                CreateModuleItem(
                    module.name,
                    i.kind,
                    i.title,
                    i.ref or i.title,
                    n,
                    publish=skip and i.kind == "SubHeader" and i.published,
                )
                for n, i in enumerate(items, start=1)
            ]
            if module.published:
                reason = "publish (Canvas creates modules unpublished)"
                actions.append(
                    UpdateModule(
                        module.name,
                        (FieldChange("published", False, True),),
                        reason=reason + _KEPT if skip else reason,
                        skip_content_tags=skip,
                    )
                )
            continue
        actions += _plan_existing(
            module, items, current, page_keys, assignment_keys, blocked, declared
        )
        actions += _duplicate_modules(module, items, current, observed, page_keys, assignment_keys)
    return actions


def _duplicate_modules(
    module: ModuleState,
    items: tuple[ModuleItemState, ...],
    kept: ModuleState,
    observed: CourseState,
    page_keys: dict[str, str],
    assignment_keys: dict[int, str],
) -> list[Action]:
    """Second modules of the same name that hold only pd-sync's items: a concurrent run's."""
    headers = {i.title: i for i in items if i.kind == "SubHeader"}
    actions: list[Action] = []
    for other in observed.modules:
        if other is kept or other.name != module.name or other.module_id is None:
            continue
        refs = [_observed_ref(i, headers, page_keys, assignment_keys) for i in other.items]
        if all(ref is not None for ref in refs):
            actions.append(DeleteModule(other.module_id, other.name, Action.DUPLICATE))
    return actions


def _match(module: ModuleState, observed: tuple[ModuleState, ...]) -> ModuleState | None:
    for candidate in observed:
        if candidate.name == module.name:
            return candidate
    for candidate in observed:
        if module.renamed_from is not None and candidate.name == module.renamed_from:
            return candidate
    return None


def _observed_ref(
    item: ModuleItemState,
    desired_headers: dict[str, ModuleItemState],
    page_keys: dict[str, str],
    assignment_keys: dict[int, str],
) -> str | None:
    """The curriculum ref an observed item stands for, or None when it was added by hand."""
    if item.kind == "Page" and item.page_url is not None:
        return page_keys.get(item.page_url)
    if item.kind == "Assignment" and item.content_id is not None:
        return assignment_keys.get(item.content_id)
    if item.kind == "SubHeader":
        if item.title in desired_headers:
            return item.title
        week = _WEEK_HEADER.match(item.title)
        if week is not None:
            for title in desired_headers:
                other = _WEEK_HEADER.match(title)
                if other is not None and other.group(1) == week.group(1):
                    return title
    return None


def _plan_existing(
    module: ModuleState,
    items: tuple[ModuleItemState, ...],
    current: ModuleState,
    page_keys: dict[str, str],
    assignment_keys: dict[int, str],
    blocked: frozenset[str],
    declared: Declared,
) -> list[Action]:
    assert current.module_id is not None
    actions: list[Action] = []
    if current.name != module.name:
        actions.append(
            UpdateModule(
                module.name,
                (FieldChange("name", current.name, module.name),),
                module_id=current.module_id,
                reason="renamed",
            )
        )
    headers = {i.title: i for i in items if i.kind == "SubHeader"}
    wanted = {i.ref: i for i in items}
    owned_refs = set(page_keys.values()) | set(assignment_keys.values()) | set(headers)

    slots: list[_Slot] = []
    seen: set[str] = set()
    for item in sorted(current.items, key=lambda i: (i.position or 0, i.item_id or 0)):
        ref = _observed_ref(item, headers, page_keys, assignment_keys)
        if ref in blocked:
            ref = None  # content pd-sync leaves alone (a conflict says why): so is its item
        if ref is not None and ref in owned_refs and ref not in wanted and item.item_id:
            actions.append(DeleteModuleItem(module.name, item.item_id, item.title))
            continue
        if ref is not None and ref in seen and item.item_id:
            # A second item for pd-sync's own content in a curriculum module: two runs raced
            # to fill the module. Items for content pd-sync does not own are never touched.
            actions.append(
                DeleteModuleItem(module.name, item.item_id, item.title, reason="second copy")
            )
            continue
        if ref is not None:
            seen.add(ref)
        slots.append(_Slot(ref, item, wanted.get(ref) if ref is not None else None))

    target = _target_order(items, slots)
    changing = current.published != module.published
    hand = [s.item for s in slots if s.ref is None and s.item is not None]
    skip = changing and not cascade_is_harmless(module.published, items, hand, declared)
    cascades = changing and not skip  # then Canvas sets every item's state with the module's
    line = ItemLine((s, s.item.position or 0) for s in slots if s.item is not None)
    for index, slot in enumerate(target):
        now = line.order()
        if index < len(now) and now[index] == slot:
            continue
        anchor = now[index] if index < len(now) else None
        if slot.item is None:
            assert slot.desired is not None and slot.ref is not None
            actions.append(
                CreateModuleItem(
                    module.name,
                    slot.desired.kind,
                    slot.desired.title,
                    slot.ref,
                    line.insert_before(slot, anchor),
                    reason="new in the curriculum",
                    publish=slot.desired.kind == "SubHeader"
                    and slot.desired.published
                    and not cascades,
                )
            )
            continue
        assert slot.item.item_id is not None
        old, position = line.move_before(slot, anchor)
        actions.append(
            MoveModuleItem(module.name, slot.item.item_id, slot.item.title, old, position)
        )
    slots = [s for s in target if s.item is not None]
    actions += _item_updates(module, slots, cascades)
    if changing:
        reason = "published" if module.published else "unpublished"
        actions.append(
            UpdateModule(
                module.name,
                (FieldChange("published", current.published, module.published),),
                module_id=current.module_id,
                reason=reason + _KEPT if skip else reason,
                skip_content_tags=skip,
            )
        )
    return actions


def _target_order(items: tuple[ModuleItemState, ...], slots: list[_Slot]) -> list[_Slot]:
    """Desired items in curriculum order; hand-added items stay at their current index."""
    by_ref = {s.ref: s for s in slots if s.ref is not None}
    target = [by_ref.get(i.ref or "") or _Slot(i.ref, None, i) for i in items]
    for index, slot in enumerate(slots):
        if slot.ref is None:
            target.insert(min(index, len(target)), slot)
    return target


def _item_updates(module: ModuleState, slots: list[_Slot], cascades: bool) -> list[Action]:
    actions: list[Action] = []
    for slot in slots:
        item, want = slot.item, slot.desired
        if item is None or want is None or item.item_id is None or item.kind != "SubHeader":
            continue
        # Page and assignment items follow their content's title and state in Canvas itself.
        changes: list[FieldChange] = []
        if item.title != want.title:
            changes.append(FieldChange("title", item.title, want.title))
        if item.published != want.published and not cascades:
            changes.append(FieldChange("published", item.published, want.published))
        if changes:
            actions.append(
                UpdateModuleItem(
                    module.name,
                    item.item_id,
                    want.title,
                    tuple(changes),
                    reason="; ".join(f"{c.field} changed" for c in changes),
                )
            )
    return actions
