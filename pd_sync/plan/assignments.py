"""PURE: the assignment half of the planner — deliverables matched by the key in their marker.

Compares normalised values, never raw HTML: digests for descriptions, UTC instants with Canvas's
"fancy midnight" allowed for due dates, floats for points, sets for submission types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from pd_sync.desired import (
    AssignmentState,
    CourseState,
    canvas_due_equal,
    to_canvas_utc,
    wrap_with_marker,
)
from pd_sync.errors import PlanError
from pd_sync.plan.actions import (
    Action,
    Conflict,
    CreateAssignment,
    DeleteAssignment,
    FieldChange,
    Notice,
    UpdateAssignment,
)
from pd_sync.plan.files import pending_files
from pd_sync.plan.links import loss_notice, resolve_page_links
from pd_sync.plan.named import GroupPlan
from pd_sync.plan.orphans import deletion_reason, kept_orphan, wanted_keys
from pd_sync.plan.ownership import Claims, MarkedSplit, copy_notice

# Submission types for which Canvas holds the assignment as another object, listed in modules
# as that object (Assignment#submittable_object; ContextModule#add_item swaps it in).
CANVAS_OBJECT_TYPES = {
    "online_quiz": "a quiz",
    "discussion_topic": "a graded discussion",
    "wiki_page": "a page",
}


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
        if assignment.key is None:
            raise PlanError("a curriculum deliverable has no key")
        current = owned.get(assignment.key)
        if current is None and assignment.renamed_from is not None:
            current = owned.get(assignment.renamed_from)
        linked = resolve_page_links(assignment.description, desired.course_id, slugs)
        description, digest = wrap_with_marker(linked, assignment.key)
        turned = _turned_into(current)
        if turned is not None:
            blocked.add(assignment.key)
            actions.append(_turned_conflict(assignment, turned))
            continue
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
        # What Canvas would drop is said whenever the HTML is sent, not on every plan.
        notice = loss_notice("assignment", assignment.name, assignment.lost)
        if current is None:
            actions += [notice] if notice is not None else []
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
        if current.published and not assignment.published and not current.unpublishable:
            # Canvas refuses to unpublish an assignment students have submitted to (400): plan
            # everything else, keep it published, and say why instead of failing every run.
            assignment = replace(assignment, published=True)
            actions.append(
                Notice(
                    kind="assignment",
                    object_name=assignment.name,
                    reason="stays published: students have submitted to it, and Canvas keeps "
                    "an assignment with submissions published (the curriculum's "
                    "published: false takes effect only if its submissions are removed)",
                )
            )
        update = _assignment_update(
            assignment, current, description, digest, group_ids, desired.time_zone
        )
        if update is not None:
            sends_html = any(c.field == "description" for c in update.changes)
            actions += [notice] if notice is not None and sends_html else []
            actions.append(update)
    actions += _assignment_deletions(desired, owned.values(), prune)
    wanted_keys = {a.key for a in wanted}
    actions += [d for d in duplicates if isinstance(d, DeleteAssignment) and d.key in wanted_keys]
    return actions + notices, frozenset(blocked)


def _turned_into(current: AssignmentState | None) -> str | None:
    """What Canvas made of an assignment of pd-sync's (a quiz, …), or None if still one."""
    for kind in current.submission_types if current is not None else ():
        if kind in CANVAS_OBJECT_TYPES:
            return kind
    return None


def _turned_conflict(assignment: AssignmentState, kind: str) -> Conflict:
    # Changing the type back would make Canvas unlink (and may delete) an object pd-sync
    # did not build, with whatever students did in it: leave it, and say how to resolve it.
    wanted = ", ".join(assignment.submission_types) or "none"
    return Conflict(
        kind="assignment",
        object_name=assignment.name,
        reason=f"Canvas holds it as {CANVAS_OBJECT_TYPES[kind]} (submission type {kind}) and "
        "lists it in modules as that; pd-sync does not manage those, so it leaves the "
        "assignment and its module item alone. To sync it again, set its submission types in "
        f"Canvas to what the curriculum says ({wanted}), or delete it in Canvas and pd-sync "
        "makes it anew",
    )


def _assignment_update(
    assignment: AssignmentState,
    current: AssignmentState,
    description: str,
    digest: str,
    group_ids: dict[str, int | None],
    time_zone: str,
) -> UpdateAssignment | None:
    if assignment.key is None or current.assignment_id is None:
        raise PlanError("a curriculum deliverable has no key; an observed assignment has no id")
    changes: list[FieldChange] = []
    reasons: list[str] = []
    drift = current.content_digest != current.digest
    if current.name != assignment.name:
        changes.append(FieldChange("name", current.name, assignment.name))
        reasons.append("renamed")
    # A file uploaded by this plan gets its id only then: the description is sent again.
    uploads = sorted(pending_files(description))
    description_changed = (
        digest != current.digest or drift or current.key != assignment.key or bool(uploads)
    )
    if description_changed:
        changes.append(FieldChange("description", current.content_digest, digest))
        if uploads:
            reasons.append(f"shows {', '.join(uploads)}, uploaded in this run")
        elif digest != current.digest:
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
    wanted = wanted_keys(desired.assignments)
    for current in owned:
        if current.key is None or current.assignment_id is None:
            continue
        reason = deletion_reason(current.key, wanted, prune)
        if reason:
            actions.append(
                DeleteAssignment(current.key, current.assignment_id, current.name, reason)
            )
        elif reason == "":
            actions.append(kept_orphan("assignment", current.name, current.key))
    return actions
