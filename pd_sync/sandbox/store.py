"""SQLite persistence for the sandbox: schema, one guarded connection, small query helpers.

A file database is shared by every process that opens it (WAL + busy timeout), so a test can
drive one sandbox and inspect it from another. Rows are soft-deleted, never removed, exactly
like Canvas keeps `workflow_state = 'deleted'`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from .dates import check_zone

Row = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS courses (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, time_zone TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL, url TEXT NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '', workflow_state TEXT NOT NULL,
    editing_roles TEXT NOT NULL DEFAULT 'teachers', front_page INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, revised_at TEXT NOT NULL,
    deleted_at TEXT);
CREATE INDEX IF NOT EXISTS pages_course ON pages (course_id, workflow_state);
CREATE TABLE IF NOT EXISTS assignment_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL, name TEXT NOT NULL,
    position INTEGER NOT NULL, group_weight REAL, rules TEXT NOT NULL DEFAULT '{}',
    sis_source_id TEXT, integration_data TEXT NOT NULL DEFAULT '{}',
    workflow_state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL,
    assignment_group_id INTEGER NOT NULL, name TEXT NOT NULL, description TEXT,
    position INTEGER NOT NULL, points_possible REAL, grading_type TEXT NOT NULL,
    submission_types TEXT NOT NULL, allowed_extensions TEXT NOT NULL DEFAULT '[]',
    due_at TEXT, lock_at TEXT, unlock_at TEXT, workflow_state TEXT NOT NULL,
    sis_source_id TEXT, integration_id TEXT, integration_data TEXT NOT NULL DEFAULT '{}',
    lti_context_id TEXT NOT NULL, allowed_attempts INTEGER,
    omit_from_final_grade INTEGER NOT NULL DEFAULT 0, group_category_id INTEGER,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS assignments_course ON assignments (course_id, workflow_state);
CREATE TABLE IF NOT EXISTS group_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL, name TEXT NOT NULL,
    self_signup TEXT, auto_leader TEXT, group_limit INTEGER, sis_group_category_id TEXT,
    workflow_state TEXT NOT NULL, created_at TEXT NOT NULL, deleted_at TEXT);
CREATE TABLE IF NOT EXISTS groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL,
    group_category_id INTEGER NOT NULL, name TEXT NOT NULL, description TEXT,
    join_level TEXT NOT NULL, is_public INTEGER NOT NULL DEFAULT 0, max_membership INTEGER,
    sis_group_id TEXT, workflow_state TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS modules (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL, name TEXT NOT NULL,
    position INTEGER NOT NULL, unlock_at TEXT,
    require_sequential_progress INTEGER NOT NULL DEFAULT 0,
    publish_final_grade INTEGER NOT NULL DEFAULT 0,
    prerequisite_module_ids TEXT NOT NULL DEFAULT '[]', workflow_state TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT);
CREATE TABLE IF NOT EXISTS module_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL,
    module_id INTEGER NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL,
    indent INTEGER NOT NULL DEFAULT 0, type TEXT NOT NULL, content_id INTEGER,
    external_url TEXT, new_tab INTEGER NOT NULL DEFAULT 0, completion_requirement TEXT,
    workflow_state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS module_items_module ON module_items (module_id, workflow_state);
CREATE TABLE IF NOT EXISTS quizzes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL,
    assignment_id INTEGER NOT NULL, title TEXT NOT NULL, workflow_state TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS discussion_topics (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL,
    assignment_id INTEGER NOT NULL, title TEXT NOT NULL, workflow_state TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL, parent_folder_id INTEGER,
    name TEXT NOT NULL, full_name TEXT NOT NULL, workflow_state TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL, folder_id INTEGER NOT NULL,
    display_name TEXT NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL,
    size INTEGER, data BLOB, file_state TEXT NOT NULL, workflow_state TEXT NOT NULL,
    replacement_attachment_id INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    deleted_at TEXT);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, course_id INTEGER NOT NULL,
    assignment_id INTEGER NOT NULL, submission_type TEXT NOT NULL, created_at TEXT NOT NULL);
"""

TABLES = (
    "courses",
    "pages",
    "assignments",
    "assignment_groups",
    "group_categories",
    "groups",
    "modules",
    "module_items",
    "quizzes",
    "discussion_topics",
    "submissions",
    "folders",
    "attachments",
)


