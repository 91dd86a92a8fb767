"""Modules (canvas-api.md §10): always created unpublished; publishing cascades to the content."""

from __future__ import annotations

import json
from typing import Any

from .courses import course_zone, require_course
from .dates import parse_iso8601, utc_text
from .module_items import (
    can_unpublish,
    item_json,
    live_items,
    page_slugs,
    require_module,
    set_content_published,
)
from .params import Params, as_bool, as_dict, as_list, as_str, includes, ruby_to_i
from .store import Row, fetch_all, insert, next_position, now, reposition, update
from .tags import item_state
from .wire import MAX_PER_PAGE, Request, Response, invalid, json_response, message_error, paginate

_LIVE = "workflow_state != 'deleted'"


def module_json(
    req: Request, row: Row, items: list[Row], slugs: dict[int, str], with_items: bool
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "position": row["position"],
        "unlock_at": row["unlock_at"],
        "require_sequential_progress": bool(row["require_sequential_progress"]),
        "publish_final_grade": bool(row["publish_final_grade"]),
        "prerequisite_module_ids": json.loads(row["prerequisite_module_ids"]),
        "published": row["workflow_state"] == "active",
        "items_count": len(items),
        "items_url": f"{req.base}/api/v1/courses/{row['course_id']}/modules/{row['id']}/items",
    }
    # Canvas leaves `items` out entirely for big modules; clients must then page items_url.
    if with_items and len(items) <= MAX_PER_PAGE:
        data["items"] = [item_json(req, item, slugs) for item in items]
    return data


def _render(req: Request, rows: list[Row], with_items: bool) -> list[dict[str, Any]]:
    items = live_items(req, [r["id"] for r in rows])
    slugs = page_slugs(req, items)
    by_module: dict[int, list[Row]] = {r["id"]: [] for r in rows}
    for item in items:
        by_module[item["module_id"]].append(item)
    return [module_json(req, r, by_module[r["id"]], slugs, with_items) for r in rows]


def _module_params(req: Request) -> Params:
    if req.params.get("module") in (None, ""):
        raise message_error(400, "missing module parameter")
    return as_dict(req.params["module"], "module")


def _changes(req: Request, course: Row, row: Row | None, mp: Params) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "name" in mp or row is None:
        name = as_str(mp.get("name"), "module[name]")
        if not name.strip():
            raise message_error(400, "missing module name")
        changes["name"] = name
    if "unlock_at" in mp:
        text = as_str(mp["unlock_at"], "unlock_at")
        try:
            changes["unlock_at"] = (
                utc_text(parse_iso8601(text, course_zone(course))) if text else None
            )
        except ValueError:
            raise invalid("unlock_at", "Invalid datetime for unlock_at") from None
    if "require_sequential_progress" in mp:
        changes["require_sequential_progress"] = int(as_bool(mp["require_sequential_progress"]))
    if "publish_final_grade" in mp:
        changes["publish_final_grade"] = int(as_bool(mp["publish_final_grade"]))
    return changes


def _prerequisites(req: Request, row: Row, mp: Params) -> Row:
    if "prerequisite_module_ids" not in mp:
        return row
    wanted = [ruby_to_i(v) for v in as_list(mp["prerequisite_module_ids"]) if str(v).strip()]
    # Only modules that come earlier in the course may be prerequisites; others are dropped.
    earlier = {
        r["id"]
        for r in fetch_all(
            req.conn,
            f"SELECT id FROM modules WHERE course_id = ? AND {_LIVE} AND position < ?",
            (row["course_id"], row["position"]),
        )
    }
    kept = [m for m in dict.fromkeys(wanted) if m in earlier]
    return update(req.conn, "modules", row["id"], {"prerequisite_module_ids": json.dumps(kept)})


def _place(req: Request, row: Row, mp: Params) -> Row:
    if mp.get("position") in (None, ""):
        return row
    position = ruby_to_i(mp["position"])
    if position < 1:
        raise message_error(400, "Invalid position")
    reposition(req.conn, "modules", "course_id", row["course_id"], row["id"], position)
    return update(req.conn, "modules", row["id"], {})


