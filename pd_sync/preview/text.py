"""PURE: Plan → what a person reads (terminal text) or a program reads (JSON), plus the
helpers the Markdown (``preview_markdown``) and HTML (``preview_html``) renderers share.

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
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pd_sync.plan import (
    Action,
    CreateAssignment,
    CreatePage,
    FieldChange,
    Plan,
    UpdateAssignment,
    UpdatePage,
    object_type_of,
)
from pd_sync.preview.inert import json_text, one_line

JSON_SCHEMA_VERSION = 1
SYMBOL_COLOURS = {"+": "green", "~": "yellow", "-": "red", "!": "magenta"}
BODY_FIELDS = frozenset({"body", "description"})
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "pre", "blockquote"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]

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
        self.lines[-1] += data  # whitespace is collapsed per line in html_to_text

    def _break(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")


def html_to_text(html: str | None) -> list[str]:
    """The readable lines of an HTML body: headings with #, list items with -, no markup."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    # One diff line per block, whatever the body holds: white space (CR, LF, separators) is
    # collapsed and the remaining controls (ESC, BEL, bidi overrides) shown as escapes.
    lines = (one_line(" ".join(line.split())) for line in parser.lines)
    return [line for line in lines if line]


def body_diff(old_html: str | None, new_html: str | None, name: str) -> list[str]:
    return list(
        difflib.unified_diff(
            html_to_text(old_html),
            html_to_text(new_html),
            fromfile=f"{one_line(name)} (Canvas)",
            tofile=f"{one_line(name)} (curriculum)",
            lineterm="",
            n=1,
        )
    )


def show_value(change: FieldChange, value: object, time_zone: str) -> str:
    """A field value as one inert line (titles and names come from the curriculum or Canvas)."""
    return one_line(_shown(change, value, time_zone))


def _shown(change: FieldChange, value: object, time_zone: str) -> str:
    if value is None:
        return "(none)"
    if change.field == "due_at" and isinstance(value, str):
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        local = moment.astimezone(ZoneInfo(time_zone))
        return f"{local:%a %Y-%m-%d %H:%M} {local.tzname()}"
    if change.field in BODY_FIELDS:
        return "…"
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def is_drift(action: Action) -> bool:
    return bool(getattr(action, "drift", False))


def field_changes(action: Action, time_zone: str) -> list[tuple[str, str, str]]:
    """``(field, old, new)`` as a reader sees them (due dates local); bodies go to the diff."""
    shown = [
        (c.field, show_value(c, c.old, time_zone), show_value(c, c.new, time_zone))
        for c in getattr(action, "changes", ())
        if c.field not in BODY_FIELDS
    ]
    if isinstance(action, UpdatePage) and action.new_url != action.url:
        shown.append(("url", one_line(action.url), one_line(action.new_url)))
    return shown


def bodies(action: Action) -> tuple[str | None, str] | None:
    """``(old, new)`` HTML of the page body or description this action sends, else None.

    ``old`` is None for a create; an update that leaves the body alone sends none.
    """
    if isinstance(action, UpdatePage) and action.body is not None:
        return action.old_body, action.body
    if isinstance(action, UpdateAssignment) and action.description is not None:
        return action.old_description, action.description
    if isinstance(action, CreatePage):
        return None, action.body
    if isinstance(action, CreateAssignment):
        return None, action.description
    return None


def action_diff(action: Action) -> list[str]:
    """The readable text diff of the body this action sends (all ``+`` lines for a create)."""
    pair = bodies(action)
    return [] if pair is None else body_diff(pair[0], pair[1], action.name)


def describe(action: Action) -> str:
    """One line: symbol, object type, name (its ``repr``, so controls are escapes), reason."""
    kind = object_type_of(action)
    reason = one_line(getattr(action, "reason", ""))
    drift = " [drift]" if is_drift(action) else ""
    return f"{action.symbol} {kind} {action.name!r}{drift}: {reason}".rstrip(": ")


def summary_counts(plan: Plan) -> Counter[str]:
    counts: Counter[str] = Counter()
    for action in plan.actions:
        counts[action.symbol] += 1
    return counts


def counts_by_type(plan: Plan) -> list[tuple[str, Counter[str]]]:
    """Per object type (in plan order), how many actions of each symbol."""
    rows: dict[str, Counter[str]] = {}
    for action in plan.actions:
        rows.setdefault(object_type_of(action), Counter())[action.symbol] += 1
    return list(rows.items())


def summary_line(plan: Plan) -> str:
    counts = summary_counts(plan)
    if not plan.actions:
        return "No changes: the course matches the curriculum."
    return (
        f"Plan: {counts['+']} to create, {counts['~']} to change, {counts['-']} to delete, "
        f"{counts['!']} to review."
    )


def target_line(plan: Plan) -> str:
    """What the plan would change, said first in every view:
    ``Canvas canvas.example.edu · course 1234 "PD Inning 2701" · cohort 2701``.

    The host is the one the course was read from ("(sandbox)" after it for the embedded
    sandbox), the name as Canvas reports it; a part the plan does not know is left out.
    """
    target = plan.target
    host = urlsplit(target.url).netloc or target.url
    course = f"course {plan.course_id}"
    if target.course_name:
        course += f' "{one_line(target.course_name)}"'
    parts = [f"Canvas {one_line(host)}", course] if host else [f"Canvas {course}"]
    if target.sandbox:
        parts[0] += " (sandbox)"
    return " · ".join(parts + ([f"cohort {one_line(target.cohort)}"] if target.cohort else []))


def render_text(plan: Plan) -> list[str]:
    """The plan as terminal lines (no colour: ``line_colour`` says what a terminal may add)."""
    lines: list[str] = [target_line(plan), f"Times in {plan.time_zone}."]
    for action in plan.actions:
        lines.append(describe(action))
        lines += [
            f"    {name}: {old} → {new}" for name, old, new in field_changes(action, plan.time_zone)
        ]
        if isinstance(action, UpdatePage | UpdateAssignment):
            lines += ["    " + line for line in action_diff(action)]
    lines.append(summary_line(plan))
    lines += note_lines(plan)
    return lines


def note_lines(plan: Plan) -> list[str]:
    """The plan's notes, one line each: how Canvas was read, nothing to review."""
    return [f"Note: {one_line(note)}" for note in plan.notes]


def line_colour(line: str) -> str | None:
    """The colour of a ``render_text`` line on a terminal: action lines by symbol, diff lines
    green (added) or red (removed); None for the rest."""
    stripped = line.lstrip()
    if line == stripped and stripped[:2] in {"+ ", "- ", "~ ", "! "}:
        return SYMBOL_COLOURS[line[0]]
    diff_line = line != stripped and stripped[:1] in {"+", "-"}
    if diff_line and not stripped.startswith(("+++", "---")):
        return SYMBOL_COLOURS[stripped[0]]
    return None


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
        "target": {
            "url": plan.target.url,
            "host": urlsplit(plan.target.url).netloc,
            "course_id": plan.course_id,
            "course_name": plan.target.course_name,
            "cohort": plan.target.cohort,
            "sandbox": plan.target.sandbox,
            "line": target_line(plan),
        },
        "time_zone": plan.time_zone,
        "summary": {
            "create": counts["+"],
            "update": counts["~"],
            "delete": counts["-"],
            "review": counts["!"],
            "writes": len(plan.writes),
            "drift": sum(1 for action in plan.actions if is_drift(action)),
        },
        "actions": actions,
        "notes": list(plan.notes),
    }


def render_json(plan: Plan) -> str:
    return json_text(json.dumps(plan_to_dict(plan), indent=2, sort_keys=True, default=str)) + "\n"
