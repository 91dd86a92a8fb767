"""Module items (canvas-api.md §11): Page/Assignment/SubHeader/ExternalUrl tags in a module."""

from __future__ import annotations

import json
from typing import Any

from .assignments import find_assignment
from .courses import require_course
from .pages import save_page
from .params import Params, as_bool, as_dict, as_str, ruby_to_i
from .store import Row, fetch_all, fetch_one, insert, insert_at, next_position, now, update
from .submittables import has_submissions, object_table, submittable, sync_assignment_items
from .tags import item_state
from .wire import (
    ApiError,
    Request,
    Response,
    json_response,
    message_error,
    not_found,
    paged_response,
)

_TYPES = {
    "page": "Page",
    "wikipage": "Page",
    "wiki_page": "Page",
    "assignment": "Assignment",
    "quiz": "Quiz",
    "discussion": "Discussion",
    "discussion_topic": "Discussion",
    "subheader": "SubHeader",
    "sub_header": "SubHeader",
    "contextmodulesubheader": "SubHeader",
    "externalurl": "ExternalUrl",
    "external_url": "ExternalUrl",
}
_REQUIREMENTS = ("must_view", "must_contribute", "must_submit", "min_score", "must_mark_done")


def require_module(req: Request, course_id: int, module_id: str) -> Row:
    row = fetch_one(
        req.conn,
        "SELECT * FROM modules WHERE id = ? AND course_id = ? AND workflow_state != 'deleted'",
        (ruby_to_i(module_id), course_id),
    )
    if row is None:
        raise not_found()
    return row


def live_items(req: Request, module_ids: list[int]) -> list[Row]:
    if not module_ids:
        return []
    marks = ", ".join("?" for _ in module_ids)
    return fetch_all(
        req.conn,
        f"SELECT * FROM module_items WHERE module_id IN ({marks}) AND workflow_state != 'deleted' "
        "ORDER BY module_id, position, title, id",
        tuple(module_ids),
    )


def page_slugs(req: Request, items: list[Row]) -> dict[int, str]:
    ids = sorted({i["content_id"] for i in items if i["type"] == "Page"})
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = fetch_all(req.conn, f"SELECT id, url FROM pages WHERE id IN ({marks})", tuple(ids))
    return {r["id"]: r["url"] for r in rows}


def item_json(req: Request, row: Row, slugs: dict[int, str]) -> dict[str, Any]:
    course, kind = row["course_id"], row["type"]
    data: dict[str, Any] = {
        "id": row["id"],
        "module_id": row["module_id"],
        "position": row["position"],
        "title": row["title"],
        "indent": row["indent"],
        "type": kind,
    }
    if kind == "ExternalUrl":
        data["html_url"] = f"{req.base}/api/v1/courses/{course}/module_item_redirect/{row['id']}"
        data["external_url"] = row["external_url"]
        data["new_tab"] = bool(row["new_tab"])
    elif kind != "SubHeader":
        data["html_url"] = f"{req.base}/courses/{course}/modules/items/{row['id']}"
    if kind in _CONTENT_PATHS:
        data["content_id"] = row["content_id"]
        data["url"] = (
            f"{req.base}/api/v1/courses/{course}/{_CONTENT_PATHS[kind]}/{row['content_id']}"
        )
    elif kind == "Page":
        slug = slugs.get(row["content_id"], "")
        data["page_url"] = slug
        data["url"] = f"{req.base}/api/v1/courses/{course}/pages/{slug}"
    if row["completion_requirement"]:
        data["completion_requirement"] = json.loads(row["completion_requirement"])
    data["published"] = row["workflow_state"] == "active"
    data["unpublishable"] = not _content_submitted(req, row)
    return data


_CONTENT_PATHS = {
    "Assignment": "assignments",
    "Quiz": "quizzes",
    "Discussion": "discussion_topics",
}


def assignment_of(req: Request, item: Row) -> int | None:
    """The assignment behind an Assignment, Quiz or Discussion item, if any."""
    if item["type"] == "Assignment":
        return int(item["content_id"])
    table = object_table(item["type"])
    if table is None:
        return None
    row = fetch_one(
        req.conn, f"SELECT assignment_id FROM {table} WHERE id = ?", (item["content_id"],)
    )
    return int(row["assignment_id"]) if row else None


def _content_submitted(req: Request, item: Row) -> bool:
    assignment_id = assignment_of(req, item)
    return assignment_id is not None and has_submissions(req.conn, assignment_id)


def render_one(req: Request, row: Row) -> dict[str, Any]:
    return item_json(req, row, page_slugs(req, [row]))


def _item_params(req: Request) -> Params:
    if req.params.get("module_item") in (None, ""):
        raise message_error(400, "missing module item parameter")
    return as_dict(req.params["module_item"], "module_item")