def list_modules(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    rows = fetch_all(
        req.conn,
        f"SELECT * FROM modules WHERE course_id = ? AND {_LIVE} ORDER BY position, id",
        (course["id"],),
    )
    term = as_str(req.params.get("search_term"), "search_term").lower()
    if term:
        rows = [r for r in rows if term in r["name"].lower()]
    chunk, link = paginate(req, rows)
    response = json_response(_render(req, chunk, "items" in includes(req.params)))
    response.headers.append(("Link", link))
    return response


def show_module(req: Request, course_id: str, module_id: str) -> Response:
    course = require_course(req, course_id)
    row = require_module(req, course["id"], module_id)
    return json_response(_render(req, [row], "items" in includes(req.params))[0])


def create_module(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    mp = _module_params(req)
    stamp = now()
    row = insert(
        req.conn,
        "modules",
        {
            "course_id": course["id"],
            "position": next_position(req.conn, "modules", "course_id", course["id"]),
            # module[published] is ignored on create: Canvas always starts a module unpublished.
            "workflow_state": "unpublished",
            "created_at": stamp,
            "updated_at": stamp,
            **_changes(req, course, None, mp),
        },
    )
    row = _prerequisites(req, _place(req, row, mp), mp)
    return json_response(_render(req, [row], False)[0])


def _cascade(req: Request, row: Row, published: bool) -> bool:
    """ContextModule#publish_items! / unpublish_items!: each tag's trigger_publish! or
    trigger_unpublish! (app/models/content_tag.rb), then update_asset_workflow_state! so its page
    or assignment follows. A tag whose content cannot be unpublished (student submissions, the
    front page) stays published. Returns the unpublish_warning: some tag is still published."""
    warning = False
    for item in live_items(req, [row["id"]]):
        if not published and not can_unpublish(req, item):
            warning = warning or item["workflow_state"] == "active"
            continue
        req.conn.execute(
            "UPDATE module_items SET workflow_state = ?, updated_at = ? WHERE id = ?",
            (item_state(published), now(), item["id"]),
        )
        set_content_published(req, item, published)
    return warning


def update_module(req: Request, course_id: str, module_id: str) -> Response:
    course = require_course(req, course_id)
    row = require_module(req, course["id"], module_id)
    mp = _module_params(req)
    changes = _changes(req, course, row, mp)
    published: bool | None = None
    if "published" in mp and mp["published"] != "":
        published = as_bool(mp["published"])
        changes["workflow_state"] = "active" if published else "unpublished"
    changes["updated_at"] = now()
    row = update(req.conn, "modules", row["id"], changes)
    row = _prerequisites(req, _place(req, row, mp), mp)
    # context_modules_api_controller.rb#update: publish_items! / unpublish_items! run unless
    # module[skip_content_tags] is true, for publishing and unpublishing alike.
    unpublish_warning = False
    if published is not None and not as_bool(mp.get("skip_content_tags")):
        unpublish_warning = _cascade(req, row, published) and not published
    data = _render(req, [row], False)[0]
    data["publish_warning"] = False
    data["unpublish_warning"] = unpublish_warning
    return json_response(data)


def delete_module(req: Request, course_id: str, module_id: str) -> Response:
    course = require_course(req, course_id)
    row = require_module(req, course["id"], module_id)
    stamp = now()
    items = live_items(req, [row["id"]])
    req.conn.execute(
        "UPDATE module_items SET workflow_state = 'deleted', updated_at = ? "
        f"WHERE module_id = ? AND {_LIVE}",
        (stamp, row["id"]),
    )
    row = update(
        req.conn,
        "modules",
        row["id"],
        {"workflow_state": "deleted", "deleted_at": stamp, "updated_at": stamp},
    )
    return json_response(module_json(req, row, items, {}, False) | {"items_count": 0})


_ONE = r"/courses/(?P<course_id>\d+)/modules/(?P<module_id>\d+)"
ROUTES = [
    ("GET", r"/courses/(?P<course_id>\d+)/modules", list_modules),
    ("POST", r"/courses/(?P<course_id>\d+)/modules", create_module),
    ("GET", _ONE, show_module),
    ("PUT", _ONE, update_module),
    ("DELETE", _ONE, delete_module),
]
