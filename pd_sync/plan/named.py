"""PURE: assignment groups and group sets — no HTML, so matched by name among pd-sync's own.

A same-name object pd-sync did not make is a conflict (or adopted with ``adopt: true``);
``state: absent`` deletes only what pd-sync made, and keeps a container that still holds
something made by hand, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pd_sync.desired import AssignmentGroupState, CourseState, GroupSetState, OwnershipRecord
from pd_sync.errors import PlanError
from pd_sync.plan.actions import (
    Action,
    Conflict,
    CreateAssignmentGroup,
    CreateGroup,
    CreateGroupSet,
    DeleteAssignmentGroup,
    DeleteGroup,
    DeleteGroupSet,
    FieldChange,
    Notice,
    UpdateAssignmentGroup,
    UpdateGroupSet,
)
from pd_sync.plan.ownership import Claims, match_named, owned_seconds, proven

_AGROUP = "assignment group"
_SET = "group set"
_GROUP = "group"


@dataclass
class GroupPlan:
    """The assignment-group actions, and what the assignment planner needs from them."""

    actions: list[Action] = field(default_factory=list)
    # Desired group name → observed id (None: created by this plan).
    ids: dict[str, int | None] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)


def _group_id(group: AssignmentGroupState) -> int | None:
    return group.group_id


def plan_assignment_groups(
    desired: CourseState, observed: CourseState, owned_assignments: set[int], claims: Claims
) -> GroupPlan:
    record = observed.ownership
    result = GroupPlan()
    for group in desired.assignment_groups:
        wanted = (group.name, group.renamed_from, group.adopt)
        current, conflict = match_named(
            _AGROUP, wanted, observed.assignment_groups, _group_id, record, claims
        )
        if group.absent:
            result.actions += _absent_group(current, observed, owned_assignments)
            continue
        if conflict is not None:
            result.blocked.add(group.name)
            result.actions.append(Conflict(kind=_AGROUP, object_name=group.name, reason=conflict))
            continue
        if current is None or current.group_id is None:
            result.ids[group.name] = None
            result.actions.append(
                CreateAssignmentGroup(group.name, group.position, group.group_weight)
            )
            continue
        result.ids[group.name] = current.group_id
        result.actions += _group_changes(group, current)
        for second in owned_seconds(
            _AGROUP, current, observed.assignment_groups, _group_id, record
        ):
            if second.group_id is not None:
                result.actions.append(
                    DeleteAssignmentGroup(
                        second.group_id,
                        second.name,
                        Action.DUPLICATE + "; its assignments move to the first",
                        move_assignments_to=current.group_id,
                    )
                )
    return result


def _group_changes(group: AssignmentGroupState, current: AssignmentGroupState) -> list[Action]:
    if current.group_id is None:
        raise PlanError("an observed assignment group has no id")
    changes: list[FieldChange] = []
    if current.name != group.name:
        changes.append(FieldChange("name", current.name, group.name))
    if group.position is not None and current.position != group.position:
        changes.append(FieldChange("position", current.position, group.position))
    if group.group_weight is not None and current.group_weight != group.group_weight:
        changes.append(FieldChange("group_weight", current.group_weight, group.group_weight))
    if not changes:
        return []
    reason = "renamed" if current.name != group.name else "settings changed"
    return [UpdateAssignmentGroup(current.group_id, group.name, tuple(changes), reason)]


def _absent_group(
    current: AssignmentGroupState | None, observed: CourseState, owned_assignments: set[int]
) -> list[Action]:
    if current is None or current.group_id is None:
        return []
    # Canvas deletes a group's assignments with it: keep the group while any is not pd-sync's.
    kept = [
        a.name
        for a in observed.assignments
        if a.assignment_group_id == current.group_id and a.assignment_id not in owned_assignments
    ]
    if kept:
        return [
            Notice(
                kind=_AGROUP,
                object_name=current.name,
                reason=f"state: absent, but kept: it holds {len(kept)} assignment(s) pd-sync "
                f"did not make ({', '.join(sorted(kept)[:3])}); move them elsewhere first",
            )
        ]
    return [DeleteAssignmentGroup(current.group_id, current.name)]


def _set_id(group_set: GroupSetState) -> int | None:
    return group_set.group_set_id


def plan_group_sets(desired: CourseState, observed: CourseState, claims: Claims) -> list[Action]:
    record = observed.ownership
    actions: list[Action] = []
    for group_set in desired.group_sets:
        wanted = (group_set.name, group_set.renamed_from, group_set.adopt)
        current, conflict = match_named(_SET, wanted, observed.group_sets, _set_id, record, claims)
        if group_set.absent:
            actions += _absent_set(current, record)
            continue
        if conflict is not None:
            actions.append(Conflict(kind=_SET, object_name=group_set.name, reason=conflict))
            continue
        if current is None or current.group_set_id is None:
            actions.append(CreateGroupSet(group_set.name))
            actions += [CreateGroup(group_set.name, g.name) for g in group_set.groups]
            continue
        adopted = not proven(record, _SET, current.group_set_id, current.name)
        actions += _set_changes(group_set, current, adopted, record, claims)
        for second in owned_seconds(_SET, current, observed.group_sets, _set_id, record):
            if second.group_set_id is not None and all(
                proven(record, _GROUP, g.group_id, f"{second.name}/{g.name}") for g in second.groups
            ):
                actions.append(DeleteGroupSet(second.group_set_id, second.name))
    return actions


def _set_changes(
    group_set: GroupSetState,
    current: GroupSetState,
    adopted: bool,
    record: OwnershipRecord,
    claims: Claims,
) -> list[Action]:
    if current.group_set_id is None:
        raise PlanError("an observed group set has no id")
    actions: list[Action] = []
    if current.name != group_set.name:
        change = FieldChange("name", current.name, group_set.name)
        actions.append(UpdateGroupSet(current.group_set_id, group_set.name, (change,), "renamed"))
    wanted = {g.name for g in group_set.groups}
    seen: set[str] = set()
    for group in sorted(current.groups, key=lambda g: g.group_id or 0):
        if adopted and group.name in wanted:
            claims.claim(_GROUP, group.group_id)  # an adopted set brings its groups along
        group_id = group.group_id
        second = group.name in seen and group.name in wanted and group_id is not None
        if second and proven(record, _GROUP, group_id, f"{current.name}/{group.name}"):
            if group_id is None:
                raise PlanError("an observed group has no id")
            actions.append(DeleteGroup(group_set.name, group_id, group.name, Action.DUPLICATE))
        seen.add(group.name)
    for group in group_set.groups:
        if group.name not in seen:
            actions.append(CreateGroup(group_set.name, group.name))
    return actions


def _absent_set(current: GroupSetState | None, record: OwnershipRecord) -> list[Action]:
    if current is None or current.group_set_id is None:
        return []
    hand_made = [
        g
        for g in current.groups
        if not proven(record, _GROUP, g.group_id, f"{current.name}/{g.name}")
    ]
    if not hand_made:
        return [DeleteGroupSet(current.group_set_id, current.name)]
    actions: list[Action] = [
        DeleteGroup(current.name, g.group_id, g.name, "state: absent (the group set's own group)")
        for g in current.groups
        if g not in hand_made and g.group_id
    ]
    actions.append(
        Notice(
            kind=_SET,
            object_name=current.name,
            reason=f"state: absent, but kept: it holds {len(hand_made)} group(s) pd-sync did "
            "not make; only pd-sync's groups are deleted",
        )
    )
    return actions
