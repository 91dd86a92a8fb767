"""Canvas's JSON (as canvasapi objects or dicts) → pd-sync's plain ``*State`` dataclasses.

The adapter's read half, kept apart so it needs no canvasapi import: it only reads attributes.
A page or assignment body carrying pd-sync's marker yields its key and digests; anything else
is a hand-made object with no key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pd_sync.curriculum import is_reserved_title
from pd_sync.desired import (
    AssignmentState,
    ModuleItemState,
    OwnershipRecord,
    PageState,
    content_digest,
    merge_records,
    read_marker,
    read_record,
)


def _utc(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def page_state(page: object, origin: str | None = None) -> PageState:
    body = getattr(page, "body", None) or ""
    marker = read_marker(body)
    return PageState(
        title=getattr(page, "title", ""),
        body=body,
        published=bool(getattr(page, "published", False)),
        key=marker.key if marker else None,
        url=getattr(page, "url", None),
        page_id=getattr(page, "page_id", None),
        digest=marker.digest if marker else None,
        content_digest=content_digest(body, canvas_origin=origin) if marker else None,
    )


def split_record_pages(pages: list[Any]) -> tuple[list[Any], OwnershipRecord]:
    """The course's pages without pd-sync's record pages, and the record those hold.

    A record page is pd-sync's title on an unpublished page whose body holds a readable record;
    anything else, whatever its title, stays an ordinary page.
    """
    ordinary: list[Any] = []
    records: list[tuple[str, OwnershipRecord]] = []
    for page in pages:
        record = None
        if is_reserved_title(getattr(page, "title", None)) and not getattr(
            page, "published", False
        ):
            record = read_record(getattr(page, "body", None))
        url = getattr(page, "url", None)
        if record is not None and isinstance(url, str):
            records.append((url, record))
        else:
            ordinary.append(page)
    return ordinary, merge_records(records)


def assignment_state(
    raw: dict[str, Any], group_names: dict[int, str], origin: str | None = None
) -> AssignmentState:
    description = raw.get("description") or ""
    marker = read_marker(description)
    group_id = raw.get("assignment_group_id")
    types = raw.get("submission_types") or []
    return AssignmentState(
        name=raw.get("name", ""),
        description=description,
        points_possible=float(raw.get("points_possible") or 0.0),
        due_at=_utc(raw.get("due_at")),
        submission_types=tuple(types),
        assignment_group=group_names.get(group_id, "") if group_id is not None else "",
        published=bool(raw.get("published", False)),
        key=marker.key if marker else None,
        assignment_id=raw.get("id"),
        assignment_group_id=group_id,
        digest=marker.digest if marker else None,
        content_digest=content_digest(description, canvas_origin=origin) if marker else None,
        # lib/api/v1/assignment.rb sends it only to users who may manage the course; when it
        # is missing, pd-sync may try (and Canvas will say if it cannot).
        unpublishable=bool(raw.get("unpublishable", True)),
    )


def item_state(raw: dict[str, Any]) -> ModuleItemState:
    return ModuleItemState(
        kind=raw.get("type", ""),
        title=raw.get("title", ""),
        published=bool(raw.get("published", False)),
        item_id=raw.get("id"),
        position=raw.get("position"),
        page_url=raw.get("page_url"),
        content_id=raw.get("content_id") if raw.get("type") == "Assignment" else None,
        external_url=raw.get("external_url"),
        indent=int(raw.get("indent") or 0),
    )
