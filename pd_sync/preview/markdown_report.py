"""PURE: Plan → GitHub-flavoured Markdown for a sticky pull-request comment and a job summary.

The text starts with a hidden marker line (``<!-- pd-sync-plan cohort=NAME -->``) a workflow
searches for to update its own comment, then the summary, a table of counts per object type, and
one collapsed ``<details>`` per action with its field changes and a readable diff of its body.
GitHub refuses comments over 65,536 characters, so the whole stays under ``COMMENT_LIMIT``: when
it would not, the last actions lose their details first (kept as one line each), then those lines
too, and the text says how many were left out.
"""

from __future__ import annotations

import re

from pd_sync.plan import Action, Plan, object_type_of
from pd_sync.preview.inert import comment_text, markdown_code_line, markdown_html, markdown_text
from pd_sync.preview.text import (
    action_diff,
    counts_by_type,
    field_changes,
    is_drift,
    summary_counts,
    summary_line,
    target_line,
)

COMMENT_LIMIT = 65_000
MAX_DIFF_LINES = 80
MAX_LINE_CHARS = 300
_SYMBOLS = ("+", "~", "-", "!")
_NO_DETAILS = {
    "+": "Created in Canvas on apply.",
    "~": "Updated in Canvas on apply.",
    "-": "Deleted from Canvas on apply.",
    "!": "Nothing is sent to Canvas for this: review it.",
}


def marker_line(cohort: str) -> str:
    """The hidden first line naming the cohort (newlines and ``--`` made harmless)."""
    return f"<!-- pd-sync-plan cohort={comment_text(cohort)} -->"


# Every value from Canvas or the curriculum goes through pd_sync.preview.inert: markdown_text
# in Markdown text and table cells, markdown_html inside <summary>, markdown_code_line in the
# fenced diff. pd-sync's own words (symbols, field names, counts) are written as they are.


def _clip(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[: MAX_LINE_CHARS - 1] + "…"


def _fenced(lines: list[str], language: str) -> str:
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + language, *lines, fence])


def _reason(action: Action) -> str:
    reason = str(getattr(action, "reason", ""))
    return f"{reason} (drift)" if is_drift(action) and "drift" not in reason else reason


def _details(action: Action, time_zone: str) -> str:
    """One collapsed block: symbol, type and name in the summary; changes and diff inside."""
    title = (
        f"<code>{action.symbol}</code> {markdown_html(object_type_of(action))} "
        f"<b>{markdown_html(action.name)}</b> — {markdown_html(_reason(action))}"
    )
    parts = [f"<details><summary>{title}</summary>", ""]
    changes = field_changes(action, time_zone)
    if changes:
        parts += ["| field | in Canvas | after apply |", "|---|---|---|"]
        parts += [
            f"| {n} | {markdown_text(old)} | {markdown_text(new)} |" for n, old, new in changes
        ]
        parts.append("")
    diff = [markdown_code_line(_clip(line)) for line in action_diff(action)]
    if len(diff) > MAX_DIFF_LINES:
        more = len(diff) - MAX_DIFF_LINES
        diff = [*diff[:MAX_DIFF_LINES], f"… {more} more line{'s' if more != 1 else ''}"]
    if diff:
        parts += [_fenced(diff, "diff"), ""]
    if not changes and not diff:
        parts += [_NO_DETAILS.get(action.symbol, ""), ""]
    parts.append("</details>")
    return "\n".join(parts) + "\n\n"


def _one_line(action: Action) -> str:
    kind, name = markdown_text(object_type_of(action)), markdown_text(action.name)
    return f"- `{action.symbol}` {kind} **{name}** — {markdown_text(_reason(action))}\n"


def _table(plan: Plan) -> list[str]:
    rows = ["| object type | + create | ~ update | - delete | ! review |", "|---|--:|--:|--:|--:|"]
    for kind, counts in counts_by_type(plan):
        rows.append(
            f"| {markdown_text(kind)} | " + " | ".join(str(counts[s]) for s in _SYMBOLS) + " |"
        )
    total = summary_counts(plan)
    rows.append("| **total** | " + " | ".join(f"**{total[s]}**" for s in _SYMBOLS) + " |")
    return rows


def _head(plan: Plan, cohort: str) -> str:
    lines = [
        marker_line(cohort),
        f"### pd-sync plan for cohort {markdown_text(cohort)} (Canvas course {plan.course_id})",
        "",
        markdown_text(target_line(plan)),
        "",
    ]
    notes = [f"_Note: {markdown_text(note)}._" for note in plan.notes]
    if not plan.actions:
        lines.append(f"**{summary_line(plan)}**")
        if plan.up_to_date:
            lines.append(f"{len(plan.up_to_date)} objects checked, all up to date.")
        lines += ["", *notes] if notes else []
        return "\n".join(lines) + "\n"
    drift = sum(1 for action in plan.actions if is_drift(action))
    facts = [f"{len(plan.writes)} write{'s' if len(plan.writes) != 1 else ''} on apply"]
    if drift:
        facts.append(f"{drift} edited in Canvas since the last sync (drift)")
    facts.append(f"times in {markdown_text(plan.time_zone)}")
    lines += [f"**{summary_line(plan)}** " + "; ".join(facts) + ".", ""]
    lines += [*notes, ""] if notes else []
    lines += [*_table(plan), ""]
    return "\n".join(lines) + "\n"


def _omitted(details: int, listed: int) -> str:
    notes = []
    if details:
        noun = "change" if details == 1 else "changes"
        notes.append(f"details of {details} {noun} omitted")
    if listed:
        noun = "change" if listed == 1 else "changes"
        notes.append(f"{listed} more {noun} not listed")
    if not notes:
        return ""
    text = "; ".join(notes)
    return (
        f"_{text[0].upper()}{text[1:]} to stay under GitHub's comment size limit; "
        "run `pd-sync plan` for the full plan._\n"
    )


def render_markdown(plan: Plan, cohort: str, limit: int = COMMENT_LIMIT) -> str:
    """The plan as Markdown no longer than ``limit`` characters."""
    head = _head(plan, cohort)
    blocks = [_details(action, plan.time_zone) for action in plan.actions]
    full = head + "".join(blocks)
    if len(full) <= limit:
        return full
    lines = [_one_line(action) for action in plan.actions]
    count = len(blocks)
    kept_chars = [0]  # kept_chars[k]: characters of blocks[:k]
    for block in blocks:
        kept_chars.append(kept_chars[-1] + len(block))
    listed_chars = [0] * (count + 1)  # listed_chars[k]: characters of lines[k:]
    for index in range(count - 1, -1, -1):
        listed_chars[index] = listed_chars[index + 1] + len(lines[index])
    # Most details first: keep blocks[:kept] in full and list the rest as one line each.
    for kept in range(count - 1, -1, -1):
        note = "\n" + _omitted(count - kept, 0)
        if len(head) + kept_chars[kept] + listed_chars[kept] + len(note) <= limit:
            return head + "".join(blocks[:kept]) + "".join(lines[kept:]) + note
    # Not even one line per change fits: list as many as fit.
    for listed in range(count, -1, -1):
        note = "\n" + _omitted(count, count - listed)
        if len(head) + listed_chars[0] - listed_chars[listed] + len(note) <= limit:
            return head + "".join(lines[:listed]) + note
    return head[:limit]
