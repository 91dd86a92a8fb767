"""Courses: only looked up, never created over the API (tests create them via ensure_course)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from .dates import zone
from .store import Row, fetch_all, fetch_one
from .wire import Request, Response, json_response, not_found, paged_response


def require_course(req: Request, course_id: str) -> Row:
    row = fetch_one(req.conn, "SELECT * FROM courses WHERE id = ?", (int(course_id),))
    if row is None:
        raise not_found()
    return row


def course_zone(course: Row) -> ZoneInfo:
    return zone(str(course["time_zone"]))


def course_json(req: Request, row: Row) -> dict[str, object]:
    return {
        "id": row["id"],
        "name": row["name"],
        "course_code": row["name"],
        "time_zone": row["time_zone"],
        "workflow_state": "available",
        "account_id": 1,
        "root_account_id": 1,
        "uuid": f"sandbox-course-{row['id']}",
        "created_at": row["created_at"],
        "start_at": None,
        "end_at": None,
        "default_view": "modules",
        "is_public": False,
        "html_url": f"{req.base}/courses/{row['id']}",
    }


def show_course(req: Request, course_id: str) -> Response:
    return json_response(course_json(req, require_course(req, course_id)))


def list_courses(req: Request) -> Response:
    rows = fetch_all(req.conn, "SELECT * FROM courses ORDER BY id")
    return paged_response(req, rows, lambda row: course_json(req, row))


ROUTES = [
    ("GET", r"/courses", list_courses),
    ("GET", r"/courses/(?P<course_id>\d+)", show_course),
]
