"""What hangs off an assignment: its Quiz or DiscussionTopic, and its student submissions.

- app/models/assignment.rb `update_quiz_or_discussion_topic` (an after_save): submission_types
  online_quiz builds a Quizzes::Quiz, discussion_topic a DiscussionTopic, for the assignment;
  `submittable_object` is what ContextModule#add_item puts in a module instead of the assignment.
- app/models/assignment.rb `can_unpublish?` / `has_student_submissions?`: an assignment with
  student submissions cannot be unpublished (errors on workflow_state: "Can't unpublish if there
  are student submissions"); lib/api/v1/assignment.rb reports it as `unpublishable`.
"""

from __future__ import annotations

import sqlite3

from .store import fetch_one, insert, now, update
from .tags import delete_items, sync_items

# submission type -> (module item type, table)
_OBJECTS = {
    "online_quiz": ("Quiz", "quizzes"),
    "discussion_topic": ("Discussion", "discussion_topics"),
}
_TABLES = {kind: table for kind, table in _OBJECTS.values()}
UNPUBLISH_MESSAGE = "Can't unpublish if there are student submissions"


def has_submissions(conn: sqlite3.Connection, assignment_id: int) -> bool:
    row = fetch_one(conn, "SELECT 1 FROM submissions WHERE assignment_id = ?", (assignment_id,))
    return row is not None


def add_submission(conn: sqlite3.Connection, assignment_id: int, submission_type: str) -> None:
    """A student submits (sandbox control: Canvas has no teacher-side API for this)."""
    row = fetch_one(conn, "SELECT course_id FROM assignments WHERE id = ?", (assignment_id,))
    if row is None:
        raise KeyError(f"no assignment {assignment_id}")
    insert(
        conn,
        "submissions",
        {
            "course_id": row["course_id"],
            "assignment_id": assignment_id,
            "submission_type": submission_type,
            "created_at": now(),
        },
    )


def submittable(conn: sqlite3.Connection, assignment_id: int) -> tuple[str, int] | None:
    """Assignment#submittable_object as (module item type, id), when the types call for one."""
    row = fetch_one(conn, "SELECT submission_types FROM assignments WHERE id = ?", (assignment_id,))
    if row is None or row["submission_types"] not in _OBJECTS:
        return None
    kind, table = _OBJECTS[row["submission_types"]]
    found = fetch_one(
        conn,
        f"SELECT id FROM {table} WHERE assignment_id = ? AND workflow_state != 'deleted'",
        (assignment_id,),
    )
    return (kind, int(found["id"])) if found else None


def update_quiz_or_discussion_topic(
    conn: sqlite3.Connection, assignment: dict[str, object]
) -> None:
    """Assignment#update_quiz_or_discussion_topic: find or build the object, copy title/state."""
    kinds = str(assignment["submission_types"])
    if kinds not in _OBJECTS or assignment["workflow_state"] == "deleted":
        return
    _, table = _OBJECTS[kinds]
    values = {"title": assignment["name"], "workflow_state": assignment["workflow_state"]}
    found = fetch_one(conn, f"SELECT id FROM {table} WHERE assignment_id = ?", (assignment["id"],))
    if found is None:
        insert(
            conn,
            table,
            {
                "course_id": assignment["course_id"],
                "assignment_id": assignment["id"],
                "created_at": now(),
                **values,
            },
        )
    else:
        update(conn, table, int(found["id"]), values)


def sync_assignment_items(
    conn: sqlite3.Connection,
    assignment_id: int,
    *,
    title: str | None = None,
    published: bool | None = None,
) -> None:
    """ContentTag.update_for on the assignment and on its Quiz / DiscussionTopic."""
    sync_items(conn, "Assignment", assignment_id, title=title, published=published)
    swapped = submittable(conn, assignment_id)
    if swapped is None:
        return
    kind, object_id = swapped
    sets: dict[str, object] = {} if title is None else {"title": title}
    if published is not None:
        sets["workflow_state"] = "published" if published else "unpublished"
    update(conn, _TABLES[kind], object_id, sets)
    sync_items(conn, kind, object_id, title=title, published=published)


def object_table(kind: str) -> str | None:
    return _TABLES.get(kind)


def destroy_object(conn: sqlite3.Connection, assignment_id: int) -> None:
    """Deleting the assignment deletes its Quiz / DiscussionTopic and their module items."""
    swapped = submittable(conn, assignment_id)
    if swapped is not None:
        kind, object_id = swapped
        update(conn, _TABLES[kind], object_id, {"workflow_state": "deleted"})
        delete_items(conn, kind, object_id)
