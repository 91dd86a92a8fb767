"""A module index's weekly breakdown, read in the shapes people write it.

- a list of week links: ``* [Week 1](/module_one/mod1_week1): Kickoff`` (the text after the
  link, if any, is the week's title);
- bullets that start with the week: ``* Week 2: Practise your story. [Stories](/lessons/stories)``
  (the text is the week's activities; its links are the week's pages);
- a heading per week: ``### Week 1: Resumes`` with the week's text and links below it;
- a table whose rows start with ``Week N``, the other cells holding links and activities.

The section holding the breakdown is the first whose heading names weeks or a schedule
("Weekly Breakdown", "Weekly Breakdown & Deliverables", "Schedule"); without one, the whole page
is searched for week headings and week bullets. Links are returned as written: which page (if
any) a link names is the caller's business. Links whose text names an exit ticket are not pages
but the week's exit tickets, which the caller makes deliverables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pd_sync.jekyll.sections import (
    Section,
    find_section,
    list_items,
    plain_text,
    sections,
    without_comments,
)

_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>""", re.I | re.S)
_WEEK_LINK_ITEM = re.compile(r"^\W*\[\s*week\s+(\d{1,2})\s*\]\([^)]*\)\W*(.*)$", re.I | re.S)
_WEEK_TEXT_ITEM = re.compile(r"^[\s*_]*week\s+(\d{1,2})\b[\s*_]*[:.\-–—]?[\s*_]*(.*)$", re.I | re.S)
_WEEK_HEADING = re.compile(r"^week\s+(\d{1,2})\b\s*[:.\-–—]?\s*(.*)$", re.I)
_EXIT_TICKET = re.compile(r"exit\s+ticket", re.I)
_BREAKDOWN_TITLE = r"\bweek|schedule|calendar|breakdown"


@dataclass(frozen=True)
class FoundWeek:
    """A week as the index presents it; ``line`` is 1-based in the text it was read from.

    ``title`` is the title the index gives (``""`` when it gives none: the caller uses the
    linked lesson's title); ``hrefs`` are the week's links in order, exit tickets aside.
    """

    number: int
    title: str
    activities: tuple[str, ...]
    hrefs: tuple[str, ...]
    exit_tickets: tuple[tuple[str, str], ...]  # (link text, href)
    line: int


def find_weeks(text: str) -> tuple[FoundWeek, ...]:
    """The weeks of the index's weekly breakdown, in the order written."""
    section = find_section(text, _BREAKDOWN_TITLE)
    if section is not None:
        found = _from_section(section, text)
        if found:
            return found
    lines = tuple(without_comments(text).split("\n"))
    whole = Section("", 0, 1, lines)
    return _from_headings(text, 0) or _from_list(whole, strict=True)


def links_in(markdown: str) -> tuple[tuple[str, str], ...]:
    """Every (text, href) link of ``markdown``, Markdown or raw HTML, in order."""
    found = [(m.start(), plain_text(m.group(1)), m.group(2)) for m in _LINK.finditer(markdown)]
    found += [
        (m.start(), plain_text(m.group(2)), m.group(1)) for m in _HTML_LINK.finditer(markdown)
    ]
    return tuple((t, h) for _, t, h in sorted(found))


def _from_section(section: Section, text: str) -> tuple[FoundWeek, ...]:
    return (
        _from_headings(text, section.level, section)
        or _from_list(section, strict=False)
        or _from_table(section)
    )


def _from_list(section: Section, strict: bool) -> tuple[FoundWeek, ...]:
    weeks: list[FoundWeek] = []
    for item in list_items(section):
        first = item.lines[0].strip()
        linked = _WEEK_LINK_ITEM.match(first)
        written = None if linked else _WEEK_TEXT_ITEM.match(first)
        if linked is None and (written is None or (strict and not written.group(2).strip())):
            continue
        match = linked or written
        assert match is not None
        rest = match.group(2)
        links = links_in(item.text)
        before_link = plain_text(_LINK.split(rest, maxsplit=1)[0]) if rest else ""
        if linked is not None:
            # ``[Week 1](…): Kickoff``: the words after the week's own link are its title.
            title, activities = before_link.strip(" :-–—"), [plain_text(c) for c in item.children]
        else:
            title = ""
            activities = [a for a in (_activity(before_link),) if a]
            activities += [plain_text(c) for c in item.children]
        weeks.append(_week(int(match.group(1)), title, activities, links, item.line))
    return tuple(weeks)


def _from_headings(text: str, level: int, within: Section | None = None) -> tuple[FoundWeek, ...]:
    weeks: list[FoundWeek] = []
    for section in sections(text):
        match = _WEEK_HEADING.match(section.title)
        if match is None or section.level <= level:
            continue
        if within is not None and not _inside(section, within):
            continue
        body = "\n".join(section.lines)
        items = list_items(section)
        # A list item that is only a link is one of the week's pages, not an activity.
        activities = [
            plain_text(i.lines[0]) for i in items if not _LINK.fullmatch(i.lines[0].strip())
        ]
        links = links_in(body)
        weeks.append(
            _week(int(match.group(1)), plain_text(match.group(2)), activities, links,
                  section.first_line - 1)
        )  # fmt: skip
    return tuple(weeks)


def _from_table(section: Section) -> tuple[FoundWeek, ...]:
    weeks: list[FoundWeek] = []
    for offset, line in enumerate(section.lines):
        if not line.lstrip().startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = _WEEK_HEADING.match(plain_text(cells[0])) if cells else None
        if match is None:
            continue
        others = cells[1:]
        links = links_in(" ".join(others))
        activities = [
            plain_text(c) for c in others if plain_text(c) and not _LINK.fullmatch(c.strip())
        ]
        title = plain_text(match.group(2))
        weeks.append(
            _week(int(match.group(1)), title, activities, links, section.first_line + offset)
        )
    return tuple(weeks)


def _week(
    number: int, title: str, activities: list[str], links: tuple[tuple[str, str], ...], line: int
) -> FoundWeek:
    tickets = tuple((t, h) for t, h in links if _EXIT_TICKET.search(t))
    hrefs = tuple(dict.fromkeys(h for t, h in links if not _EXIT_TICKET.search(t)))
    kept = tuple(a for a in activities if a and not _EXIT_TICKET.fullmatch(a))
    return FoundWeek(number, title, kept, hrefs, tickets, line)


def _activity(text: str) -> str:
    """The words before a bullet's links, without the joining words left dangling."""
    return re.sub(
        r"(?:\s*(?:[,:;\-–—]|\band\b|\bsee\b|\bread\b))+\s*$", "", text, flags=re.I
    ).strip()


def _inside(section: Section, within: Section) -> bool:
    first = within.first_line
    return first <= section.first_line <= first + len(within.lines)
