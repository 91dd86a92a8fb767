"""PURE: which planned writes must wait for which — the dependency graph concurrent apply runs.

Each write names the Canvas resources it reads and writes. A write waits for every earlier
write (in plan order) that writes something it touches, or reads something it writes; writes
that share nothing run in parallel. Since the plan's own order is a valid sequential order,
edges only ever point backwards and the graph has no cycles.

What this encodes:

- groups wait for their group set; assignments for their assignment group;
- a page or description that shows a file uploaded by the same plan waits for the upload (its
  Canvas id is in the body); deleting a file waits for everything before it (the pages that
  stopped showing it are updated first);
- module items wait for their module and for the page or assignment they point at (so a
  renamed page's new slug is known), and items of one module keep their order, since Canvas
  shifts positions on every insert; a module's publish comes after its items;
- module creates and deletes keep their order among themselves (Canvas numbers modules in
  creation order), and so do assignment groups; publishing one module does not wait for the
  others;
- a page link that depends on a slug Canvas chooses is fixed by the follow-up pass, after every
  slug of the run is known (``sync.apply_course``), not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pd_sync.plan import (
    Action,
    CreateAssignment,
    CreateAssignmentGroup,
    CreateFile,
    CreateGroup,
    CreateGroupSet,
    CreateModule,
    CreateModuleItem,
    CreatePage,
    DeleteAssignment,
    DeleteAssignmentGroup,
    DeleteFile,
    DeleteGroup,
    DeleteGroupSet,
    DeleteModule,
    DeleteModuleItem,
    DeletePage,
    MoveModuleItem,
    RecordOwnership,
    UpdateAssignment,
    UpdateAssignmentGroup,
    UpdateFile,
    UpdateGroupSet,
    UpdateModule,
    UpdateModuleItem,
    UpdatePage,
    pending_files,
)

# Deleting an assignment group takes its assignments with it: it orders against all of them.
_ALL_ASSIGNMENTS = "assignments"
_MODULE_ORDER = "module order"
_GROUP_ORDER = "assignment group order"


@dataclass(frozen=True)
class Touches:
    """The resources one write reads and writes, as opaque names."""

    reads: frozenset[str] = frozenset()
    writes: frozenset[str] = frozenset()


def _t(reads: set[str] | None = None, writes: set[str] | None = None) -> Touches:
    return Touches(frozenset(reads or ()), frozenset(writes or ()))


def touches(action: Action) -> Touches:
    """What ``action`` reads and writes in the course."""
    match action:
        case CreateFile() | UpdateFile():
            return _t(writes={f"file:{action.path}"})
        case DeleteFile():
            return _t(writes={"*"})
        case CreatePage() | UpdatePage():
            return _t(_uploads(action.body), {f"page:{action.key}"})
        case DeletePage():
            return _t(writes={f"page:{action.key}"})
        case CreateAssignmentGroup() | UpdateAssignmentGroup():
            return _t(writes={f"agroup:{action.group_name}", _GROUP_ORDER})
        case DeleteAssignmentGroup():
            return _t(writes={f"agroup:{action.group_name}", _GROUP_ORDER, _ALL_ASSIGNMENTS})
        case CreateAssignment():
            reads = {f"agroup:{action.assignment_group}", _ALL_ASSIGNMENTS}
            return _t(reads | _uploads(action.description), {f"assignment:{action.key}"})
        case UpdateAssignment():
            groups = {
                f"agroup:{change.new}"
                for change in action.changes
                if change.field == "assignment_group"
            }
            reads = groups | {_ALL_ASSIGNMENTS} | _uploads(action.description)
            return _t(reads, {f"assignment:{action.key}"})
        case DeleteAssignment():
            return _t({_ALL_ASSIGNMENTS}, {f"assignment:{action.key}"})
        case CreateGroupSet() | DeleteGroupSet():
            return _t(writes={f"groupset:{action.set_name}"})
        case UpdateGroupSet():
            old_names = {f"groupset:{c.old}" for c in action.changes if c.field == "name"}
            return _t(writes={f"groupset:{action.set_name}"} | old_names)
        case CreateGroup() | DeleteGroup():
            return _t(
                {f"groupset:{action.set_name}"}, {f"group:{action.set_name}/{action.group_name}"}
            )
        case CreateModule() | DeleteModule():
            return _t(writes={f"module:{action.module_name}", _MODULE_ORDER})
        case UpdateModule():
            # Publishing or renaming leaves the other modules' positions alone.
            old_names = {f"module:{c.old}" for c in action.changes if c.field == "name"}
            return _t(writes={f"module:{action.module_name}"} | old_names)
        case CreateModuleItem():
            content = {"Page": "page", "Assignment": "assignment"}.get(action.kind)
            reads = {f"{content}:{action.ref}"} if content else set()
            return _t(reads, {f"module:{action.module_name}"})
        case UpdateModuleItem() | MoveModuleItem() | DeleteModuleItem():
            return _t(writes={f"module:{action.module_name}"})
        case RecordOwnership():
            # "begin" announces the creates before any runs, so a run killed mid-way still
            # proves what it made; "finish" records the ids they returned: both order against
            # every other write.
            return _t(writes={"*"})
        case _:
            # Unknown to this table: order it after and before everything (always safe).
            return _t(writes={"*"})


def _uploads(html_text: str | None) -> set[str]:
    return {f"file:{path}" for path in pending_files(html_text)}


def dependency_graph(writes: Sequence[Action]) -> tuple[frozenset[int], ...]:
    """For each write (by index), the earlier writes it must wait for (direct ones only)."""
    last_writer: dict[str, int] = {}
    readers_since: dict[str, list[int]] = {}
    everything: list[int] = []
    waits: list[frozenset[int]] = []
    for index, action in enumerate(writes):
        seen = touches(action)
        before: set[int] = set()
        if "*" in seen.writes:
            before.update(everything)
        for name in seen.reads | seen.writes:
            if name in last_writer:
                before.add(last_writer[name])
            if "*" in last_writer:
                before.add(last_writer["*"])
        for name in seen.writes:
            before.update(readers_since.get(name, ()))
        for name in seen.reads:
            readers_since.setdefault(name, []).append(index)
        for name in seen.writes:
            last_writer[name] = index
            readers_since[name] = []
        everything.append(index)
        waits.append(frozenset(before))
    return tuple(waits)


def critical_path(waits: Sequence[frozenset[int]]) -> int:
    """The longest chain of writes that must run one after another (a bound on speed-up)."""
    depth: list[int] = []
    for before in waits:
        depth.append(1 + max((depth[i] for i in before), default=0))
    return max(depth, default=0)


def heights(waits: Sequence[frozenset[int]]) -> tuple[int, ...]:
    """For each write, the longest chain of writes that waits on it, itself included.

    Starting the tallest first (a module before the pages nothing waits for) keeps the longest
    chain — usually one module's items — moving from the start.
    """
    height = [1] * len(waits)
    for index in range(len(waits) - 1, -1, -1):
        for before in waits[index]:
            height[before] = max(height[before], height[index] + 1)
    return tuple(height)
