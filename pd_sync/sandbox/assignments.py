"""Assignments (canvas-api.md §6): strict dates, fancy midnight, SIS ids only with manage_sis.

Just over 400 lines: create and update share one parameter reader and one validator, and
splitting them across files would separate rules canvas-lms keeps in one model.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from .allowlist import words
from .courses import course_zone, require_course
from .dates import fancy_midnight, parse_iso8601, utc_text
from .params import Params, as_bool, as_dict, as_list, as_str, ruby_to_i
from .sanitize import rewrite_outgoing, sanitize_html
from .store import Row, fetch_all, fetch_one, insert, next_position, now, reposition, update
from .submittables import (
    UNPUBLISH_MESSAGE,
    destroy_object,
    has_submissions,
    sync_assignment_items,
    update_quiz_or_discussion_topic,
)
from .tags import delete_items
from .wire import (
    Request,
    Response,
    invalid,
    json_response,
    missing_param,
    not_found,
    paged_response,
)

SUBMISSION_TYPES = words(
    """online_quiz none on_paper discussion_topic external_tool online_upload online_text_entry
    online_url media_recording student_annotation"""
)
GRADING_TYPES = words("pass_fail percent letter_grade gpa_scale points not_graded")
_DATES = ("due_at", "lock_at", "unlock_at")
_ORDER = "ORDER BY g.position, g.id, a.position, a.id"


def assignment_json(req: Request, row: Row) -> dict[str, Any]:
    description = row["description"]
    submitted = has_submissions(req.conn, row["id"])
    return {
        "id": row["id"],
        "name": row["name"],
        "description": rewrite_outgoing(description, req.base) if description else description,
        "position": row["position"],
        "points_possible": row["points_possible"],
        "grading_type": row["grading_type"],
        "submission_types": row["submission_types"].split(","),
        "allowed_extensions": json.loads(row["allowed_extensions"]),
        "due_at": row["due_at"],
        "lock_at": row["lock_at"],
        "unlock_at": row["unlock_at"],
        "assignment_group_id": row["assignment_group_id"],
        "group_category_id": row["group_category_id"],
        "course_id": row["course_id"],
        "published": row["workflow_state"] == "published",
        "workflow_state": row["workflow_state"],
        # lib/api/v1/assignment.rb: unpublishable = can_unpublish? (no student submissions).
        "unpublishable": not submitted,
        "only_visible_to_overrides": False,
        "has_submitted_submissions": submitted,
        "omit_from_final_grade": bool(row["omit_from_final_grade"]),
        "allowed_attempts": -1 if row["allowed_attempts"] is None else row["allowed_attempts"],
        "peer_reviews": False,
        "post_to_sis": False,
        "lti_context_id": row["lti_context_id"],
        "sis_assignment_id": row["sis_source_id"],
        "integration_id": row["integration_id"],
        "integration_data": json.loads(row["integration_data"]),
        "html_url": f"{req.base}/courses/{row['course_id']}/assignments/{row['id']}",
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def default_group(req: Request, course_id: int) -> Row:
    """AssignmentGroup default: the first live group, or a new "Assignments" group."""
    row = fetch_one(
        req.conn,
        "SELECT * FROM assignment_groups WHERE course_id = ? AND workflow_state = 'available' "
        "ORDER BY position, id LIMIT 1",
        (course_id,),
    )
    if row is not None:
        return row
    stamp = now()
    return insert(
        req.conn,
        "assignment_groups",
        {
            "course_id": course_id,
            "name": "Assignments",
            "position": next_position(req.conn, "assignment_groups", "course_id", course_id),
            "group_weight": 0.0,
            "workflow_state": "available",
            "created_at": stamp,
            "updated_at": stamp,
        },
    )


def live_assignments(req: Request, course_id: int, group_id: int | None = None) -> list[Row]:
    where = "a.course_id = ? AND a.workflow_state != 'deleted'"
    args: tuple[Any, ...] = (course_id,)
    if group_id is not None:
        where += " AND a.assignment_group_id = ?"
        args += (group_id,)
    return fetch_all(
        req.conn,
        "SELECT a.* FROM assignments a JOIN assignment_groups g ON g.id = a.assignment_group_id "
        f"WHERE {where} {_ORDER}",
        args,
    )


def _points(value: Any) -> float:
    if value in (None, ""):
        return 0.0
    try:
        points = float(value)
    except (TypeError, ValueError):
        raise invalid("points_possible", "is not a number", "not_a_number") from None
    if points < 0:
        raise invalid(
            "points_possible", "must be greater than or equal to 0", "greater_than_or_equal_to"
        )
    if points >= 1e9:
        raise invalid("points_possible", "must be less than 1000000000", "less_than")
    return points


def _submission_types(value: Any) -> str:
    kinds = [str(v).strip() for v in as_list(value)]
    if len(kinds) == 1 and "," in kinds[0]:
        kinds = [k.strip() for k in kinds[0].split(",")]
    if not kinds or any(k not in SUBMISSION_TYPES for k in kinds):
        raise invalid("assignment[submission_types]", "Invalid submission types")
    return ",".join(kinds)


def _sis_fields(req: Request, ap: Params, self_id: int | None) -> dict[str, Any]:
    # Without manage_sis Canvas drops these silently: a teacher token can read but never set them.
    if not req.manage_sis:
        return {}
    changes: dict[str, Any] = {}
    if "sis_assignment_id" in ap:
        sis = as_str(ap["sis_assignment_id"], "sis_assignment_id") or None
        clash = fetch_one(
            req.conn,
            "SELECT id FROM assignments WHERE sis_source_id = ? AND id != ?",
            (sis, self_id or 0),
        )
        if sis is not None and clash is not None:
            raise invalid("sis_source_id", "has already been taken", "taken")
        changes["sis_source_id"] = sis
    if "integration_id" in ap:
        changes["integration_id"] = as_str(ap["integration_id"], "integration_id") or None
    if "integration_data" in ap:
        data = ap["integration_data"]
        if isinstance(data, str):
            try:
                data = json.loads(data) if data else {}
            except ValueError:
                raise invalid("integration_data", "Invalid integration data") from None
        if not isinstance(data, dict):
            raise invalid("integration_data", "Invalid integration data")
        changes["integration_data"] = json.dumps(data)
    return changes


def _changes(req: Request, course: Row, row: Row | None, ap: Params) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "name" in ap:
        name = as_str(ap["name"], "assignment[name]")
        if not name.strip():
            raise invalid("title", "can't be blank", "blank")
        changes["name"] = name
    if "description" in ap:
        changes["description"] = sanitize_html(as_str(ap["description"], "assignment[description]"))
    if "points_possible" in ap:
        changes["points_possible"] = _points(ap["points_possible"])
    if "grading_type" in ap:
        grading = as_str(ap["grading_type"], "grading_type")
        if grading not in GRADING_TYPES:
            raise invalid("grading_type", "is not included in the list", "inclusion")
        changes["grading_type"] = grading
    if "submission_types" in ap:
        changes["submission_types"] = _submission_types(ap["submission_types"])
        # app/models/assignment.rb: a student_annotation assignment needs the document to
        # annotate; without annotatable_attachment_id the save fails (400). [message unverified]
        if "student_annotation" in changes["submission_types"].split(",") and ap.get(
            "annotatable_attachment_id"
        ) in (None, ""):
            raise invalid("annotatable_attachment_id", "can't be blank", "blank")
    if "allowed_extensions" in ap:
        exts = [str(e).strip().lower().lstrip(".") for e in as_list(ap["allowed_extensions"])]
        changes["allowed_extensions"] = json.dumps([e for e in exts if e])
    local = course_zone(course)
    for key in _DATES:
        if key not in ap:
            continue
        text = as_str(ap[key], key)
        if not text:
            changes[key] = None
            continue
        try:
            moment = parse_iso8601(text, local)
        except ValueError:
            raise invalid(f"assignment[{key}]", f"Invalid datetime for {key}") from None
        if key != "unlock_at":
            moment = fancy_midnight(moment, local)
        changes[key] = utc_text(moment)
    if "published" in ap and ap["published"] != "":
        changes["workflow_state"] = "published" if as_bool(ap["published"]) else "unpublished"
    if "allowed_attempts" in ap:
        attempts = ruby_to_i(ap["allowed_attempts"]) if ap["allowed_attempts"] != "" else None
        changes["allowed_attempts"] = None if attempts == -1 else attempts
    if "omit_from_final_grade" in ap:
        changes["omit_from_final_grade"] = int(as_bool(ap["omit_from_final_grade"]))
    if "group_category_id" in ap:
        changes["group_category_id"] = ruby_to_i(ap["group_category_id"]) or None
    if "assignment_group_id" in ap and ap["assignment_group_id"] not in (None, ""):
        wanted = ruby_to_i(ap["assignment_group_id"])
        if wanted <= 0:
            raise invalid("assignment_group_id", "must be a positive number")
        group = fetch_one(
            req.conn,
            "SELECT id FROM assignment_groups WHERE id = ? AND course_id = ? "
            "AND workflow_state = 'available'",
            (wanted, course["id"]),
        )
        changes["assignment_group_id"] = (
            group["id"] if group else default_group(req, course["id"])["id"]
        )
    changes.update(_sis_fields(req, ap, row["id"] if row else None))
    return changes


def _assignment_params(req: Request) -> Params:
    if "assignment" not in req.params or req.params["assignment"] in (None, ""):
        raise missing_param("assignment")
    return as_dict(req.params["assignment"], "assignment")


def find_assignment(req: Request, course_id: int, ident: str) -> Row:
    match = re.fullmatch(r"(sis_assignment_id|lti_context_id):(.+)", ident)
    if match:
        column = "sis_source_id" if match.group(1) == "sis_assignment_id" else "lti_context_id"
        where, arg = f"{column} = ?", match.group(2)
    elif ident.isdigit():
        where, arg = "id = ?", ident
    else:
        raise not_found()
    row = fetch_one(
        req.conn,
        f"SELECT * FROM assignments WHERE course_id = ? AND {where} "
        "AND workflow_state != 'deleted'",
        (course_id, arg),
    )
    if row is None:
        raise not_found()
    return row


def _place(req: Request, row: Row, ap: Params, group_changed: bool) -> Row:
    if "position" in ap and ap["position"] not in (None, ""):
        target = ruby_to_i(ap["position"])
    elif group_changed:
        target = 1_000_000
    else:
        return row
    reposition(
        req.conn,
        "assignments",
        "assignment_group_id",
        row["assignment_group_id"],
        row["id"],
        target,
    )
    return update(req.conn, "assignments", row["id"], {})


def list_assignments(req: Request, course_id: str, group_id: str | None = None) -> Response:
    course = require_course(req, course_id)
    gid = int(group_id) if group_id is not None else None
    rows = live_assignments(req, course["id"], gid)
    term = as_str(req.params.get("search_term"), "search_term").lower()
    if term:
        rows = [r for r in rows if term in r["name"].lower()]
    wanted_ids = {str(i) for i in as_list(req.params.get("assignment_ids"))}
    if wanted_ids:
        rows = [r for r in rows if str(r["id"]) in wanted_ids]
    order_by = req.params.get("order_by")
    if order_by == "name":
        rows.sort(key=lambda r: (r["name"].casefold(), r["id"]))
    elif order_by == "due_at":
        rows.sort(key=lambda r: (r["due_at"] is None, r["due_at"] or "", r["id"]))
    return paged_response(req, rows, lambda row: assignment_json(req, row))


def list_group_assignments(req: Request, course_id: str, group_id: str) -> Response:
    group = fetch_one(
        req.conn,
        "SELECT id FROM assignment_groups WHERE id = ? AND course_id = ? "
        "AND workflow_state = 'available'",
        (int(group_id), int(course_id)),
    )
    if group is None:
        raise not_found()
    return list_assignments(req, course_id, group_id)


def show_assignment(req: Request, course_id: str, assignment_id: str) -> Response:
    course = require_course(req, course_id)
    return json_response(assignment_json(req, find_assignment(req, course["id"], assignment_id)))


def create_assignment(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    ap = _assignment_params(req)
    values = _changes(req, course, None, ap)
    group_id = values.pop("assignment_group_id", None) or default_group(req, course["id"])["id"]
    stamp = now()
    row = insert(
        req.conn,
        "assignments",
        {
            "course_id": course["id"],
            "assignment_group_id": group_id,
            "name": "Unnamed Assignment",
            "position": next_position(req.conn, "assignments", "assignment_group_id", group_id),
            "points_possible": 0.0,
            "grading_type": "points",
            "submission_types": "none",
            "workflow_state": "unpublished",
            "lti_context_id": str(uuid.uuid4()),
            "created_at": stamp,
            "updated_at": stamp,
            **values,
        },
    )
    row = _place(req, row, ap, group_changed=False)
    update_quiz_or_discussion_topic(req.conn, row)
    return json_response(assignment_json(req, row), status=201)


def update_assignment(req: Request, course_id: str, assignment_id: str) -> Response:
    course = require_course(req, course_id)
    row = find_assignment(req, course["id"], assignment_id)
    ap = _assignment_params(req)
    changes = {k: v for k, v in _changes(req, course, row, ap).items() if row[k] != v}
    if changes.get("workflow_state") == "unpublished" and has_submissions(req.conn, row["id"]):
        # Assignment#can_unpublish? fails: errors on workflow_state, 400 (assignment.rb).
        raise invalid("workflow_state", UNPUBLISH_MESSAGE)
    if changes:
        changes["updated_at"] = now()
    group_changed = "assignment_group_id" in changes
    if group_changed:
        changes["position"] = next_position(
            req.conn, "assignments", "assignment_group_id", changes["assignment_group_id"]
        )
    updated = update(req.conn, "assignments", row["id"], changes)
    updated = _place(req, updated, ap, group_changed)
    update_quiz_or_discussion_topic(req.conn, updated)
    published = changes.get("workflow_state")
    sync_assignment_items(
        req.conn,
        row["id"],
        title=changes.get("name"),
        published=None if published is None else published == "published",
    )
    return json_response(assignment_json(req, updated))


def destroy_assignment(req: Request, row: Row) -> Row:
    stamp = now()
    destroy_object(req.conn, row["id"])
    delete_items(req.conn, "Assignment", row["id"])
    return update(
        req.conn, "assignments", row["id"], {"workflow_state": "deleted", "updated_at": stamp}
    )


def delete_assignment(req: Request, course_id: str, assignment_id: str) -> Response:
    course = require_course(req, course_id)
    row = find_assignment(req, course["id"], assignment_id)
    return json_response(assignment_json(req, destroy_assignment(req, row)))


_ONE = r"/courses/(?P<course_id>\d+)/assignments/(?P<assignment_id>[^/]+)"
ROUTES = [
    ("GET", r"/courses/(?P<course_id>\d+)/assignments", list_assignments),
    ("POST", r"/courses/(?P<course_id>\d+)/assignments", create_assignment),
    ("GET", _ONE, show_assignment),
    ("PUT", _ONE, update_assignment),
    ("DELETE", _ONE, delete_assignment),
    (
        "GET",
        r"/courses/(?P<course_id>\d+)/assignment_groups/(?P<group_id>\d+)/assignments",
        list_group_assignments,
    ),
]
