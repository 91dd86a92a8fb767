"""PURE: the assignment half of the planner — deliverables matched by the key in their marker.

Compares normalised values, never raw HTML: digests for descriptions, UTC instants with Canvas's
"fancy midnight" allowed for due dates, floats for points, sets for submission types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pd_sync.desired import (
    AssignmentState,
    CourseState,
    canvas_due_equal,
    to_canvas_utc,
    wrap_with_marker,
)
from pd_sync.plan.actions import (
    Action,
    Conflict,
    CreateAssignment,
    DeleteAssignment,
    FieldChange,
    UpdateAssignment,
)
from pd_sync.plan.links import loss_notice, resolve_page_links
from pd_sync.plan.named import GroupPlan
from pd_sync.plan.orphans import deletion_reason, kept_orphan
from pd_sync.plan.ownership import Claims, MarkedSplit, copy_notice


def plan_assignments(
    desired: CourseState,
    observed: CourseState,
    prune: bool,
    split: MarkedSplit[AssignmentState],
    groups: GroupPlan,
    claims: Claims,
    slugs: Mapping[str, str],
) -> tuple[list[Action], frozenset[str]]:
    """The assignment actions and the keys blocked by a conflict; ``slugs`` are the pages'."""
    owned = split.owned
    for assignment_id in split.claimed:
        claims.claim("assignment", assignment_id)
    duplicates: list[Action] = [
        DeleteAssignment(a.key, a.assignment_id, a.name, Action.DUPLICATE)
        for a in split.seconds
        if a.key is not None and a.assignment_id is not None
    ]
    notices: list[Action] = [
        copy_notice("assignment", a.name, a.key) for a in split.copies if a.key is not None
    ]
    unmanaged_names = {a.name for a in observed.assignments if a.key is None}
    unmanaged_names |= {a.name for a in split.copies}
    group_ids = groups.ids
    actions: list[Action] = []
    blocked: set[str] = set()
    wanted = [a for a in desired.assignments if not a.absent]
    for assignment in wanted:
        assert assignment.key is not None
        current = owned.get(assignment.key)
        if current is None and assignment.renamed_from is not None:
            current = owned.get(assignment.renamed_from)
        linked = resolve_page_links(assignment.description, desired.course_id, slugs)
        description, digest = wrap_with_marker(linked, assignment.key)
        if assignment.assignment_group in groups.blocked:
            blocked.add(assignment.key)
            actions.append(
                Conflict(
                    kind="assignment",
                    object_name=assignment.name,
                    reason=f'its assignment group "{assignment.assignment_group}" is in conflict '
                    "(see above); nothing is written for it until that is resolved",
                )
            )
            continue
        if current is None and assignment.name in unmanaged_names:
            blocked.add(assignment.key)
            actions.append(
                Conflict(
                    kind="assignment",
                    object_name=assignment.name,
                    reason="an assignment not made by pd-sync is already named "
                    f'"{assignment.name}"; rename one of them '
                    "(pd-sync never modifies assignments it does not own)",
                )
            )
            continue
        notice = loss_notice("assignment", assignment.name, assignment.lost)
        if notice is not None:
            actions.append(notice)
        if current is None:
            actions.append(
                CreateAssignment(
                    key=assignment.key,
                    title=assignment.name,
                    description=description,
                    points_possible=assignment.points_possible,
                    due_at=to_canvas_utc(assignment.due_at) if assignment.due_at else None,
                    submission_types=assignment.submission_types,
                    assignment_group=assignment.assignment_group,
                    published=assignment.published,
                )
            )
            continue
        update = _assignment_update(
            assignment, current, description, digest, group_ids, desired.time_zone
        )
        if update is not None:
            actions.append(update)
    actions += _assignment_deletions(desired, owned.values(), prune)
    wanted_keys = {a.key for a in wanted}
    actions += [d for d in duplicates if isinstance(d, DeleteAssignment) and d.key in wanted_keys]
    return actions + notices, frozenset(blocked)


def _assignment_update(
    assignment: AssignmentState,
    current: AssignmentState,
    description: str,
    digest: str,
    group_ids: dict[str, int | None],
    time_zone: str,
) -> UpdateAssignment | None:
    assert assignment.key is not None and current.assignment_id is not None
    changes: list[FieldChange] = []
    reasons: list[str] = []
    drift = current.content_digest != current.digest
    if current.name != assignment.name:
        changes.append(FieldChange("name", current.name, assignment.name))
        reasons.append("renamed")
    description_changed = digest != current.digest or drift or current.key != assignment.key
    if description_changed:
        changes.append(FieldChange("description", current.content_digest, digest))
        if digest != current.digest:
            reasons.append("description changed in the curriculum")
        if drift:
            reasons.append("edited in Canvas since the last sync; the curriculum's version wins")
    if float(current.points_possible) != float(assignment.points_possible):
        changes.append(
            FieldChange("points_possible", current.points_possible, assignment.points_possible)
        )
        reasons.append("points changed")
    desired_due = assignment.due_at
    observed_due = to_canvas_utc(current.due_at) if current.due_at else None
    if desired_due is None:
        if observed_due is not None:
            changes.append(FieldChange("due_at", observed_due, None))
            reasons.append("due date removed")
    elif not canvas_due_equal(desired_due, observed_due, time_zone):
        changes.append(FieldChange("due_at", observed_due, to_canvas_utc(desired_due)))
        reasons.append("due date changed")
    if sorted(current.submission_types) != sorted(assignment.submission_types):
        changes.append(
            FieldChange("submission_types", current.submission_types, assignment.submission_types)
        )
        reasons.append("submission types changed")
    wanted_group = group_ids.get(assignment.assignment_group)
    if wanted_group is None or wanted_group != current.assignment_group_id:
        changes.append(
            FieldChange("assignment_group", current.assignment_group, assignment.assignment_group)
        )
        reasons.append("moved to another assignment group")
    if current.published != assignment.published:
        changes.append(FieldChange("published", current.published, assignment.published))
        reasons.append("published" if assignment.published else "unpublished")
    if not changes:
        return None
    return UpdateAssignment(
        key=assignment.key,
        assignment_id=current.assignment_id,
        title=assignment.name,
        changes=tuple(changes),
        description=description if description_changed else None,
        old_description=current.description,
        drift=drift,
        reason="; ".join(reasons),
    )


def _assignment_deletions(
    desired: CourseState, owned: Iterable[AssignmentState], prune: bool
) -> list[Action]:
    actions: list[Action] = []
    for current in owned:
        if current.key is None or current.assignment_id is None:
            continue
        reason = deletion_reason(current.key, desired.assignments, prune)
        if reason:
            actions.append(
                DeleteAssignment(current.key, current.assignment_id, current.name, reason)
            )
        elif reason == "":
            actions.append(kept_orphan("assignment", current.name, current.key))
    return actions
