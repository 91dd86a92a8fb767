"""The course a first sync would leave behind, built without any network: for timing the planner.

Takes the creates of a first-sync plan and turns each into what observing Canvas would return,
through the adapter's own conversion functions, so a plan against it should be empty. The
benchmark checks that it is, which keeps this model honest.
"""

from __future__ import annotations

from types import SimpleNamespace

from pd_sync.canvas.convert import assignment_state, item_state, page_state
from pd_sync.desired import (
    AssignmentGroupState,
    CourseState,
    GroupSetState,
    GroupState,
    ModuleState,
    OwnershipRecord,
)
from pd_sync.plan import (
    CreateAssignment,
    CreateAssignmentGroup,
    CreateGroup,
    CreateGroupSet,
    CreateModule,
    CreateModuleItem,
    CreatePage,
    Plan,
)

ORIGIN = "https://canvas.invalid"


def course_after(plan: Plan) -> CourseState:
    """The observed state of a course once ``plan`` (a first sync) has been applied."""
    ids = iter(range(1, 10**9))
    # Everything the run created is in its ownership record, as apply would leave it.
    made: set[tuple[str, int]] = set()

    def new(kind: str) -> int:
        object_id = next(ids)
        made.add((kind, object_id))
        return object_id

    pages = []
    page_urls: dict[str, str] = {}
    group_ids: dict[str, int] = {}
    assignments = []
    assignment_ids: dict[str, int] = {}
    sets: dict[str, list[GroupState]] = {}
    set_ids: dict[str, int] = {}
    modules: dict[str, list[dict[str, object]]] = {}
    module_ids: dict[str, int] = {}
    for action in plan.writes:
        match action:
            case CreatePage():
                raw = SimpleNamespace(
                    title=action.title,
                    body=action.body,
                    published=action.published,
                    url=action.url,
                    page_id=new("page"),
                )
                pages.append(page_state(raw, ORIGIN))
                page_urls[action.key] = action.url
            case CreateAssignmentGroup():
                group_ids[action.group_name] = new("assignment group")
            case CreateAssignment():
                assignment_ids[action.key] = new("assignment")
                raw_assignment = {
                    "id": assignment_ids[action.key],
                    "name": action.title,
                    "description": action.description,
                    "points_possible": action.points_possible,
                    "due_at": action.due_at,
                    "submission_types": list(action.submission_types),
                    "assignment_group_id": group_ids[action.assignment_group],
                    "published": action.published,
                }
                names = {v: k for k, v in group_ids.items()}
                assignments.append(assignment_state(raw_assignment, names, ORIGIN))
            case CreateGroupSet():
                set_ids[action.set_name] = new("group set")
                sets[action.set_name] = []
            case CreateGroup():
                sets[action.set_name].append(GroupState(action.group_name, new("group")))
            case CreateModule():
                module_ids[action.module_name] = new("module")
                modules[action.module_name] = []
            case CreateModuleItem():
                items = modules[action.module_name]
                raw_item: dict[str, object] = {
                    "id": new("module item"),
                    "type": action.kind,
                    "title": action.title,
                    "published": True,
                }
                if action.kind == "Page":
                    raw_item["page_url"] = page_urls[action.ref]
                elif action.kind == "Assignment":
                    raw_item["content_id"] = assignment_ids[action.ref]
                items.insert(action.position - 1, raw_item)
    return CourseState(
        course_id=plan.course_id,
        time_zone=plan.time_zone,
        pages=tuple(pages),
        assignments=tuple(assignments),
        assignment_groups=tuple(
            AssignmentGroupState(name, position=n, group_id=group_id)
            for n, (name, group_id) in enumerate(group_ids.items(), start=1)
        ),
        group_sets=tuple(
            GroupSetState(name, tuple(groups), set_ids[name]) for name, groups in sets.items()
        ),
        modules=tuple(
            ModuleState(
                name,
                published=True,
                module_id=module_ids[name],
                position=n,
                items=tuple(
                    item_state({**raw, "position": p}) for p, raw in enumerate(items, start=1)
                ),
            )
            for n, (name, items) in enumerate(modules.items(), start=1)
        ),
        host=ORIGIN,
        ownership=OwnershipRecord(frozenset(made)),
    )