def _requirement(value: Any) -> str | None:
    given = as_dict(value, "completion_requirement")
    kind = as_str(given.get("type"), "completion_requirement[type]")
    if kind not in _REQUIREMENTS:
        return None
    requirement: dict[str, Any] = {"type": kind}
    if kind == "min_score":
        requirement["min_score"] = float(given.get("min_score") or 0)
    return json.dumps(requirement)


def _content(req: Request, course_id: int, kind: str, mi: Params) -> tuple[int | None, str, bool]:
    """Resolve what the new item points at: (content_id, default title, published)."""
    if kind == "Page":
        if mi.get("page_url") in (None, ""):
            raise message_error(400, "missing page_url parameter")
        page = fetch_one(
            req.conn,
            "SELECT * FROM pages WHERE course_id = ? AND url = ? AND workflow_state != 'deleted'",
            (course_id, as_str(mi["page_url"], "page_url")),
        )
        if page is None:
            raise message_error(400, "invalid page_url parameter")
        return page["id"], page["title"], page["workflow_state"] == "active"
    if kind == "Assignment":
        try:
            found = find_assignment(req, course_id, as_str(mi.get("content_id"), "content_id"))
        except ApiError:
            raise message_error(400, "Could not find content") from None
        return found["id"], found["name"], found["workflow_state"] == "published"
    table = object_table(kind)
    if table is not None:
        row = fetch_one(
            req.conn,
            f"SELECT * FROM {table} WHERE id = ? AND course_id = ? AND workflow_state != 'deleted'",
            (ruby_to_i(mi.get("content_id")), course_id),
        )
        if row is None:
            raise message_error(400, "Could not find content")
        return row["id"], row["title"], row["workflow_state"] == "published"
    return None, "", False


def _place(req: Request, row: Row, mi: Params) -> Row:
    """context_module_items_api_controller.rb set_position: @tag.insert_at(position), absolute."""
    if mi.get("position") in (None, ""):
        return row
    position = max(1, ruby_to_i(mi["position"]))
    insert_at(req.conn, "module_items", "module_id", row["module_id"], row["id"], position)
    return update(req.conn, "module_items", row["id"], {})


def _initial_position(req: Request, module_id: int, mi: Params) -> int:
    """ContextModule#add_item: one past the last live tag, or the requested slot if it is later
    and no live tag holds it (deleted tags keep their slots, so positions can have gaps)."""
    top = next_position(req.conn, "module_items", "module_id", module_id)
    if mi.get("position") in (None, ""):
        return top
    position = max(top, ruby_to_i(mi["position"]))
    taken = fetch_one(
        req.conn,
        "SELECT 1 FROM module_items WHERE module_id = ? AND position = ? "
        "AND workflow_state != 'deleted'",
        (module_id, position),
    )
    return top if taken else position


def list_items(req: Request, course_id: str, module_id: str) -> Response:
    course = require_course(req, course_id)
    module = require_module(req, course["id"], module_id)
    items = live_items(req, [module["id"]])
    slugs = page_slugs(req, items)
    return paged_response(req, items, lambda row: item_json(req, row, slugs))


def _find_item(req: Request, course_id: int, item_id: str, module_id: int | None = None) -> Row:
    where = "id = ? AND course_id = ? AND workflow_state != 'deleted'"
    args: tuple[Any, ...] = (ruby_to_i(item_id), course_id)
    if module_id is not None:
        where += " AND module_id = ?"
        args += (module_id,)
    row = fetch_one(req.conn, f"SELECT * FROM module_items WHERE {where}", args)
    if row is None:
        raise not_found()
    return row


def show_item(req: Request, course_id: str, module_id: str, item_id: str) -> Response:
    course = require_course(req, course_id)
    module = require_module(req, course["id"], module_id)
    return json_response(render_one(req, _find_item(req, course["id"], item_id, module["id"])))


def create_item(req: Request, course_id: str, module_id: str) -> Response:
    course = require_course(req, course_id)
    module = require_module(req, course["id"], module_id)
    mi = _item_params(req)
    kind = _TYPES.get(as_str(mi.get("type"), "type").lower())
    if kind is None:
        raise message_error(400, "Could not find content")
    content_id, title, published = _content(req, course["id"], kind, mi)
    if kind == "Assignment" and content_id is not None:
        # ContextModule#add_item: `item = item.submittable_object` -- an online_quiz or
        # discussion_topic assignment is added as its Quiz or DiscussionTopic.
        swapped = submittable(req.conn, content_id)
        if swapped is not None:
            kind, content_id = swapped
    if mi.get("title") not in (None, ""):
        title = as_str(mi["title"], "title")
    stamp = now()
    row = insert(
        req.conn,
        "module_items",
        {
            "course_id": course["id"],
            "module_id": module["id"],
            "position": _initial_position(req, module["id"], mi),
            "title": title,
            "indent": ruby_to_i(mi.get("indent")),
            "type": kind,
            "content_id": content_id,
            "external_url": as_str(mi.get("external_url"), "external_url") or None,
            "new_tab": int(as_bool(mi.get("new_tab"))),
            "completion_requirement": _requirement(mi.get("completion_requirement")),
            # SubHeaders and external links start unpublished; content items mirror their content.
            "workflow_state": item_state(published),
            "created_at": stamp,
            "updated_at": stamp,
        },
    )
    return json_response(render_one(req, _place(req, row, mi)))


