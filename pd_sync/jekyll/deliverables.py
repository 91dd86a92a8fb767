"""Deliverables from a module index's ``Deliverables`` section, with relative due dates.

Each top-level item of the section's list is one deliverable. Its title is the bold text it
opens with (``**LinkedIn rough draft** that includes:``), else the text of its first link,
else its first words; its description is the whole item. Its due date is the
``EOD <Weekday> of Week <N>`` it names — the one on a line saying "final" when it names
several (a first draft date and a final date) — read as ``<Weekday> of week <N> at 23:59``
("end of day"). An item with no such date ("by EOD Friday of the respective week") cannot
become an assignment, and says why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pd_sync.curriculum import WEEKDAYS, RelativeDue
from pd_sync.jekyll.sections import ListItem, find_section, list_items, plain_text

END_OF_DAY = dt.time(23, 59)
_DUE = re.compile(
    r"\b(?:EOD|end of (?:the )?day)\s+(?:on\s+)?(" + "|".join(WEEKDAYS) + r")\s+of\s+"
    r"(?:the\s+)?week\s+(\d{1,2})\b",
    re.IGNORECASE,
)
_LEADING_BOLD = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)")
_FIRST_LINK = re.compile(r"\[([^\]]+)\]\(")


@dataclass(frozen=True)
class FoundDeliverable:
    """A deliverable read from the index. ``due`` is ``None`` when no week could be read.

    ``line`` is the 1-based line of the item in the text it was read from; ``written`` is the
    due phrase as the site wrote it.
    """

    title: str
    description: str
    due: RelativeDue | None
    written: str
    line: int


def find_deliverables(text: str) -> tuple[FoundDeliverable, ...]:
    """The deliverables listed under a ``Deliverables`` heading of ``text``, in order."""
    section = find_section(text, r"^deliverables\b")
    if section is None:
        return ()
    return tuple(_deliverable(item) for item in list_items(section))


def _deliverable(item: ListItem) -> FoundDeliverable:
    due, written = _due(item.lines)
    return FoundDeliverable(_title(item), item.text.strip() + "\n", due, written, item.line)


def _title(item: ListItem) -> str:
    first = item.lines[0]
    bold = _LEADING_BOLD.match(first)
    if bold is not None and plain_text(bold.group(1)):
        return _capitalised(plain_text(bold.group(1)))
    link = _FIRST_LINK.search(first)
    if link is not None and plain_text(link.group(1)):
        return _capitalised(plain_text(link.group(1)))
    words = plain_text(first).split()
    return _capitalised(" ".join(words[:8])) or "Deliverable"


def _capitalised(title: str) -> str:
    return title[:1].upper() + title[1:]


def _due(lines: tuple[str, ...]) -> tuple[RelativeDue | None, str]:
    found: list[tuple[bool, re.Match[str]]] = []
    for line in lines:
        flat = plain_text(line)
        found.extend(("final" in flat.lower(), m) for m in _DUE.finditer(flat))
    if not found:
        return None, ""
    finals = [m for is_final, m in found if is_final]
    match = finals[-1] if finals else found[-1][1]
    weekday = match.group(1).lower()
    day = next(d for d in WEEKDAYS if d == weekday)
    return RelativeDue(week=int(match.group(2)), weekday=day, time=END_OF_DAY), match.group(0)
