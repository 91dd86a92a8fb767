"""PURE: Plan → what a person reads (terminal text) or a program reads (JSON), plus the
helpers the Markdown (``preview_markdown``) and HTML (``preview_html``) renderers share.

Bodies are shown as readable text diffs, not HTML; due dates in the course's time zone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import textwrap
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
_DIFF_COLOURS = {"+": "green", "-": "red"}
_INDENT = "    "  # field and diff lines, under their action
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


TextLine = tuple[str, str | None]


def terminal_lines(plan: Plan) -> list[TextLine]:
    """The plan as terminal lines, each with the colour a terminal may give it: an action line
    its symbol's, a diff line green (added) or red (removed); None for the rest — the diff's
    header and unchanged context lines included, whatever their text starts with."""
    lines: list[TextLine] = [(target_line(plan), None), (f"Times in {plan.time_zone}.", None)]
    for action in plan.actions:
        lines.append((describe(action), SYMBOL_COLOURS[action.symbol]))
        lines += [
            (f"    {name}: {old} → {new}", None)
            for name, old, new in field_changes(action, plan.time_zone)
        ]
        if isinstance(action, UpdatePage | UpdateAssignment):
            diff = action_diff(action)
            # The first two lines are the ---/+++ header; after it, the first character of a
            # line says what it is: "+", "-", " " (context) or "@" (a hunk's range).
            lines += [(_INDENT + line, None) for line in diff[:2]]
            lines += [(_INDENT + line, _DIFF_COLOURS.get(line[:1])) for line in diff[2:]]
    lines.append((summary_line(plan), None))
    lines += [(line, None) for line in note_lines(plan)]
    return lines


def render_text(plan: Plan) -> list[str]:
    """The plan as terminal lines without colour (``terminal_lines`` has the colours)."""
    return [text for text, _ in terminal_lines(plan)]


def wrap_line(line: str, width: int) -> list[str]:
    """A ``render_text`` line in pieces of at most ``width`` characters, broken at spaces where
    it can be, each piece after the first under the line's indent (and its diff mark: the text
    of a diff line starts after it).

    A line without indent (an action, the summary) is left for the terminal to wrap, and so is
    everything when ``width`` is too small to leave room after the indent.
    """
    if not line.startswith(_INDENT) or len(line) <= width:
        return [line]
    # Under the indent a field line has its name, a diff line its mark ("+", "-", " ").
    indent = len(_INDENT) + (line[len(_INDENT)] in {"+", "-", " "})
    room = width - indent
    if room < 10:
        return [line]
    pieces = textwrap.wrap(
        line[indent:], room, break_on_hyphens=False, drop_whitespace=True, replace_whitespace=False
    ) or [""]
    return [line[:indent] + pieces[0]] + [" " * indent + piece for piece in pieces[1:]]


def note_lines(plan: Plan) -> list[str]:
    """The plan's notes, one line each: how Canvas was read, nothing to review."""
    return [f"Note: {one_line(note)}" for note in plan.notes]


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
        "up_to_date": [list(entry) for entry in plan.up_to_date],
    }


def render_json(plan: Plan) -> str:
    return json_text(json.dumps(plan_to_dict(plan), indent=2, sort_keys=True, default=str)) + "\n"