def now() -> str:
    """Canvas renders every timestamp in UTC at second precision."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dict_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
    return {col[0]: value for col, value in zip(cursor.description, values, strict=True)}


class Store:
    def __init__(self, db_path: str | None = None) -> None:
        self.path = db_path or ":memory:"
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = _dict_row
        self._conn.execute("PRAGMA busy_timeout = 10000")
        if db_path:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        with self._lock:
            self._conn.executescript(_SCHEMA)

    @contextmanager
    def transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """One request, one transaction; IMMEDIATE so writers in other processes queue up."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def rows(self, table: str, course_id: int | None = None) -> list[Row]:
        """Every stored row of a table (deleted ones too), oldest first."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
        column = "id" if table == "courses" else "course_id"
        with self.transaction(write=False) as conn:
            if course_id is None:
                return fetch_all(conn, f"SELECT * FROM {table} ORDER BY id")
            return fetch_all(
                conn, f"SELECT * FROM {table} WHERE {column} = ? ORDER BY id", (course_id,)
            )

    def wipe(self) -> None:
        with self.transaction(write=True) as conn:
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")

    def ensure_course(self, course_id: int, name: str, time_zone: str) -> None:
        check_zone(time_zone)
        with self.transaction(write=True) as conn:
            conn.execute(
                "INSERT INTO courses (id, name, time_zone, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                "time_zone = excluded.time_zone",
                (course_id, name, time_zone, now()),
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def fetch_all(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()) -> list[Row]:
    return list(conn.execute(sql, args).fetchall())


def fetch_one(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()) -> Row | None:
    row: Row | None = conn.execute(sql, args).fetchone()
    return row


def insert(conn: sqlite3.Connection, table: str, values: Mapping[str, Any]) -> Row:
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(values.values()))
    row = fetch_one(conn, f"SELECT * FROM {table} WHERE id = ?", (cursor.lastrowid,))
    assert row is not None
    return row


def update(conn: sqlite3.Connection, table: str, row_id: int, values: Mapping[str, Any]) -> Row:
    if values:
        sets = ", ".join(f"{col} = ?" for col in values)
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*values.values(), row_id))
    row = fetch_one(conn, f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    assert row is not None
    return row


def reposition(
    conn: sqlite3.Connection, table: str, scope: str, scope_id: int, row_id: int, position: int
) -> None:
    """acts_as_list insert_at: move one row to `position` (1-based) and renumber its siblings."""
    siblings = [
        r["id"]
        for r in fetch_all(
            conn,
            f"SELECT id FROM {table} WHERE {scope} = ? AND workflow_state != 'deleted' "
            "AND id != ? ORDER BY position, id",
            (scope_id, row_id),
        )
    ]
    index = max(0, min(len(siblings), position - 1))
    siblings.insert(index, row_id)
    renumber(conn, table, siblings)


def renumber(conn: sqlite3.Connection, table: str, ordered_ids: list[int]) -> None:
    conn.executemany(
        f"UPDATE {table} SET position = ? WHERE id = ? AND position != ?",
        [(n, rid, n) for n, rid in enumerate(ordered_ids, start=1)],
    )


def insert_at(
    conn: sqlite3.Connection, table: str, scope: str, scope_id: int, row_id: int, position: int
) -> None:
    """acts_as_list insert_at over the whole list scope, deleted rows included.

    ContentTag (app/models/content_tag.rb) is `acts_as_list scope: :context_module` and its
    destroy only sets workflow_state = 'deleted', so deleted tags keep their slots: `position`
    is absolute, the rows in between shift by one, and live positions can have gaps.
    """
    row = fetch_one(conn, f"SELECT position FROM {table} WHERE id = ?", (row_id,))
    old = row["position"] if row else None
    if old == position:
        return
    if old is None:
        conn.execute(
            f"UPDATE {table} SET position = position + 1 WHERE {scope} = ? AND position >= ?",
            (scope_id, position),
        )
    elif position < old:
        conn.execute(
            f"UPDATE {table} SET position = position + 1 "
            f"WHERE {scope} = ? AND position >= ? AND position < ? AND id != ?",
            (scope_id, position, old, row_id),
        )
    else:
        conn.execute(
            f"UPDATE {table} SET position = position - 1 "
            f"WHERE {scope} = ? AND position > ? AND position <= ? AND id != ?",
            (scope_id, old, position, row_id),
        )
    conn.execute(f"UPDATE {table} SET position = ? WHERE id = ?", (position, row_id))


def next_position(conn: sqlite3.Connection, table: str, scope: str, scope_id: int) -> int:
    row = fetch_one(
        conn,
        f"SELECT COALESCE(MAX(position), 0) + 1 AS p FROM {table} "
        f"WHERE {scope} = ? AND workflow_state != 'deleted'",
        (scope_id,),
    )
    return int(row["p"]) if row else 1
