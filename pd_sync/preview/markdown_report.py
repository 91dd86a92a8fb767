"""PURE: Plan → GitHub-flavoured Markdown for a sticky pull-request comment and a job summary.

The text starts with a hidden marker line (``<!-- pd-sync-plan cohort=NAME -->``) a workflow
searches for to update its own comment, then the summary, whether the plan prunes, and a table
of counts per object type. Then each update, deletion and review: a collapsed ``<details>`` with
its field changes and a readable diff of its body when it has either, else one line. Creates
come last, listed compactly by ``markdown_creates`` (a row or a line each, no bodies), so a first
sync stays short.

GitHub refuses comments over 65,536 characters, so the whole stays under ``limit``: when it
would not, things are given up from the end in a fixed order (``_downgrades``) and a note says
how many, linking the run's full report when there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pd_sync.plan import Action, Plan, object_type_of
from pd_sync.preview.inert import (
    comment_text,
    markdown_code_line,
    markdown_html,
    markdown_text,
    markdown_url,
)
from pd_sync.preview.markdown_creates import LISTED, Entry, Section, create_sections
from pd_sync.preview.text import (
    PRUNE_OFF,
    PRUNE_ON,
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
    """One collapsed block: symbol, type and name in the summary; changes and diff inside.
    Empty when the action has neither: its one line says all there is."""
    changes = field_changes(action, time_zone)
    diff = [markdown_code_line(_clip(line)) for line in action_diff(action)]
    if not changes and not diff:
        return ""
    title = (
        f"<code>{action.symbol}</code> {markdown_html(object_type_of(action))} "
        f"<b>{markdown_html(action.name)}</b> — {markdown_html(_reason(action))}"
    )
    parts = [f"<details><summary>{title}</summary>", ""]
    if changes:
        parts += ["| field | in Canvas | after apply |", "|---|---|---|"]
        parts += [
            f"| {n} | {markdown_text(old)} | {markdown_text(new)} |" for n, old, new in changes
        ]
        parts.append("")
    if len(diff) > MAX_DIFF_LINES:
        more = len(diff) - MAX_DIFF_LINES
        diff = [*diff[:MAX_DIFF_LINES], f"… {more} more line{'s' if more != 1 else ''}"]
    if diff:
        parts += [_fenced(diff, "diff"), ""]
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


def _prune_line(plan: Plan) -> str:
    # The words are text's (every view says the same), set in Markdown: no curriculum text.
    line = (PRUNE_ON if plan.prune else PRUNE_OFF).replace("--prune", "`--prune`")
    state, rest = line.split(" — ", 1)
    return f"**{state}** — {rest}"


def _head(plan: Plan, cohort: str) -> str:
    lines = [
        marker_line(cohort),
        f"### pd-sync plan for cohort {markdown_text(cohort)} (Canvas course {plan.course_id})",
        "",
        markdown_text(target_line(plan)),
        "",
        _prune_line(plan),
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


@dataclass
class _Cut:
    """What the comment left out so far, for its note."""

    details: int = 0  # changes shown as one line instead of their details
    lists: int = 0  # creates' lists of titles shown as a count
    unlisted: int = 0  # actions not shown at all

    def note(self, report_url: str | None) -> str:
        parts = []
        if self.details:
            parts.append(f"details of {_changes(self.details)} omitted")
        if self.lists:
            noun = "list" if self.lists == 1 else "lists"
            parts.append(f"{self.lists} {noun} of names cut to a count")
        if self.unlisted:
            parts.append(f"{_changes(self.unlisted, 'more ')} not listed")
        if not parts:
            return ""
        text = "; ".join(parts)
        link = markdown_url(report_url) if report_url else None
        where = (
            f"see the full plan in [the run's report]({link})"
            if link
            else "run `pd-sync plan` for the full plan"
        )
        return (
            f"_{text[0].upper()}{text[1:]} to stay under GitHub's comment size limit; {where}._\n"
        )


def _changes(count: int, more: str = "") -> str:
    return f"{count} {more}change{'s' if count != 1 else ''}"


def _change_section(plan: Plan) -> Section:
    """Every action not listed compactly: its details when it has any, else its one line."""
    entries = []
    for action in plan.actions:
        if isinstance(action, LISTED):
            continue
        line = _one_line(action)
        block = _details(action, plan.time_zone)
        entries.append(Entry(block or line, line, 1))
    return Section("", tuple(entries), creates=False)


_Flat = list[tuple[int, Entry, bool]]  # (section number, entry, is a create) in comment order


def _downgrades(flat: _Flat) -> list[tuple[int, int]]:
    """``(entry, level)`` steps in the order the comment gives things up, each from the end:
    creates' lists of names, then creates, then changes' details, then changes. Level 1 is the
    short form, 2 left out. What a reviewer must weigh (edits of what is in Canvas) goes last;
    creates are counted in the table whatever is cut."""
    steps: list[tuple[int, int]] = []
    for creates in (True, False):
        mine = [index for index in reversed(range(len(flat))) if flat[index][2] == creates]
        steps += [(index, 1) for index in mine if flat[index][1].shortens]
        steps += [(index, 2) for index in mine]
    return steps


def _fit(head: str, sections: list[Section], limit: int, report_url: str | None) -> str:
    """``head`` and as much of ``sections`` as fit in ``limit`` characters, with a note of
    what was left out. Lengths are kept as running sums, so a plan of 10,000 actions is one
    pass over its entries rather than one rendering per attempt."""
    flat: _Flat = [
        (number, entry, section.creates)
        for number, section in enumerate(sections)
        for entry in section.entries
    ]
    level = [0] * len(flat)
    shown = [len(section.entries) for section in sections]
    frame = [len(section.header) + len(section.trailer) for section in sections]
    body = sum(len(entry.full) for _, entry, _ in flat) + sum(
        size for size, count in zip(frame, shown, strict=True) if count
    )
    cut = _Cut()
    steps: list[tuple[int, int] | None] = [None, *_downgrades(flat)]
    for step in steps:
        if step is not None:
            index, new = step
            number, entry, creates = flat[index]
            texts = (entry.full, entry.short, "")
            body += len(texts[new]) - len(texts[level[index]])
            if level[index] == 0 and entry.shortens:
                if creates:
                    cut.lists += 1
                else:
                    cut.details += 1
            if new == 2:
                cut.unlisted += entry.actions
                if creates and level[index] == 1 and entry.shortens:
                    cut.lists -= 1
                shown[number] -= 1
                if not shown[number]:
                    body -= frame[number]
            level[index] = new
        note = cut.note(report_url)
        if len(head) + body + len(note) <= limit:
            return head + _render(sections, flat, level) + note
    return head[:limit]


def _render(sections: list[Section], flat: _Flat, level: list[int]) -> str:
    parts: dict[int, list[str]] = {}
    for (number, entry, _), at in zip(flat, level, strict=True):
        if at < 2:
            parts.setdefault(number, []).append(entry.short if at else entry.full)
    return "".join(
        sections[n].header + "".join(texts) + sections[n].trailer for n, texts in parts.items()
    )


def render_markdown(
    plan: Plan, cohort: str, limit: int = COMMENT_LIMIT, report_url: str | None = None
) -> str:
    """The plan as Markdown no longer than ``limit`` characters (as GitHub counts them:
    code points, which ``len`` counts). When something must be left out, the note links
    ``report_url`` (an http(s) address of the full report), else names ``pd-sync plan``."""
    sections = [_change_section(plan), *create_sections(plan)]
    return _fit(_head(plan, cohort), [s for s in sections if s.entries], limit, report_url)
