"""``CanvasCourse``: one course read into plain ``*State`` records; one write per action kind.

Every method names the Canvas endpoint it calls. Failures are classified by
``pd_sync.canvas.failures``; clients are built by ``pd_sync.canvas.client``. The class holds
the whole course-facing surface (reads and writes), which keeps it near 400 lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

import canvasapi
from canvasapi.assignment import Assignment, AssignmentGroup
from canvasapi.course import Course
from canvasapi.exceptions import ResourceDoesNotExist
from canvasapi.group import Group, GroupCategory
from canvasapi.module import Module, ModuleItem
from canvasapi.page import Page

from pd_sync.canvas.convert import (
    assignment_state,
    item_state,
    page_state,
    split_record_pages,
)
from pd_sync.canvas.failures import (
    ASSIGNMENTS_ADD,
    ASSIGNMENTS_DELETE,
    ASSIGNMENTS_EDIT,
    CONTENT_ADD,
    CONTENT_DELETE,
    CONTENT_EDIT,
    GROUPS_ADD,
    GROUPS_DELETE,
    GROUPS_MANAGE,
    PAGES_CREATE,
    PAGES_DELETE,
    PAGES_UPDATE,
    classify,
)
from pd_sync.canvas.files import CourseFiles, file_state, list_files
from pd_sync.canvas.throttle import ResponseSignals, allowed_in_flight
from pd_sync.desired import (
    AssignmentGroupState,
    CourseState,
    GroupSetState,
    GroupState,
    ModuleState,
    PageState,
)
from pd_sync.errors import (
    CanvasError,
    CanvasNotFoundError,
    CanvasUnavailableError,
)

_T = TypeVar("_T")


# The list reads observe sends together (the course read shares the first reader, so the
# requests in flight stay as they were); later reads (page bodies) reuse their clients.
_READERS = 5


def _attr(obj: object, name: str, default: Any = None) -> Any:
    return getattr(obj, name, default)


def _course_itself(course: Course) -> list[Course]:
    """The course as Canvas reports it (for its name): ``GET /api/v1/courses/:id``."""
    response = course._requester.request("GET", f"courses/{course.id}")
    return [Course(course._requester, response.json())]


def _page_if_there(course: Course, url: str) -> list[Page]:
    try:
        return [course.get_page(url)]
    except ResourceDoesNotExist:  # deleted since the list was read
        return []


class CanvasCourse(CourseFiles):
    """One Canvas course seen through canvasapi; ``canvas`` is built by the CLI (one per thread).
    Its files' writes are in ``canvas.files.CourseFiles``."""

    def __init__(
        self,
        canvas: canvasapi.Canvas,
        course_id: int,
        base_url: str,
        signals: ResponseSignals | None = None,
        new_client: Callable[[], canvasapi.Canvas] | None = None,
    ) -> None:
        self._requester = canvas._Canvas__requester
        self.course_id = course_id
        self.base_url = base_url.rstrip("/")
        self.signals = signals or ResponseSignals()
        self._course = Course(self._requester, {"id": course_id})
        self._new_client = new_client
        self._readers: list[CanvasCourse] = []

    def fork(self) -> CanvasCourse:
        """The same course on a client of its own, for another thread (canvasapi is not
        thread-safe); throttle signals stay shared, so every thread sees the latest header."""
        if self._new_client is None:
            raise TypeError("this CanvasCourse was not made by connect(); it cannot fork")
        return CanvasCourse(
            self._new_client(), self.course_id, self.base_url, self.signals, self._new_client
        )

    def rate_limit_remaining(self) -> float | None:
        """What Canvas's last ``X-Rate-Limit-Remaining`` header said (None before any)."""
        return self.signals.rate_limit_remaining

    def throttled_responses(self) -> int:
        """How many throttle refusals this course's clients have received so far (all threads)."""
        return self.signals.throttled

    @contextmanager
    def _calling(self, what: str, needs: str | None = None) -> Iterator[None]:
        try:
            yield
        except CanvasError:
            raise
        except Exception as error:
            classified = classify(error, what, self.base_url, needs)
            if classified is error:
                raise
            if isinstance(classified, CanvasUnavailableError):
                classified.retry_after = self.signals.retry_after
            raise classified from error

    def _list(self, what: str, fetch: Callable[[], Iterable[_T]]) -> list[_T]:
        with self._calling(what):
            return list(fetch())

    def _read_together(
        self, reads: list[tuple[str, Callable[[Course], Iterable[Any]]]]
    ) -> list[list[Any]]:
        """Run the reads at once, at most ``_READERS`` in flight, each reader on a client of its
        own: one round trip for the five list reads, not five.

        Readers are forked once and kept; with more reads than readers, each reader takes every
        ``width``-th read in turn. The first failure, in reader order, is raised; a nearly full
        throttle bucket makes the reads one at a time again.
        """
        # As many at once as Canvas's throttle bucket has room for (all five when it is empty).
        width = allowed_in_flight(min(len(reads), _READERS), self.rate_limit_remaining(), 0)
        if self._new_client is None or width <= 1:
            return [self._list(what, partial(fetch, self._course)) for what, fetch in reads]
        while len(self._readers) < width - 1:
            self._readers.append(self.fork())
        readers = [self, *self._readers][:width]

        def share(index: int) -> list[list[Any]]:
            reader = readers[index]
            return [
                reader._list(what, partial(fetch, reader._course))
                for what, fetch in reads[index::width]
            ]

        with ThreadPoolExecutor(width, thread_name_prefix="pd-sync-read") as pool:
            shares = [f.result() for f in [pool.submit(share, i) for i in range(width)]]
        results: list[list[Any]] = [[] for _ in reads]
        for index, done in enumerate(shares):
            results[index::width] = done
        return results

    # -- observe ---------------------------------------------------------------------------

    def observe(self, time_zone: str = "UTC") -> CourseState:
        """Everything pd-sync manages in the course, in one request per resource type, sent
        together (each on its own client, since canvasapi is not thread-safe), and the course's
        name, so a plan says which course it would change.

        Calls: GET /api/v1/courses/:course_id; GET /api/v1/courses/:course_id/pages?include[]=body;
        GET /api/v1/courses/:course_id/assignment_groups?include[]=assignments;
        GET /api/v1/courses/:course_id/group_categories; GET /api/v1/courses/:course_id/groups;
        GET /api/v1/courses/:course_id/modules?include[]=items (and, for a module whose items
        Canvas leaves out, GET /api/v1/courses/:course_id/modules/:module_id/items; on a Canvas
        whose pages list has no bodies, GET /api/v1/courses/:course_id/pages/:url_or_id);
        GET /api/v1/courses/:course_id/files.
        """
        where = f"course {self.course_id}"
        reads: list[tuple[str, Callable[[Course], Iterable[Any]]]] = [
            (f"list pages of {where}", lambda c: c.get_pages(include=["body"])),
            (
                f"list assignment groups of {where}",
                lambda c: c.get_assignment_groups(include=["assignments"]),
            ),
            (f"list group sets of {where}", lambda c: c.get_group_categories()),
            (f"list groups of {where}", lambda c: c.get_groups()),
            (f"list modules of {where}", lambda c: c.get_modules(include=["items"])),
            # The course's name, for the plan's first line: a sixth read, after the first
            # reader's list (one small request more on that reader).
            (f"read {where}", _course_itself),
            # Every file of the course in one list (per 100): which of pd-sync's uploads are
            # still there. What each holds, Canvas cannot say; the ownership record does.
            (f"list files of {where}", list_files),
        ]
        try:
            read = self._read_together(reads)
            pages, groups, categories, course_groups, modules, course, files = read
        except CanvasNotFoundError as error:
            raise CanvasNotFoundError(
                f"course {self.course_id} not found at {self.base_url}, or not visible to this "
                "token (check --course / the cohort's course_id)"
            ) from error
        pages, one_by_one = self._with_bodies(pages)
        # Record pages are found by their bodies, so only after every body is there.
        pages, ownership = split_record_pages(pages)
        group_names = {g.id: g.name for g in groups}
        assignments = [
            assignment_state(a, group_names, self.base_url)
            for g in groups
            for a in (_attr(g, "assignments") or [])
        ]
        return CourseState(
            course_id=self.course_id,
            time_zone=time_zone,
            pages=tuple(page_state(p, self.base_url) for p in pages),
            assignments=tuple(assignments),
            assignment_groups=tuple(
                AssignmentGroupState(
                    name=g.name,
                    position=_attr(g, "position"),
                    group_weight=_attr(g, "group_weight"),
                    group_id=g.id,
                )
                for g in groups
            ),
            group_sets=tuple(
                GroupSetState(
                    name=c.name,
                    group_set_id=c.id,
                    groups=tuple(
                        GroupState(name=g.name, group_id=g.id)
                        for g in course_groups
                        if _attr(g, "group_category_id") == c.id
                    ),
                )
                for c in categories
            ),
            modules=tuple(self._module_state(m) for m in modules),
            files=tuple(file_state(f, ownership) for f in files),
            host=self.base_url,
            ownership=ownership,
            page_bodies_read_one_by_one=one_by_one,
            course_name=str(_attr(course[0], "name", "") or ""),
        )

    def _with_bodies(self, pages: list[Page]) -> tuple[list[Page], bool]:
        """The pages with their bodies, and whether they had to be read one by one.

        Older Canvas releases leave ``body`` out of the pages list whatever ``include[]=body``
        says (wiki_pages_api_controller.rb#index selected every column but the body). The
        marker that proves a page is pd-sync's is in the body, so without it every pd-sync page
        would look hand-made: there, each page is read on its own (one GET per page, spread
        over the same readers as the list reads). A page deleted between the list and its read
        is simply gone.

        Calls: GET /api/v1/courses/:course_id/pages/:url_or_id
        """
        missing = [page for page in pages if not hasattr(page, "body")]
        if not missing:
            return pages, False
        reads: list[tuple[str, Callable[[Course], Iterable[Any]]]] = [
            (f'read page "{page.url}"', partial(_page_if_there, url=page.url)) for page in missing
        ]
        read = iter(self._read_together(reads))
        with_bodies = [
            found
            for page in pages
            for found in (next(read) if not hasattr(page, "body") else [page])
        ]
        return with_bodies, True

    def _module_state(self, module: Module) -> ModuleState:
        raw_items = _attr(module, "items")
        if raw_items is None:  # Canvas omits items for modules with more than 100 of them
            raw_items = [
                vars(i)
                for i in self._list(
                    f'list items of module "{module.name}"', module.get_module_items
                )
            ]
        return ModuleState(
            name=module.name,
            published=bool(_attr(module, "published", False)),
            module_id=module.id,
            position=_attr(module, "position"),
            items=tuple(item_state(i) for i in raw_items),
        )

    # -- pages -----------------------------------------------------------------------------

    def create_page(self, title: str, body: str, published: bool) -> PageState:
        """Calls: POST /api/v1/courses/:course_id/pages"""
        with self._calling(f'create page "{title}"', PAGES_CREATE):
            page = self._course.create_page(
                wiki_page={"title": title, "body": body, "published": published}
            )
        return page_state(page)

    def update_page(self, url: str, fields: dict[str, object]) -> PageState:
        """Calls: PUT /api/v1/courses/:course_id/pages/:url_or_id"""
        with self._calling(f'update page "{url}"', PAGES_UPDATE):
            page = Page(self._requester, {"course_id": self.course_id, "url": url})
            page.edit(wiki_page=fields)
        return page_state(page)

    def delete_page(self, url: str) -> None:
        """Calls: DELETE /api/v1/courses/:course_id/pages/:url_or_id"""
        with self._calling(f'delete page "{url}"', PAGES_DELETE):
            Page(self._requester, {"course_id": self.course_id, "url": url}).delete()

    # -- assignments and their groups ------------------------------------------------------

    def create_assignment_group(self, name: str, fields: dict[str, object]) -> int:
        """Calls: POST /api/v1/courses/:course_id/assignment_groups"""
        with self._calling(f'create assignment group "{name}"', ASSIGNMENTS_ADD):
            group = self._course.create_assignment_group(name=name, **fields)
        return int(group.id)

    def update_assignment_group(self, group_id: int, fields: dict[str, object]) -> None:
        """Calls: PUT /api/v1/courses/:course_id/assignment_groups/:assignment_group_id"""
        with self._calling(f"update assignment group {group_id}", ASSIGNMENTS_EDIT):
            group = AssignmentGroup(self._requester, {"course_id": self.course_id, "id": group_id})
            group.edit(**fields)

    def delete_assignment_group(self, group_id: int, move_to: int | None = None) -> None:
        """Calls: DELETE /api/v1/courses/:course_id/assignment_groups/:assignment_group_id

        Canvas deletes the group's assignments with it unless ``move_assignments_to`` names
        another group (assignment_groups_api_controller.rb#destroy).
        """
        kwargs = {"move_assignments_to": move_to} if move_to is not None else {}
        with self._calling(f"delete assignment group {group_id}", ASSIGNMENTS_DELETE):
            group = AssignmentGroup(self._requester, {"course_id": self.course_id, "id": group_id})
            group.delete(**kwargs)

    def create_assignment(self, fields: dict[str, object]) -> int:
        """Calls: POST /api/v1/courses/:course_id/assignments"""
        with self._calling(f'create assignment "{fields.get("name")}"', ASSIGNMENTS_ADD):
            assignment = self._course.create_assignment(assignment=fields)
        return int(assignment.id)

    def update_assignment(self, assignment_id: int, fields: dict[str, object]) -> None:
        """Calls: PUT /api/v1/courses/:course_id/assignments/:id"""
        with self._calling(f"update assignment {assignment_id}", ASSIGNMENTS_EDIT):
            a = Assignment(self._requester, {"course_id": self.course_id, "id": assignment_id})
            a.edit(assignment=fields)

    def delete_assignment(self, assignment_id: int) -> None:
        """Calls: DELETE /api/v1/courses/:course_id/assignments/:id"""
        with self._calling(f"delete assignment {assignment_id}", ASSIGNMENTS_DELETE):
            Assignment(self._requester, {"course_id": self.course_id, "id": assignment_id}).delete()

    # -- group sets and groups -------------------------------------------------------------

    def create_group_set(self, name: str) -> int:
        """Calls: POST /api/v1/courses/:course_id/group_categories"""
        with self._calling(f'create group set "{name}"', GROUPS_ADD):
            category = self._course.create_group_category(name)
        return int(category.id)

    def update_group_set(self, group_set_id: int, name: str) -> None:
        """Calls: PUT /api/v1/group_categories/:group_category_id"""
        with self._calling(f"rename group set {group_set_id}", GROUPS_MANAGE):
            GroupCategory(self._requester, {"id": group_set_id}).update(name=name)

    def delete_group_set(self, group_set_id: int) -> None:
        """Calls: DELETE /api/v1/group_categories/:group_category_id"""
        with self._calling(f"delete group set {group_set_id}", GROUPS_DELETE):
            GroupCategory(self._requester, {"id": group_set_id}).delete()

    def create_group(self, group_set_id: int, name: str) -> int:
        """Calls: POST /api/v1/group_categories/:group_category_id/groups"""
        with self._calling(f'create group "{name}"', GROUPS_ADD):
            group = GroupCategory(self._requester, {"id": group_set_id}).create_group(name=name)
        return int(group.id)

    def delete_group(self, group_id: int) -> None:
        """Calls: DELETE /api/v1/groups/:group_id"""
        with self._calling(f"delete group {group_id}", GROUPS_DELETE):
            Group(self._requester, {"id": group_id}).delete()

    # -- modules and items -----------------------------------------------------------------

    def create_module(self, name: str) -> int:
        """Calls: POST /api/v1/courses/:course_id/modules"""
        with self._calling(f'create module "{name}"', CONTENT_ADD):
            module = self._course.create_module(module={"name": name})
        return int(module.id)

    def update_module(self, module_id: int, fields: dict[str, object]) -> None:
        """Calls: PUT /api/v1/courses/:course_id/modules/:id"""
        with self._calling(f"update module {module_id}", CONTENT_EDIT):
            self._module(module_id).edit(module=fields)

    def delete_module(self, module_id: int) -> None:
        """Calls: DELETE /api/v1/courses/:course_id/modules/:id"""
        with self._calling(f"delete module {module_id}", CONTENT_DELETE):
            self._module(module_id).delete()

    def create_module_item(self, module_id: int, fields: dict[str, object]) -> int:
        """Calls: POST /api/v1/courses/:course_id/modules/:module_id/items"""
        with self._calling(f'add "{fields.get("title")}" to module {module_id}', CONTENT_ADD):
            item = self._module(module_id).create_module_item(module_item=fields)
        return int(item.id)

    def update_module_item(self, module_id: int, item_id: int, fields: dict[str, object]) -> None:
        """Calls: PUT /api/v1/courses/:course_id/modules/:module_id/items/:id"""
        with self._calling(f"update item {item_id} of module {module_id}", CONTENT_EDIT):
            self._item(module_id, item_id).edit(module_item=fields)

    def delete_module_item(self, module_id: int, item_id: int) -> None:
        """Calls: DELETE /api/v1/courses/:course_id/modules/:module_id/items/:id"""
        with self._calling(f"remove item {item_id} from module {module_id}", CONTENT_DELETE):
            self._item(module_id, item_id).delete()

    def _module(self, module_id: int) -> Module:
        return Module(self._requester, {"course_id": self.course_id, "id": module_id})

    def _item(self, module_id: int, item_id: int) -> ModuleItem:
        attributes = {"course_id": self.course_id, "module_id": module_id, "id": item_id}
        return ModuleItem(self._requester, attributes)
