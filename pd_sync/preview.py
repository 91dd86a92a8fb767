"""PURE: Plan → what a person reads (terminal text) or a program reads (JSON).

Bodies are shown as readable text diffs, not HTML; due dates in the course's time zone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
from collections import Counter
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from pd_sync.actions import (
    Action,
    FieldChange,
    Plan,
    UpdateAssignment,
    UpdatePage,
    object_type_of,
)

JSON_SCHEMA_VERSION = 1
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "pre", "blockquote"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self._prefix: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()
        if tag == "li":
            self.lines[-1] = "- "
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.lines[-1] = "#" * int(tag[1]) + " "

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        self.lines[-1] += " ".join(data.split()) if data.strip() else (" " if data else "")

    def _break(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")


def html_to_text(html: str | None) -> list[str]:
    """The readable lines of an HTML body: headings with #, list items with -, no markup."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    return [line.strip() for line in parser.lines if line.strip()]


def body_diff(old_html: str | None, new_html: str | None, name: str) -> list[str]:
    return list(
        difflib.unified_diff(
            html_to_text(old_html),
            html_to_text(new_html),
            fromfile=f"{name} (Canvas)",
            tofile=f"{name} (curriculum)",
            lineterm="",
            n=1,
        )
    )


def show_value(change: FieldChange, value: object, time_zone: str) -> str:
    if value is None:
        return "(none)"
    if change.field == "due_at" and isinstance(value, str):
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        local = moment.astimezone(ZoneInfo(time_zone))
        return f"{local:%a %Y-%m-%d %H:%M} {local.tzname()}"
    if change.field in {"body", "description"}:
        return "…"
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def describe(action: Action) -> str:
    """One line: symbol, object type, name, reason."""
    kind = object_type_of(action)
    reason = getattr(action, "reason", "")
    drift = " [drift]" if getattr(action, "drift", False) else ""
    return f"{action.symbol} {kind} {action.name!r}{drift}: {reason}".rstrip(": ")


def summary_counts(plan: Plan) -> Counter[str]:
    counts: Counter[str] = Counter()
    for action in plan.actions:
        counts[action.symbol] += 1
    return counts


def summary_line(plan: Plan) -> str:
    counts = summary_counts(plan)
    if not plan.actions:
        return "No changes: the course matches the curriculum."
    return (
        f"Plan: {counts['+']} to create, {counts['~']} to change, {counts['-']} to delete, "
        f"{counts['!']} to review."
    )


def render_text(plan: Plan) -> list[str]:
    """The plan as terminal lines (no colour; the CLI adds it on a TTY)."""
    lines: list[str] = [f"Course {plan.course_id} (times in {plan.time_zone})"]
    for action in plan.actions:
        lines.append(describe(action))
        for change in getattr(action, "changes", ()):
            if change.field in {"body", "description"}:
                continue
            old = show_value(change, change.old, plan.time_zone)
            new = show_value(change, change.new, plan.time_zone)
            lines.append(f"    {change.field}: {old} → {new}")
        if isinstance(action, UpdatePage) and action.body is not None:
            lines += [
                "    " + line for line in body_diff(action.old_body, action.body, action.title)
            ]
        if isinstance(action, UpdateAssignment) and action.description is not None:
            diff = body_diff(action.old_description, action.description, action.title)
            lines += ["    " + line for line in diff]
    lines.append(summary_line(plan))
    return lines


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as versioned JSON-ready data (docs/plan-json.md describes the schema)."""
    actions = []
    for action in plan.actions:
        data = dataclasses.asdict(action)
        data = {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}
        actions.append(
            {
                "action": type(action).__name__,
                "symbol": action.symbol,
                "object_type": object_type_of(action),
                "name": action.name,
                "writes": action.writes,
                **data,
            }
        )
    counts = summary_counts(plan)
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "course_id": plan.course_id,
        "time_zone": plan.time_zone,
        "summary": {
            "create": counts["+"],
            "update": counts["~"],
            "delete": counts["-"],
            "review": counts["!"],
            "writes": len(plan.writes),
        },
        "actions": actions,
    }


def render_json(plan: Plan) -> str:
    return json.dumps(plan_to_dict(plan), indent=2, sort_keys=True, default=str) + "\n"