def can_unpublish(req: Request, item: Row) -> bool:
    """Assignment#can_unpublish? (and the front page rule) for the item's content."""
    if item["type"] == "Page":
        page = fetch_one(
            req.conn, "SELECT front_page FROM pages WHERE id = ?", (item["content_id"],)
        )
        return not (page and page["front_page"])
    return not _content_submitted(req, item)


def set_content_published(req: Request, item: Row, published: bool) -> None:
    """ContentTag#update_asset_workflow_state!: the item's page or assignment follows it,
    unless it cannot be unpublished (content.can_unpublish?)."""
    if not published and not can_unpublish(req, item):
        return
    if item["type"] == "Page":
        page = fetch_one(req.conn, "SELECT * FROM pages WHERE id = ?", (item["content_id"],))
        if page:
            save_page(req, page["course_id"], page, {"published": published})
        return
    assignment_id = assignment_of(req, item)
    if assignment_id is None:
        return
    state = "published" if published else "unpublished"
    req.conn.execute(
        "UPDATE assignments SET workflow_state = ?, updated_at = ? "
        "WHERE id = ? AND workflow_state NOT IN ('deleted', ?)",
        (state, now(), assignment_id, state),
    )
    sync_assignment_items(req.conn, assignment_id, published=published)


def _rename_content(req: Request, item: Row, title: str) -> None:
    """ContentTag#update_asset_name!: renaming the item renames (and re-slugs) its content."""
    if item["type"] == "Page":
        page = fetch_one(req.conn, "SELECT * FROM pages WHERE id = ?", (item["content_id"],))
        if page:
            save_page(req, page["course_id"], page, {"title": title})
    elif (assignment_id := assignment_of(req, item)) is not None:
        req.conn.execute(
            "UPDATE assignments SET name = ?, updated_at = ? WHERE id = ?",
            (title, now(), assignment_id),
        )
        sync_assignment_items(req.conn, assignment_id, title=title)


def update_item(req: Request, course_id: str, module_id: str, item_id: str) -> Response:
    course = require_course(req, course_id)
    # Canvas finds the item in the course, whatever module the path names.
    row = _find_item(req, course["id"], item_id)
    mi = _item_params(req)
    changes: dict[str, Any] = {}
    if mi.get("title") not in (None, ""):
        changes["title"] = as_str(mi["title"], "title")
    if row["type"] == "ExternalUrl" and mi.get("external_url") not in (None, ""):
        changes["external_url"] = as_str(mi["external_url"], "external_url")
    if mi.get("indent") not in (None, ""):
        changes["indent"] = ruby_to_i(mi["indent"])
    if mi.get("new_tab") not in (None, ""):
        changes["new_tab"] = int(as_bool(mi["new_tab"]))
    if "completion_requirement" in mi:
        changes["completion_requirement"] = _requirement(mi["completion_requirement"])
    target = mi.get("module_id")
    if target not in (None, "") and ruby_to_i(target) != row["module_id"]:
        moved = fetch_one(
            req.conn,
            "SELECT id FROM modules WHERE id = ? AND course_id = ? AND workflow_state != 'deleted'",
            (ruby_to_i(target), course["id"]),
        )
        if moved is None:
            raise message_error(400, "invalid module_id")
        changes["module_id"] = moved["id"]
        changes["position"] = next_position(req.conn, "module_items", "module_id", moved["id"])
    if "published" in mi:
        changes["workflow_state"] = item_state(as_bool(mi["published"]))
    changes["updated_at"] = now()
    row = update(req.conn, "module_items", row["id"], changes)
    if "published" in mi:
        set_content_published(req, row, as_bool(mi["published"]))
    if "title" in changes:
        _rename_content(req, row, changes["title"])
    row = _place(req, update(req.conn, "module_items", row["id"], {}), mi)
    return json_response(render_one(req, row))


def delete_item(req: Request, course_id: str, module_id: str, item_id: str) -> Response:
    course = require_course(req, course_id)
    row = _find_item(req, course["id"], item_id)
    row = update(
        req.conn, "module_items", row["id"], {"workflow_state": "deleted", "updated_at": now()}
    )
    return json_response(render_one(req, row))


_ITEMS = r"/courses/(?P<course_id>\d+)/modules/(?P<module_id>\d+)/items"
ROUTES = [
    ("GET", _ITEMS, list_items),
    ("POST", _ITEMS, create_item),
    ("GET", _ITEMS + r"/(?P<item_id>\d+)", show_item),
    ("PUT", _ITEMS + r"/(?P<item_id>\d+)", update_item),
    ("DELETE", _ITEMS + r"/(?P<item_id>\d+)", delete_item),
]
