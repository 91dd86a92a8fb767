"""Reading the structure of a page's Markdown: its sections, their list items, plain text.

What ``weeks.py``, ``goals.py`` and ``deliverables.py`` read a module index with. Line by
line, as a person scans a page: what is not found is simply not found, and the page itself
keeps all of its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ITEM = re.compile(r"^( *)([*+-]|\d{1,9}[.)])( +|$)(.*)$")


@dataclass(frozen=True)
class Section:
    """The lines under a heading, up to the next heading of the same or a higher level.

    ``first_line`` is the 1-based line of the first line after the heading.
    """

    title: str
    level: int
    first_line: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ListItem:
    """A top-level list item: its lines with the marker removed and the indent taken off."""

    line: int
    lines: tuple[str, ...]
    children: tuple[str, ...]  # the text of its directly nested items

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def without_comments(text: str) -> str:
    """``text`` with HTML comments blanked out, keeping every line where it was."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def sections(text: str) -> tuple[Section, ...]:
    """Every ATX-heading section of ``text`` (headings in code fences are not headings)."""
    lines = without_comments(text).split("\n")
    headings: list[tuple[int, int, str]] = []  # (index, level, title)
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is not None:
            headings.append((index, len(match.group(1)), plain_text(match.group(2))))
    found: list[Section] = []
    for position, (index, level, title) in enumerate(headings):
        end = next((i for i, lv, _ in headings[position + 1 :] if lv <= level), len(lines))
        found.append(Section(title, level, index + 2, tuple(lines[index + 1 : end])))
    return tuple(found)


def find_section(text: str, pattern: str) -> Section | None:
    """The first section whose title matches ``pattern`` (a regex, case-insensitive)."""
    wanted = re.compile(pattern, re.IGNORECASE)
    return next((s for s in sections(text) if wanted.search(s.title)), None)


def list_items(section: Section) -> tuple[ListItem, ...]:
    """The top-level list items of a section, each with its continuation lines."""
    items: list[ListItem] = []
    current: list[str] = []
    start = 0
    indent = 0
    for offset, line in enumerate(section.lines):
        match = _ITEM.match(line)
        if match is not None and len(match.group(1)) <= 3 and not _continues(line, indent):
            if current:
                items.append(_item(start, current))
            start, indent = section.first_line + offset, len(match.group(1) + match.group(2)) + 1
            current = [match.group(4)]
        elif current and (not line.strip() or line.startswith(" ") or _lazy(current, line)):
            current.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
        elif current:
            items.append(_item(start, current))
            current = []
    if current:
        items.append(_item(start, current))
    return tuple(items)


def _continues(line: str, indent: int) -> bool:
    """A marker indented as far as the previous item's content belongs to that item."""
    return indent > 0 and len(line) - len(line.lstrip(" ")) >= indent


def _lazy(current: list[str], line: str) -> bool:
    """A non-indented line straight after item text continues it (CommonMark laziness)."""
    return bool(current[-1].strip()) and not _HEADING.match(line)


def _item(start: int, lines: list[str]) -> ListItem:
    while lines and not lines[-1].strip():
        lines.pop()
    nested = [m for m in (_ITEM.match(line) for line in lines[1:]) if m is not None]
    shallowest = min((len(m.group(1)) for m in nested), default=0)
    children = tuple(m.group(4).strip() for m in nested if len(m.group(1)) == shallowest)
    return ListItem(start, tuple(lines), children)


def plain_text(markdown: str) -> str:
    """Inline Markdown → its text: links become their text, emphasis and code marks go."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)(\{:[^}]*\})?", r"\1", markdown)
    text = re.sub(r"<[^<>]+>", "", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip()
