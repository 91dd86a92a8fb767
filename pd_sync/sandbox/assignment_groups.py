"""Assignment groups (canvas-api.md §7): top-level params, position order, delete-or-move."""

from __future__ import annotations

import json
from typing import Any

from .assignments import assignment_json, destroy_assignment, live_assignments
from .courses import require_course
from .params import as_dict, as_list, as_str, includes, ruby_to_i
from .store import (
    Row,
    fetch_all,
    fetch_one,
    insert,
    next_position,
    now,
    renumber,
    reposition,
    update,
)
from .wire import Request, Response, invalid, json_response, not_found, paged_response


def group_json(req: Request, row: Row, assignments: list[Row] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "position": row["position"],
        "group_weight": row["group_weight"],
        "sis_source_id": row["sis_source_id"],
        "integration_data": json.loads(row["integration_data"]),
        "rules": json.loads(row["rules"]),
    }
    if assignments is not None:
        drop = {str(f) for f in as_list(req.params.get("exclude_response_fields"))}
        rendered = [assignment_json(req, a) for a in assignments]
        for item in rendered:
            for field in drop:
                item.pop(field, None)
        data["assignments"] = rendered
    return data


def _rules(value: Any) -> str:
    """Canvas keeps rules as text and reads drop counts and never_drop ids back as integers."""
    given = as_dict(value, "rules")
    rules: dict[str, Any] = {}
    for key in ("drop_lowest", "drop_highest"):
        if given.get(key) not in (None, ""):
            rules[key] = ruby_to_i(given[key])
    never = [ruby_to_i(v) for v in as_list(given.get("never_drop"))]
    if never:
        rules["never_drop"] = never
    return json.dumps(rules)


def _changes(req: Request, row: Row | None) -> dict[str, Any]:
    params = req.params
    changes: dict[str, Any] = {}
    if "name" in params:
        name = as_str(params["name"], "name")
        if len(name) > 255:
            raise invalid("name", "is too long (maximum is 255 characters)", "too_long")
        changes["name"] = name or "Assignments"
    if "group_weight" in params:
        raw = params["group_weight"]
        try:
            changes["group_weight"] = float(raw) if raw not in (None, "") else 0.0
        except (TypeError, ValueError):
            raise invalid("group_weight", "is not a number", "not_a_number") from None
    if "rules" in params:
        changes["rules"] = _rules(params["rules"])
    # Permission for these was never verified against Canvas; the sandbox treats them like
    # assignment SIS fields (dropped without manage_sis) so clients cannot come to rely on them.
    if req.manage_sis:
        if "sis_source_id" in params:
            changes["sis_source_id"] = as_str(params["sis_source_id"], "sis_source_id") or None
        if params.get("integration_data") not in (None, ""):
            merged = json.loads(row["integration_data"]) if row else {}
            merged.update(as_dict(params["integration_data"], "integration_data"))
            changes["integration_data"] = json.dumps(merged)
    return changes


def _find(req: Request, course_id: int, group_id: str) -> Row:
    row = fetch_one(
        req.conn,
        "SELECT * FROM assignment_groups WHERE id = ? AND course_id = ? "
        "AND workflow_state = 'available'",
        (ruby_to_i(group_id), course_id),
    )
    if row is None:
        raise not_found()
    return row


def _with_assignments(req: Request, course_id: int, rows: list[Row]) -> dict[int, list[Row]]:
    by_group: dict[int, list[Row]] = {row["id"]: [] for row in rows}
    for assignment in live_assignments(req, course_id):
        by_group.setdefault(assignment["assignment_group_id"], []).append(assignment)
    return by_group


def list_groups(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    rows = fetch_all(
        req.conn,
        "SELECT * FROM assignment_groups WHERE course_id = ? AND workflow_state = 'available' "
        "ORDER BY position, id",
        (course["id"],),
    )
    if "assignments" not in includes(req.params):
        return paged_response(req, rows, lambda row: group_json(req, row))
    by_group = _with_assignments(req, course["id"], rows)
    return paged_response(req, rows, lambda row: group_json(req, row, by_group[row["id"]]))


def show_group(req: Request, course_id: str, group_id: str) -> Response:
    course = require_course(req, course_id)
    row = _find(req, course["id"], group_id)
    embedded = None
    if "assignments" in includes(req.params):
        embedded = live_assignments(req, course["id"], row["id"])
    return json_response(group_json(req, row, embedded))


def _place(req: Request, row: Row) -> Row:
    if req.params.get("position") in (None, ""):
        return row
    target = ruby_to_i(req.params["position"])
    reposition(req.conn, "assignment_groups", "course_id", row["course_id"], row["id"], target)
    return update(req.conn, "assignment_groups", row["id"], {})


def create_group(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    stamp = now()
    values = {
        "course_id": course["id"],
        "name": "Assignments",
        "position": next_position(req.conn, "assignment_groups", "course_id", course["id"]),
        "group_weight": 0.0,
        "workflow_state": "available",
        "created_at": stamp,
        "updated_at": stamp,
        **_changes(req, None),
    }
    row = _place(req, insert(req.conn, "assignment_groups", values))
    return json_response(group_json(req, row))


def update_group(req: Request, course_id: str, group_id: str) -> Response:
    course = require_course(req, course_id)
    row = _find(req, course["id"], group_id)
    changes = _changes(req, row)
    if changes:
        changes["updated_at"] = now()
    row = _place(req, update(req.conn, "assignment_groups", row["id"], changes))
    return json_response(group_json(req, row))


def delete_group(req: Request, course_id: str, group_id: str) -> Response:
    """assignment_groups_api_controller.rb#destroy: `move_assignments_to` (if given at all, even
    blank) names an active group that takes the assignments (AssignmentGroup#move_assignments_to,
    404 if it is not one); then AssignmentGroup#destroy deletes whatever is still in the group,
    so moving a group's assignments to itself deletes them."""
    course = require_course(req, course_id)
    row = _find(req, course["id"], group_id)
    moving = live_assignments(req, course["id"], row["id"])
    if moving and "move_assignments_to" in req.params:
        target = _find(req, course["id"], as_str(req.params["move_assignments_to"], "move_to"))
        order = [a["id"] for a in live_assignments(req, course["id"], target["id"])]
        order += [a["id"] for a in moving if a["id"] not in order]
        stamp = now()
        req.conn.executemany(
            "UPDATE assignments SET assignment_group_id = ?, updated_at = ? WHERE id = ?",
            [(target["id"], stamp, a["id"]) for a in moving],
        )
        renumber(req.conn, "assignments", order)
    for assignment in live_assignments(req, course["id"], row["id"]):
        destroy_assignment(req, assignment)
    deleted = update(
        req.conn, "assignment_groups", row["id"], {"workflow_state": "deleted", "updated_at": now()}
    )
    return json_response(group_json(req, deleted))


_ONE = r"/courses/(?P<course_id>\d+)/assignment_groups/(?P<group_id>\d+)"
ROUTES = [
    ("GET", r"/courses/(?P<course_id>\d+)/assignment_groups", list_groups),
    ("POST", r"/courses/(?P<course_id>\d+)/assignment_groups", create_group),
    ("GET", _ONE, show_group),
    ("PUT", _ONE, update_group),
    ("DELETE", _ONE, delete_group),
]
