"""Group categories ("group sets") and their groups (canvas-api.md §8-9)."""

from __future__ import annotations

import re
from typing import Any

from .courses import require_course
from .params import as_bool, as_str, includes, ruby_to_i
from .store import Row, fetch_all, fetch_one, insert, now, update
from .wire import ApiError, Request, Response, invalid, json_response, not_found, paged_response

RESERVED_NAMES = ("Student Groups", "Imported Groups")
JOIN_LEVELS = ("parent_context_auto_join", "parent_context_request", "invitation_only")


def _sis_denied(verb: str) -> ApiError:
    # Deliberately without WWW-Authenticate: canvasapi maps this 401 to Unauthorized, not to
    # InvalidAccessToken, which is how a teacher token meets it on real Canvas.
    return ApiError(
        401, {"message": f"You must have manage_sis permission to {verb} sis attributes"}
    )


def category_json(req: Request, row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "role": None,
        "self_signup": row["self_signup"],
        "group_limit": row["group_limit"],
        "auto_leader": row["auto_leader"],
        "context_type": "Course",
        "course_id": row["course_id"],
        "protected": False,
        "allows_multiple_memberships": False,
        "is_member": False,
    }
    wanted = includes(req.params, "includes")
    if "groups_count" in wanted:
        data["groups_count"] = len(_live_groups(req, row["id"]))
    if "unassigned_users_count" in wanted:
        data["unassigned_users_count"] = 0
    if req.manage_sis:
        data["sis_group_category_id"] = row["sis_group_category_id"]
        data["sis_import_id"] = None
    return data


def group_json(req: Request, row: Row, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "is_public": bool(row["is_public"]),
        "followed_by_user": False,
        "join_level": row["join_level"],
        "members_count": 0,
        "avatar_url": None,
        "context_type": "Course",
        "course_id": row["course_id"],
        "role": None,
        "group_category_id": row["group_category_id"],
        "storage_quota_mb": 50,
        "leader": None,
        "max_membership": row["max_membership"],
        "has_submission": False,
        "concluded": False,
    }
    if req.manage_sis:
        data["sis_group_id"] = row["sis_group_id"]
        data["sis_import_id"] = None
    if full:
        category = fetch_one(
            req.conn, "SELECT * FROM group_categories WHERE id = ?", (row["group_category_id"],)
        )
        data["users"] = []
        data["group_category"] = category_json(req, category) if category else None
        data["permissions"] = {
            "create_discussion_topic": True,
            "join": False,
            "create_announcement": True,
        }
    return data


def _live_groups(req: Request, category_id: int) -> list[Row]:
    return fetch_all(
        req.conn,
        "SELECT * FROM groups WHERE group_category_id = ? AND workflow_state = 'available' "
        "ORDER BY name, id",
        (category_id,),
    )


def _find_category(req: Request, ident: str) -> Row:
    match = re.fullmatch(r"sis_group_category_id:(.+)", ident)
    column, value = ("sis_group_category_id", match.group(1)) if match else ("id", ident)
    row = fetch_one(
        req.conn,
        f"SELECT * FROM group_categories WHERE {column} = ? AND workflow_state = 'active'",
        (value,),
    )
    if row is None:
        raise ApiError(404, {"status": "not found"})
    return row


def _find_group(req: Request, ident: str) -> Row:
    match = re.fullmatch(r"sis_group_id:(.+)", ident)
    column, value = ("sis_group_id", match.group(1)) if match else ("id", ident)
    row = fetch_one(
        req.conn,
        f"SELECT * FROM groups WHERE {column} = ? AND workflow_state = 'available'",
        (value,),
    )
    if row is None:
        raise not_found()
    return row


def _category_changes(req: Request, course_id: int, row: Row | None) -> dict[str, Any]:
    params = req.params
    changes: dict[str, Any] = {}
    if "name" in params or row is None:
        name = as_str(params.get("name"), "name").strip()
        if not name:
            raise invalid("name", "can't be blank", "blank")
        if len(name) > 255:
            raise invalid("name", "Enter a shorter category name", "too_long")
        if name in RESERVED_NAMES:
            raise invalid("name", f"{name} is a reserved name.")
        clash = fetch_one(
            req.conn,
            "SELECT id FROM group_categories WHERE course_id = ? AND workflow_state = 'active' "
            "AND name = ? AND id != ?",
            (course_id, name, row["id"] if row else 0),
        )
        if clash is not None:
            raise invalid("name", f"{name} is already in use.")
        changes["name"] = name
    if "self_signup" in params:
        signup = as_str(params["self_signup"], "self_signup")
        changes["self_signup"] = signup if signup in ("enabled", "restricted") else None
    if "auto_leader" in params:
        leader = as_str(params["auto_leader"], "auto_leader")
        changes["auto_leader"] = leader if leader in ("first", "random") else None
    if "group_limit" in params:
        limit = ruby_to_i(params["group_limit"]) if params["group_limit"] != "" else None
        if limit is not None and limit < 2:
            raise invalid("group_limit", "must be greater than 1", "greater_than")
        changes["group_limit"] = limit
    return changes


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _create_groups(req: Request, category: Row, count: int) -> None:
    for n in range(1, count + 1):
        _insert_group(req, category, {"name": f"{_singular(category['name'])} {n}"})


def _insert_group(req: Request, category: Row, values: dict[str, Any]) -> Row:
    return insert(
        req.conn,
        "groups",
        {
            "course_id": category["course_id"],
            "group_category_id": category["id"],
            "join_level": "invitation_only",
            "workflow_state": "available",
            "created_at": now(),
            **values,
        },
    )


