"""How each planned write becomes Canvas requests, with ids and slugs resolved as they arrive.

References the plan makes by name or key (an assignment group created a moment ago, a page
whose slug Canvas chose on creation) are resolved here as results come in. Every request runs
under the one retry policy (``retry.Retrier``); creates re-check after a lost response.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TypeVar

from pd_sync.apply.record import write_record
from pd_sync.canvas import CanvasPort, Retrier
from pd_sync.desired import CourseState, file_digest
from pd_sync.errors import CanvasRejectedError
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
    finish_files,
)

_V = TypeVar("_V", int, str)
_I = TypeVar("_I", int, int | None)


VANISHED = "gone from Canvas before it could be updated; looked again"


class Skipped(Exception):
    """An action whose prerequisite is missing (it failed earlier in this run)."""


class Run:
    """Canvas ids and slugs as they become known during one apply.

    Shared by the worker threads: an action reads only entries written by actions it waits
    for (``action_deps``), so each entry is written before it is read. ``worker`` gives the
    calling thread its own port and retrier.
    """

    def __init__(
        self,
        observed: CourseState,
        worker: Callable[[], tuple[CanvasPort, Retrier]],
        contents: Mapping[str, bytes] | None = None,
    ) -> None:
        self._worker = worker
        self.course_id = observed.course_id
        # The bytes of each curriculum file by digest, and the ids this run's uploads got.
        self.contents = dict(contents or {})
        self.files: dict[str, int] = {}
        self.uploaded: set[tuple[int, str, str]] = set()
        self.time_zone = observed.time_zone
        self.slugs_differ = False
        self.pages = {p.key: p.url for p in observed.pages if p.key and p.url}
        self.page_ids = {p.url: p.page_id for p in observed.pages if p.url}
        self.assignments = {
            a.key: a.assignment_id for a in observed.assignments if a.key and a.assignment_id
        }
        self.assignment_groups = {
            g.name: g.group_id for g in observed.assignment_groups if g.group_id
        }
        self.group_sets = {s.name: s.group_set_id for s in observed.group_sets if s.group_set_id}
        self._made_lock = threading.Lock()
        self.created: set[tuple[str, int]] = set()
        self.record_url: str | None = None
        # Set when the record's "begin" failed: the rest of the run is skipped (apply.runner).
        self.record_failed = False
        self.modules: dict[str, int] = {}
        for module in observed.modules:
            if module.module_id is not None:
                self.modules.setdefault(module.name, module.module_id)

    def made(self, kind: str, object_id: _I) -> _I:
        """Note an object this run created, for the ownership record; return its id."""
        if object_id is not None:
            with self._made_lock:
                self.created.add((kind, object_id))
        return object_id

    def made_so_far(self) -> set[tuple[str, int]]:
        with self._made_lock:
            return set(self.created)

    def upload_done(self, file_id: int, path: str, digest: str) -> None:
        with self._made_lock:
            self.created.add(("file", file_id))
            self.uploaded.add((file_id, path, digest))
            self.files[path] = file_id

    def uploads_so_far(self) -> set[tuple[int, str, str]]:
        with self._made_lock:
            return set(self.uploaded)

    def need(self, table: dict[str, _V], name: str, what: str) -> _V:
        if name not in table:
            raise Skipped(f"{what} {name!r} does not exist (an earlier action failed)")
        return table[name]

    @property
    def port(self) -> CanvasPort:
        return self._worker()[0]

    @property
    def retrier(self) -> Retrier:
        return self._worker()[1]

    def observe(self) -> CourseState:
        return self.port.observe(self.time_zone)


def execute(action: Action, run: Run) -> str:
    """Send ``action``'s request(s); return a note for the report (usually empty)."""
    port, r = run.port, run.retrier
    match action:
        case CreateAssignmentGroup():
            fields = _present({"position": action.position, "group_weight": action.group_weight})
            run.assignment_groups[action.group_name] = run.made(
                "assignment group",
                r.create(
                    lambda: port.create_assignment_group(action.group_name, fields),
                    lambda: _id_of(run.observe().assignment_groups, action.group_name, "group_id"),
                ),
            )
        case UpdateAssignmentGroup():
            fields = {c.field: c.new for c in action.changes}
            r.call(lambda: port.update_assignment_group(action.group_id, fields))
            run.assignment_groups[action.group_name] = action.group_id
        case DeleteAssignmentGroup():
            move_to = action.move_assignments_to
            r.call(lambda: port.delete_assignment_group(action.group_id, move_to))
        case CreateGroupSet():
            find = lambda: _id_of(run.observe().group_sets, action.set_name, "group_set_id")  # noqa: E731
            try:
                run.group_sets[action.set_name] = run.made(
                    "group set", r.create(lambda: port.create_group_set(action.set_name), find)
                )
            except CanvasRejectedError:
                # Canvas keeps set names unique: a concurrent run made it a moment ago.
                existing = r.call(find)
                if existing is None:
                    raise
                run.group_sets[action.set_name] = run.made("group set", existing)
                return "made by a concurrent run; adopted"
        case UpdateGroupSet():
            r.call(lambda: port.update_group_set(action.group_set_id, action.set_name))
            run.group_sets[action.set_name] = action.group_set_id
        case DeleteGroup():
            r.call(lambda: port.delete_group(action.group_id))
        case DeleteGroupSet():
            r.call(lambda: port.delete_group_set(action.group_set_id))
        case CreateGroup():
            set_id = run.need(run.group_sets, action.set_name, "group set")
            run.made(
                "group",
                r.create(
                    lambda: port.create_group(set_id, action.group_name),
                    lambda: _group_id(run.observe(), set_id, action.group_name),
                ),
            )
        case CreateFile() | UpdateFile():
            return _upload(action, run)
        case DeleteFile():
            r.call(lambda: port.delete_file(action.file_id))
        case CreatePage():
            body = finish_files(action.body, run.course_id, run.files)
            page = r.create(
                lambda: port.create_page(action.title, body, action.published),
                lambda: next((p for p in run.observe().pages if p.key == action.key), None),
            )
            assert page.url is not None
            run.made("page", page.page_id)
            run.pages[action.key] = page.url
            run.slugs_differ |= page.url != action.url
        case UpdatePage():
            fields = _page_fields(action, run)
            page = r.call(lambda: port.update_page(action.url, fields))
            if page.url is not None:
                run.pages[action.key] = page.url
                run.slugs_differ |= page.url != action.new_url
            if page.page_id is not None and page.page_id != run.page_ids.get(action.url):
                # Deleted meanwhile (by hand, or by a concurrent run as a second copy): Canvas's
                # PUT made a new page instead (wiki_pages_api_controller.rb). This run just made
                # it and nothing records it, so it goes again; the look that follows makes the
                # page anew, recorded, if no copy of it is left.
                if page.url is not None:
                    made_url = page.url
                    r.call(lambda: port.delete_page(made_url))
                return VANISHED
        case DeletePage():
            r.call(lambda: port.delete_page(action.url))
        case CreateAssignment():
            group_id = run.need(run.assignment_groups, action.assignment_group, "assignment group")
            fields = {
                "name": action.title,
                "description": finish_files(action.description, run.course_id, run.files),
                "points_possible": action.points_possible,
                "due_at": action.due_at or "",
                "submission_types": list(action.submission_types),
                "assignment_group_id": group_id,
                "published": action.published,
            }
            run.assignments[action.key] = run.made(
                "assignment",
                r.create(
                    lambda: port.create_assignment(fields),
                    lambda: _id_of_key(run.observe().assignments, action.key),
                ),
            )
        case UpdateAssignment():
            fields = _assignment_fields(action, run)
            r.call(lambda: port.update_assignment(action.assignment_id, fields))
            run.assignments[action.key] = action.assignment_id
        case DeleteAssignment():
            r.call(lambda: port.delete_assignment(action.assignment_id))
        case CreateModule():
            run.modules[action.module_name] = run.made(
                "module",
                r.create(
                    lambda: port.create_module(action.module_name),
                    lambda: _id_of(run.observe().modules, action.module_name, "module_id"),
                ),
            )
        case UpdateModule():
            module_id = action.module_id or run.need(run.modules, action.module_name, "module")
            fields = _module_fields(action)
            r.call(lambda: port.update_module(module_id, fields))
            run.modules[action.module_name] = module_id
        case DeleteModule():
            r.call(lambda: port.delete_module(action.module_id))
        case CreateModuleItem():
            return _create_item(action, run)
        case UpdateModuleItem():
            module_id = run.need(run.modules, action.module_name, "module")
            fields = {c.field: c.new for c in action.changes}
            r.call(lambda: port.update_module_item(module_id, action.item_id, fields))
        case MoveModuleItem():
            module_id = run.need(run.modules, action.module_name, "module")
            fields = {"position": action.position}
            r.call(lambda: port.update_module_item(module_id, action.item_id, fields))
        case DeleteModuleItem():
            module_id = run.need(run.modules, action.module_name, "module")
            r.call(lambda: port.delete_module_item(module_id, action.item_id))
        case RecordOwnership():
            made, uploaded = run.made_so_far(), run.uploads_so_far()
            run.record_url = write_record(action, port, r, made, run.record_url, uploaded)
        case _:
            raise TypeError(f"apply does not know how to execute {type(action).__name__}")
    return ""


