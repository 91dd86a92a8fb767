"""Deliverables from a module index, with relative due dates, however people phrase them.

Every section whose heading names deliverables ("Deliverables", "Weekly Breakdown &
Deliverables") is read; each top-level item of its lists (numbered or bulleted) is one
deliverable, except bullets that are weeks (``Week 2: …``), which the weekly breakdown reads.
Its title is the bold text it opens with (``**LinkedIn rough draft** that includes:``), else the
text of its first link, else its words up to the first comma, colon or due phrase.

Due phrases, bold or not, in any letter case: ``<Weekday> of week <N>`` with or without "EOD",
"due by", "must be turned in by" before it; and ``by the end of week <N>``. When an item names
several dates (a first draft and a final date), the one on a line saying "final" wins, else the
last. Everything is due at the end of its day (23:59), since "EOD" is how the site writes it and
"by Thursday" means before Thursday is over; "the end of week N" is its Friday, the last
teaching day of a week on these sites.

An item due "of the respective week" whose nested items each name a week (the exit tickets of
each lesson) is one deliverable per nested item, due that weekday of its week. An item with no
date stays undated (``due is None``) for the caller to report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pd_sync.curriculum import WEEKDAYS, RelativeDue, Weekday
from pd_sync.jekyll.sections import ListItem, list_items, plain_text, sections

END_OF_DAY = dt.time(23, 59)
LAST_TEACHING_DAY: Weekday = "friday"
_WEEKDAY = "(" + "|".join(WEEKDAYS) + ")"
_DAY_OF_WEEK = re.compile(
    r"\b" + _WEEKDAY + r"\s+(?:of|in)\s+(?:the\s+)?week\s+(\d{1,2})\b", re.IGNORECASE
)
_END_OF_WEEK = re.compile(r"\bend\s+of\s+(?:the\s+)?week\s+(\d{1,2})\b", re.IGNORECASE)
_EACH_WEEK = re.compile(
    r"\b" + _WEEKDAY + r"\s+(?:of|in)\s+(?:the|each|every)\s+(?:respective\s+)?week\b", re.I
)
_NAMES_WEEK = re.compile(r"\bweek\s+(\d{1,2})\b", re.IGNORECASE)
_WEEK_BULLET = re.compile(r"^[\s*_\[]*week\s+\d{1,2}\b[\s*_\]]*[:(\-–—]", re.IGNORECASE)
_LEADING_BOLD = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)")
_FIRST_LINK = re.compile(r"\[([^\]]+)\]\(")
_TITLE_END = re.compile(
    r"[,:;(]|\s(?:is\s+|are\s+)?(?:due|by|must|should|submitted|through)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class FoundDeliverable:
    """A deliverable read from the index. ``due`` is ``None`` when no date could be read.

    ``line`` is the 1-based line of the item in the text it was read from; ``written`` is the
    due phrase as the site wrote it.
    """

    title: str
    description: str
    due: RelativeDue | None
    written: str
    line: int


def find_deliverables(text: str) -> tuple[FoundDeliverable, ...]:
    """The deliverables listed under every heading of ``text`` that names deliverables."""
    found: list[FoundDeliverable] = []
    read_until = 0  # a section inside one already read is not read twice
    for section in sections(text):
        if not re.search(r"deliverable", section.title, re.IGNORECASE):
            continue
        if section.first_line < read_until:
            continue
        read_until = section.first_line + len(section.lines)
        for item in list_items(section):
            if _WEEK_BULLET.match(item.lines[0]):
                continue
            found.extend(_deliverables(item))
    return tuple(found)


def due_in(text: str) -> tuple[RelativeDue | None, str]:
    """The due date one line of Markdown names, and the phrase as written."""
    flat = plain_text(text)
    matches = sorted(
        [(m.start(), m) for m in _DAY_OF_WEEK.finditer(flat)]
        + [(m.start(), m) for m in _END_OF_WEEK.finditer(flat)],
        key=lambda pair: pair[0],
    )
    if not matches:
        return None, ""
    match = matches[-1][1]
    if match.re is _END_OF_WEEK:
        return RelativeDue(int(match.group(1)), LAST_TEACHING_DAY, END_OF_DAY), match.group(0)
    return RelativeDue(int(match.group(2)), _day(match.group(1)), END_OF_DAY), match.group(0)


def _deliverables(item: ListItem) -> list[FoundDeliverable]:
    split = _per_week(item)
    if split:
        return split
    due, written = _due(item.lines)
    return [
        FoundDeliverable(_title(item.lines[0]), item.text.strip() + "\n", due, written, item.line)
    ]


def _per_week(item: ListItem) -> list[FoundDeliverable]:
    """One deliverable per nested item naming a week, when the item is due "each week"."""
    each = next((m for m in (_EACH_WEEK.search(plain_text(x)) for x in item.lines) if m), None)
    if each is None or not item.children:
        return []
    found: list[FoundDeliverable] = []
    for child in item.children:
        week = _NAMES_WEEK.search(plain_text(child))
        if week is None:
            return []  # not a list of weeks: one deliverable, which says why it is undated
        due = RelativeDue(int(week.group(1)), _day(each.group(1)), END_OF_DAY)
        offset = next((i for i, line in enumerate(item.lines) if child in line), 0)
        description = f"{item.lines[0].strip()}\n\n{child}\n"
        found.append(
            FoundDeliverable(_title(child), description, due, each.group(0), item.line + offset)
        )
    return found


def _title(first: str) -> str:
    bold = _LEADING_BOLD.match(first)
    if bold is not None and plain_text(bold.group(1)):
        return _capitalised(plain_text(bold.group(1)))
    link = _FIRST_LINK.search(first)
    if link is not None and plain_text(link.group(1)):
        return _capitalised(plain_text(link.group(1)))
    text = plain_text(first)
    end = _TITLE_END.search(text)
    words = (text[: end.start()] if end and end.start() > 0 else text).split()
    return _capitalised(" ".join(words[:8]).rstrip(".")) or "Deliverable"


def _capitalised(title: str) -> str:
    return title[:1].upper() + title[1:]


def _due(lines: tuple[str, ...]) -> tuple[RelativeDue | None, str]:
    found: list[tuple[bool, RelativeDue, str]] = []
    for line in lines:
        due, written = due_in(line)
        if due is not None:
            found.append(("final" in plain_text(line).lower(), due, written))
    if not found:
        return None, ""
    finals = [(due, written) for is_final, due, written in found if is_final]
    return finals[-1] if finals else (found[-1][1], found[-1][2])


def _day(name: str) -> Weekday:
    return next(d for d in WEEKDAYS if d == name.lower())
