"""PURE: the module half of the planner — modules, their items, order and published state.

A module is pd-sync's when the ownership record says so (or ``adopt: true`` takes it over); it
matches by name or ``renamed_from``. Inside it, an item is pd-sync's when it points at
pd-sync's page or assignment, or is a SubHeader pd-sync recorded (or, in a module whose items
were never recorded, one titled as the curriculum declares); every other item was added by hand
and keeps its place. A recorded SubHeader the curriculum no longer has is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pd_sync.desired import CourseState, ModuleItemState, ModuleState, OwnershipRecord
from pd_sync.errors import PlanError
from pd_sync.plan.actions import (
    Action,
    Conflict,
    CreateModule,
    CreateModuleItem,
    DeleteModule,
    DeleteModuleItem,
    FieldChange,
    MoveModuleItem,
    Notice,
    UpdateModule,
    UpdateModuleItem,
)
from pd_sync.plan.cascade import Declared, cascade_is_harmless, declared_states
from pd_sync.plan.ownership import Claims, match_named, owned_seconds
from pd_sync.plan.positions import ItemLine

MODULE_ITEM = "module item"
_WEEK_HEADER = re.compile(r"^Week (\d+)\b")
# The ref of a recorded SubHeader the curriculum no longer declares: it is removed.
_UNWANTED = "\x00recorded header "
# Why a module's publish is sent with skip_content_tags (pd_sync.plan.cascade).
_KEPT = "; its content keeps the published state the curriculum declares"


@dataclass(frozen=True)
class _Slot:
    """An entry of the simulated item list: an observed item, or a desired one to create."""

    ref: str | None
    item: ModuleItemState | None
    desired: ModuleItemState | None


def plan_modules(
    desired: CourseState,
    observed: CourseState,
    blocked: frozenset[str],
    page_keys: dict[str, str],
    assignment_keys: dict[int, str],
    claims: Claims,
) -> list[Action]:
    """Actions for every module the curriculum declares; ``blocked`` refs will not exist.

    ``page_keys`` / ``assignment_keys`` map pd-sync's own content (URL / id) to its key.
    """
    record = observed.ownership
    declared = declared_states(desired)
    actions: list[Action] = []
    for module in desired.modules:
        wanted = (module.name, module.renamed_from, module.adopt)
        current, conflict = match_named(
            "module", wanted, observed.modules, _module_id, record, claims
        )
        refs = _Refs(page_keys, assignment_keys, record, current, claims)
        if module.absent:
            actions += _absent_module(current, refs)
            continue
        if conflict is not None:
            actions.append(Conflict(kind="module", object_name=module.name, reason=conflict))
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
        actions += _plan_existing(module, items, current, refs, blocked, declared)
        actions += _duplicate_modules(module, items, current, observed, refs)
    return actions


def _module_id(module: ModuleState) -> int | None:
    return module.module_id


class _Refs:
    """Which curriculum object each observed item of one module stands for (None: by hand)."""

    def __init__(
        self,
        page_keys: dict[str, str],
        assignment_keys: dict[int, str],
        record: OwnershipRecord,
        module: ModuleState | None,
        claims: Claims,
    ) -> None:
        self.page_keys = page_keys
        self.assignment_keys = assignment_keys
        self.record = record
        self.claims = claims
        # A module whose items were never recorded (adopted, or synced before the record
        # existed): its SubHeaders are recognised by title, and recorded from now on.
        self.by_title = module is not None and not any(
            record.has(MODULE_ITEM, i.item_id) for i in module.items
        )

    def of(
        self, item: ModuleItemState, module_name: str, headers: dict[str, ModuleItemState]
    ) -> str | None:
        if item.kind == "Page" and item.page_url is not None:
            return self.page_keys.get(item.page_url)
        if item.kind == "Assignment" and item.content_id is not None:
            return self.assignment_keys.get(item.content_id)
        if item.kind != "SubHeader":
            return None
        recorded = self.record.has(MODULE_ITEM, item.item_id)
        announced = self.record.announced(MODULE_ITEM, f"{module_name}/{item.title}")
        if not (recorded or announced or self.by_title):
            return None
        title = _header_for(item.title, headers)
        if title is None:
            return f"{_UNWANTED}{item.item_id}" if recorded else None
        if not recorded:
            self.claims.claim(MODULE_ITEM, item.item_id, f"{module_name}/{item.title}")
        return title


def _header_for(title: str, headers: dict[str, ModuleItemState]) -> str | None:
    if title in headers:
        return title
    week = _WEEK_HEADER.match(title)
    if week is not None:
        for wanted in headers:
            other = _WEEK_HEADER.match(wanted)
            if other is not None and other.group(1) == week.group(1):
                return wanted
    return None


def _absent_module(current: ModuleState | None, refs: _Refs) -> list[Action]:
    if current is None or current.module_id is None:
        return []
    refs.by_title = False  # nothing is adopted by title on the way out
    mine = [i for i in current.items if i.item_id and refs.of(i, current.name, {}) is not None]
    hand_made = [i for i in current.items if i not in mine]
    if not hand_made:
        return [DeleteModule(current.module_id, current.name)]
    actions: list[Action] = [
        DeleteModuleItem(current.name, i.item_id, i.title, "state: absent (pd-sync's item)")
        for i in mine
        if i.item_id is not None
    ]
    actions.append(
        Notice(
            kind="module",
            object_name=current.name,
            reason=f"state: absent, but kept: it holds {len(hand_made)} item(s) pd-sync did "
            "not make; only pd-sync's items are removed",
        )
    )
    return actions


def _duplicate_modules(
    module: ModuleState,
    items: tuple[ModuleItemState, ...],
    kept: ModuleState,
    observed: CourseState,
    refs: _Refs,
) -> list[Action]:
    """Second recorded modules of the same name with only pd-sync's items: a racing run's."""
    headers = {i.title: i for i in items if i.kind == "SubHeader"}
    actions: list[Action] = []
    for other in owned_seconds("module", kept, observed.modules, _module_id, refs.record):
        if other.module_id is None:
            continue
        if all(refs.of(i, other.name, headers) is not None for i in other.items):
            actions.append(DeleteModule(other.module_id, other.name, Action.DUPLICATE))
    return actions


def _plan_existing(
    module: ModuleState,
    items: tuple[ModuleItemState, ...],
    current: ModuleState,
    refs: _Refs,
    blocked: frozenset[str],
    declared: Declared,
) -> list[Action]:
    if current.module_id is None:
        raise PlanError("an observed module has no id")
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
    owned_refs = set(refs.page_keys.values()) | set(refs.assignment_keys.values()) | set(headers)

    slots: list[_Slot] = []
    seen: set[str] = set()
    for item in sorted(current.items, key=lambda i: (i.position or 0, i.item_id or 0)):
        ref = refs.of(item, current.name, headers)
        if ref in blocked:
            ref = None  # content pd-sync leaves alone (a conflict says why): so is its item
        unwanted = ref is not None and (ref in owned_refs or ref.startswith(_UNWANTED))
        if unwanted and ref not in wanted and item.item_id:
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
            if slot.desired is None or slot.ref is None:
                raise PlanError("a module item to create has no curriculum entry or reference")
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
        if slot.item.item_id is None:
            raise PlanError("an observed module item has no id")
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