def _upload(action: CreateFile | UpdateFile, run: Run) -> str:
    """Upload the bytes the plan names by digest; refuse any others (the file changed since
    the plan was made: the next plan shows the new version)."""
    data = run.contents.get(action.digest)
    if data is None or file_digest(data) != action.digest:
        raise Skipped(f"{action.path} is not the file this plan was made with (changed since?)")
    # Repeating the upload after a lost response is harmless: it overwrites the same name.
    made = run.retrier.call(lambda: run.port.upload_file(action.path, data))
    if made.file_id is None:
        raise Skipped(f"Canvas gave no id for the upload of {action.path}")
    run.upload_done(made.file_id, action.path, action.digest)
    return ""


def _create_item(action: CreateModuleItem, run: Run) -> str:
    module_id = run.need(run.modules, action.module_name, "module")
    fields: dict[str, object] = {"type": action.kind, "position": action.position}
    if action.kind == "Page":
        fields["page_url"] = run.need(run.pages, action.ref, "page")
    elif action.kind == "Assignment":
        fields["content_id"] = run.need(run.assignments, action.ref, "assignment")
    else:
        fields["title"] = action.title

    def find() -> int | None:
        for module in run.observe().modules:
            if module.module_id != module_id:
                continue
            for item in module.items:
                same = (
                    item.page_url == fields.get("page_url")
                    if action.kind == "Page"
                    else item.content_id == fields.get("content_id")
                    if action.kind == "Assignment"
                    else item.title == action.title
                )
                if item.kind == action.kind and same and item.item_id is not None:
                    return item.item_id
        return None

    item_id = run.made(
        "module item",
        run.retrier.create(lambda: run.port.create_module_item(module_id, fields), find),
    )
    if action.publish:
        run.retrier.call(
            lambda: run.port.update_module_item(module_id, item_id, {"published": True})
        )
    return ""


