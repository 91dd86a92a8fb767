"""Module items follow their content (ContentTag.update_for / delete_for in Canvas).

Pages and assignments call these whenever they are renamed, (un)published or deleted, so every
module item pointing at them shows the same title and published state.
"""

from __future__ import annotations

import sqlite3

from .store import now


def item_state(published: bool) -> str:
    return "active" if published else "unpublished"


def sync_items(
    conn: sqlite3.Connection,
    item_type: str,
    content_id: int,
    *,
    title: str | None = None,
    published: bool | None = None,
) -> None:
    sets: list[str] = []
    args: list[object] = []
    if title is not None:
        sets.append("title = ?")
        args.append(title)
    if published is not None:
        sets.append("workflow_state = ?")
        args.append(item_state(published))
    if not sets:
        return
    conn.execute(
        f"UPDATE module_items SET {', '.join(sets)}, updated_at = ? "
        "WHERE type = ? AND content_id = ? AND workflow_state != 'deleted'",
        (*args, now(), item_type, content_id),
    )


def delete_items(conn: sqlite3.Connection, item_type: str, content_id: int) -> None:
    conn.execute(
        "UPDATE module_items SET workflow_state = 'deleted', updated_at = ? "
        "WHERE type = ? AND content_id = ? AND workflow_state != 'deleted'",
        (now(), item_type, content_id),
    )
