"""Learning goals by competency, in the forms a site writes them.

A competency is a name followed by its goals, written as

- a bold list item with the goals nested under it (``* **Networking:**`` then ``    * goal``);
- a bold paragraph followed by a list (``**Networking Level I:**`` then ``* goal``);
- a heading followed by a list (``### Materials Level II`` then ``* goal``).

A level suffix ("Level II", "Levels I and II") says how far the module takes the competency, not
which competency it is, so it is dropped from the name; the same competency read twice (on the
index and on the goals page) is one competency with the goals of both, in the order read.
Headings that title the whole list ("Key Learning Goals", "Outcomes") are not competencies.
"""

from __future__ import annotations

import re

from pd_sync.curriculum import Competency
from pd_sync.jekyll.sections import Section, find_section, list_items, plain_text, without_comments

_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ITEM = re.compile(r"^( {0,3})([*+-]|\d{1,9}[.)])\s+(.*)$")
_BOLD_ONLY = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")
_LEVEL = re.compile(
    r"[\s:,(\-–—]*\blevels?\s+(?:[IVX]+|\d+)(?:\s*(?:,|and|&)\s*(?:[IVX]+|\d+))*\)?\s*$", re.I
)
_NOT_A_COMPETENCY = re.compile(r"learning goals|outcomes|competenc|overview|objectives", re.I)


def index_competencies(text: str) -> tuple[Competency, ...]:
    """The competencies of an index page's learning-goals section (none without one)."""
    section = find_section(text, r"learning goals|\bgoals\b|competenc")
    if section is None:
        return ()
    return competencies("\n".join(section.lines))


def competencies(text: str) -> tuple[Competency, ...]:
    """Every competency written in ``text``, in the order written, merged by name."""
    lines = without_comments(text).split("\n")
    found: list[tuple[str, list[str]]] = []
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        item = _ITEM.match(line)
        if item is not None:
            bold = _BOLD_ONLY.match(item.group(3).strip())
            if bold is not None:
                goals = _nested_goals(lines, index)
                found.append((bold.group(1), goals))
            continue
        heading = _HEADING.match(line)
        bold = None if heading else _BOLD_ONLY.match(line.strip())
        name = heading.group(1) if heading else bold.group(1) if bold else None
        if name is None or (heading is not None and _NOT_A_COMPETENCY.search(name)):
            continue
        found.append((name, _following_list(lines, index + 1)))
    return _merged(found)


def merge(*groups: tuple[Competency, ...]) -> tuple[Competency, ...]:
    """Several readings of a module's goals as one: same competency, goals of both."""
    return _merged([(c.name, list(c.goals)) for group in groups for c in group])


def competency_name(written: str) -> str:
    """``**Networking Level I:**`` → ``Networking``."""
    name = plain_text(written)
    return _LEVEL.sub("", name).strip(" :") or name


def _nested_goals(lines: list[str], index: int) -> list[str]:
    """The items nested under the list item on line ``index``."""
    indent = len(lines[index]) - len(lines[index].lstrip(" "))
    goals: list[str] = []
    child_indent: int | None = None
    for line in lines[index + 1 :]:
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip(" "))
        if depth <= indent:
            break
        match = re.match(r"^( *)([*+-]|\d{1,9}[.)])\s+(.*)$", line)
        if match is None:
            continue
        child_indent = depth if child_indent is None else child_indent
        if depth == child_indent:
            goals.append(plain_text(match.group(3)))
    return goals


def _following_list(lines: list[str], start: int) -> list[str]:
    """The top-level items of the list starting at ``start`` (blank lines skipped), if any."""
    first = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
    if first is None or _ITEM.match(lines[first]) is None:
        return []
    end = first
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line.startswith(" ") and _ITEM.match(line) is None:
            break
        if _HEADING.match(line):
            break
        end += 1
    section = Section("", 0, first + 1, tuple(lines[first:end]))
    return [plain_text(item.lines[0]) for item in list_items(section)]


def _merged(found: list[tuple[str, list[str]]]) -> tuple[Competency, ...]:
    by_name: dict[str, tuple[str, list[str]]] = {}
    for written, goals in found:
        kept = [g for g in goals if g]
        if not kept:
            continue
        name = competency_name(written)
        entry = by_name.setdefault(name.casefold(), (name, []))
        entry[1].extend(g for g in kept if g not in entry[1])
    return tuple(Competency(name, tuple(goals)) for name, goals in by_name.values())