def _module_fields(action: UpdateModule) -> dict[str, object]:
    fields: dict[str, object] = {c.field: c.new for c in action.changes}
    if action.skip_content_tags:
        fields["skip_content_tags"] = True  # module[skip_content_tags]: Canvas does not cascade
    return fields


def _page_fields(action: UpdatePage, run: Run) -> dict[str, object]:
    fields: dict[str, object] = {}
    for change in action.changes:
        if change.field == "title":
            fields["title"] = action.title
        elif change.field == "published":
            fields["published"] = change.new
    if action.body is not None:
        fields["body"] = finish_files(action.body, run.course_id, run.files)
    return fields


def _assignment_fields(action: UpdateAssignment, run: Run) -> dict[str, object]:
    fields: dict[str, object] = {}
    for change in action.changes:
        if change.field == "assignment_group":
            name = str(change.new)
            fields["assignment_group_id"] = run.need(
                run.assignment_groups, name, "assignment group"
            )
        elif change.field == "due_at":
            fields["due_at"] = change.new or ""  # canvasapi drops None; "" clears the date
        elif change.field == "submission_types":
            fields["submission_types"] = list(change.new or ())  # type: ignore[arg-type]
        elif change.field != "description":
            fields[change.field] = change.new
    if action.description is not None:
        fields["description"] = finish_files(action.description, run.course_id, run.files)
    return fields


def _present(values: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in values.items() if v is not None}


def _id_of(objects: tuple[object, ...], name: str, id_field: str) -> int | None:
    for obj in objects:
        if getattr(obj, "name", None) == name:
            value = getattr(obj, id_field, None)
            return int(value) if value is not None else None
    return None


def _id_of_key(objects: tuple[object, ...], key: str) -> int | None:
    for obj in objects:
        if getattr(obj, "key", None) == key:
            value = getattr(obj, "assignment_id", None)
            return int(value) if value is not None else None
    return None


def _group_id(observed: CourseState, set_id: int, name: str) -> int | None:
    for group_set in observed.group_sets:
        if group_set.group_set_id == set_id:
            for group in group_set.groups:
                if group.name == name:
                    return group.group_id
    return None