def _apply_category_sis(req: Request, row: Row) -> Row:
    if "sis_group_category_id" not in req.params:
        return row
    if not req.manage_sis:
        raise _sis_denied("set")
    sis = as_str(req.params["sis_group_category_id"], "sis_group_category_id") or None
    return update(req.conn, "group_categories", row["id"], {"sis_group_category_id": sis})


def list_categories(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    rows = fetch_all(
        req.conn,
        "SELECT * FROM group_categories WHERE course_id = ? AND workflow_state = 'active' "
        "ORDER BY id",
        (course["id"],),
    )
    return paged_response(req, rows, lambda row: category_json(req, row))


def create_category(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    values = _category_changes(req, course["id"], None)
    row = insert(
        req.conn,
        "group_categories",
        {"course_id": course["id"], "workflow_state": "active", "created_at": now(), **values},
    )
    if req.params.get("create_group_count") not in (None, ""):
        _create_groups(req, row, max(0, ruby_to_i(req.params["create_group_count"])))
    try:
        row = _apply_category_sis(req, row)
    except ApiError as denied:
        # Canvas saved the category before checking the SIS permission, so the row stays.
        raise ApiError(denied.status, denied.body, commit=True) from None
    return json_response(category_json(req, row))


def show_category(req: Request, category_id: str) -> Response:
    return json_response(category_json(req, _find_category(req, category_id)))


def update_category(req: Request, category_id: str) -> Response:
    row = _find_category(req, category_id)
    row = update(
        req.conn, "group_categories", row["id"], _category_changes(req, row["course_id"], row)
    )
    try:
        row = _apply_category_sis(req, row)
    except ApiError as denied:
        # Canvas saved the category before checking the SIS permission, so the row stays.
        raise ApiError(denied.status, denied.body, commit=True) from None
    return json_response(category_json(req, row))


def delete_category(req: Request, category_id: str) -> Response:
    row = _find_category(req, category_id)
    stamp = now()
    req.conn.execute(
        "UPDATE groups SET workflow_state = 'deleted' WHERE group_category_id = ?", (row["id"],)
    )
    row = update(
        req.conn, "group_categories", row["id"], {"workflow_state": "deleted", "deleted_at": stamp}
    )
    return json_response(category_json(req, row))


def _group_changes(req: Request, creating: bool) -> dict[str, Any]:
    params = req.params
    changes: dict[str, Any] = {}
    if "name" in params or creating:
        name = as_str(params.get("name"), "name")
        if not name.strip():
            raise invalid("name", "can't be blank", "blank")
        changes["name"] = name
    if "description" in params:
        changes["description"] = as_str(params["description"], "description") or None
    if "join_level" in params:
        level = as_str(params["join_level"], "join_level")
        if level in JOIN_LEVELS:
            changes["join_level"] = level
    if "is_public" in params:
        changes["is_public"] = int(as_bool(params["is_public"]))
    if "max_membership" in params:
        value = params["max_membership"]
        changes["max_membership"] = ruby_to_i(value) if value not in (None, "") else None
    if "sis_group_id" in params:
        if not req.manage_sis:
            raise _sis_denied("set" if creating else "update")
        changes["sis_group_id"] = as_str(params["sis_group_id"], "sis_group_id") or None
    return changes


def list_category_groups(req: Request, category_id: str) -> Response:
    category = _find_category(req, category_id)
    return paged_response(req, _live_groups(req, category["id"]), lambda row: group_json(req, row))


def create_group(req: Request, category_id: str) -> Response:
    category = _find_category(req, category_id)
    row = _insert_group(req, category, _group_changes(req, creating=True))
    return json_response(group_json(req, row, full=True))


def list_course_groups(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    rows = fetch_all(
        req.conn,
        "SELECT * FROM groups WHERE course_id = ? AND workflow_state = 'available' "
        "ORDER BY group_category_id, name, id",
        (course["id"],),
    )
    return paged_response(req, rows, lambda row: group_json(req, row))


def show_group(req: Request, group_id: str) -> Response:
    return json_response(group_json(req, _find_group(req, group_id)))


def update_group(req: Request, group_id: str) -> Response:
    row = _find_group(req, group_id)
    row = update(req.conn, "groups", row["id"], _group_changes(req, creating=False))
    return json_response(group_json(req, row, full=True))


def delete_group(req: Request, group_id: str) -> Response:
    row = _find_group(req, group_id)
    row = update(req.conn, "groups", row["id"], {"workflow_state": "deleted"})
    return json_response(group_json(req, row))


_CATEGORY = r"/group_categories/(?P<category_id>[^/]+)"
_GROUP = r"/groups/(?P<group_id>[^/]+)"
ROUTES = [
    ("GET", r"/courses/(?P<course_id>\d+)/group_categories", list_categories),
    ("POST", r"/courses/(?P<course_id>\d+)/group_categories", create_category),
    ("GET", _CATEGORY, show_category),
    ("PUT", _CATEGORY, update_category),
    ("DELETE", _CATEGORY, delete_category),
    ("GET", _CATEGORY + "/groups", list_category_groups),
    ("POST", _CATEGORY + "/groups", create_group),
    ("GET", r"/courses/(?P<course_id>\d+)/groups", list_course_groups),
    ("GET", _GROUP, show_group),
    ("PUT", _GROUP, update_group),
    ("DELETE", _GROUP, delete_group),
]
