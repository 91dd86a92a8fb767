"""kramdown block syntax that CommonMark reads differently, rewritten so both render alike.

Each function takes and returns the page as (line, body line it came from) pairs, so the
import report can still point at the site's file.

- **A list or heading right after a one-line HTML element** (an ``<iframe>…</iframe>``): kramdown
  ends the HTML there; CommonMark's HTML block runs to the next blank line and swallows the list.
  A blank line is added.
- **Items nested two spaces under a numbered item** (``1. x`` then ``  * y``): kramdown nests
  them; CommonMark wants them under the item's text (three spaces) and otherwise starts a new
  list. The item's indented lines are shifted to its text.
- **Task lists** (``- [ ] x``): kramdown's GFM parser draws a checkbox (a disabled ``<input>``).
  Canvas's sanitiser drops ``<input>``, so the box is the character ☐ (☑ when ticked), which
  shows the same and survives.
- **Heading ids** written ``## Title {#custom-id}`` become the attribute list
  ``{: #custom-id}`` that pd-sync's renderer applies (kramdown reads both).
- **``{:toc}``** after a list item is kramdown's table of contents: the item becomes a nested
  list of links to the page's headings, by the ids they will have (GFM ids, as the renderer's).
- **Line breaks**: kramdown's GFM parser keeps a paragraph's line breaks (``hard_wrap``);
  CommonMark joins the lines. A line continued by the next in the same paragraph ends in a
  backslash, CommonMark's hard break — except inside HTML elements, where kramdown joins them too.
- **Ordered lists start at 1** in kramdown whatever their first number; CommonMark keeps it
  (``<ol start="4">``), so a list's first number is written 1.
- **Tight lists**: kramdown wraps an item's text in ``<p>`` only when a blank line follows that
  text; CommonMark wraps every item of a list with a blank line anywhere between its items. When
  no item's text is followed by a blank line (the blank lines come after nested lists), those
  blank lines are dropped, so both render the list without paragraphs.
"""

from __future__ import annotations

import re

from pd_sync.curriculum import heading_slug
from pd_sync.jekyll.sections import plain_text

Lines = list[tuple[str, int]]

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ONE_LINE_ELEMENT = re.compile(r"^ {0,3}<([A-Za-z][\w-]*)\b[^>]*>.*</\1\s*>\s*$")
_BLOCK_START = re.compile(r"^ {0,3}(?:[*+-]|\d{1,9}[.)])\s+\S|^ {0,3}#{1,6}\s")
_ORDERED = re.compile(r"^( {0,3})(\d{1,9}[.)])( +)\S")
_TASK = re.compile(r"^(\s*(?:[*+-]|\d{1,9}[.)])\s+)\[([ xX])\](\s+)")
_HEADING_ID = re.compile(r"^( {0,3}#{1,6}\s.*?)\s*\{#([A-Za-z][\w:.-]*)\}\s*$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*$")
_IAL_ID = re.compile(r"\s*\{:\s*([^}]*)\}\s*$")
_TOC = re.compile(r"^\s*\{:\s*toc\s*\}\s*$")
_ITEM = re.compile(r"^\s*(?:[*+-]|\d{1,9}[.)])\s+\S")


def rewrite_blocks(lines: Lines) -> Lines:
    """All of the rewrites above, in an order where each sees the others' results."""
    blocks = _toc(_heading_ids(_tasks(_ordered_nesting(_after_html(lines)))))
    return _hard_breaks(_tight_lists(_lists_from_one(blocks)))


def _unfenced(lines: Lines) -> list[bool]:
    """For each line: is it outside fenced code?"""
    outside: list[bool] = []
    in_fence = False
    for line, _ in lines:
        fence = _FENCE.match(line) is not None
        outside.append(not in_fence and not fence)
        in_fence = in_fence != fence
    return outside


def _after_html(lines: Lines) -> Lines:
    out: Lines = []
    outside = _unfenced(lines)
    for i, (line, origin) in enumerate(lines):
        out.append((line, origin))
        following = lines[i + 1][0] if i + 1 < len(lines) else ""
        if outside[i] and _ONE_LINE_ELEMENT.match(line) and _BLOCK_START.match(following):
            out.append(("", origin))
    return out


def _ordered_nesting(lines: Lines) -> Lines:
    out: Lines = []
    outside = _unfenced(lines)
    content = 0  # the column of the current numbered item's text, 0 outside one
    shift = None  # how far its indented lines move, decided by the first of them
    for i, (line, origin) in enumerate(lines):
        item = _ORDERED.match(line) if outside[i] else None
        indent = len(line) - len(line.lstrip(" "))
        if item is not None:
            content, shift = len(item.group(1) + item.group(2) + item.group(3)), None
        elif line.strip() and indent == 0:
            content = 0
        elif content and line.strip():
            if shift is None:
                shift = content - indent if 0 < indent < content and _ITEM.match(line) else 0
            line = " " * shift + line
        out.append((line, origin))
    return out


def _tasks(lines: Lines) -> Lines:
    def box(match: re.Match[str]) -> str:
        return f"{match.group(1)}{'☐' if match.group(2) == ' ' else '☑'}{match.group(3)}"

    outside = _unfenced(lines)
    return [(_TASK.sub(box, ln) if outside[i] else ln, o) for i, (ln, o) in enumerate(lines)]


def _heading_ids(lines: Lines) -> Lines:
    outside = _unfenced(lines)
    return [
        (_HEADING_ID.sub(r"\1 {: #\2}", ln) if outside[i] else ln, o)
        for i, (ln, o) in enumerate(lines)
    ]


def _toc(lines: Lines) -> Lines:
    outside = _unfenced(lines)
    marks = [i for i, (ln, _) in enumerate(lines) if outside[i] and _TOC.match(ln)]
    if not marks:
        return lines
    entries = _toc_entries(lines, outside)
    out: Lines = []
    skip: set[int] = set()
    for mark in marks:
        if mark > 0 and _ITEM.match(lines[mark - 1][0]):
            skip |= {mark - 1, mark}
    for i, (line, origin) in enumerate(lines):
        if i in skip and i + 1 not in skip:  # the {:toc} line: the list goes here
            out.extend((entry, origin) for entry in entries)
        elif i not in skip:
            out.append((line, origin))
    return out


def _toc_entries(lines: Lines, outside: list[bool]) -> list[str]:
    headings: list[tuple[int, str, str | None]] = []  # (level, text, explicit id)
    for i, (line, _) in enumerate(lines):
        match = _HEADING.match(line) if outside[i] else None
        if match is None:
            continue
        text, explicit = match.group(2), None
        ial = _IAL_ID.search(text)
        if ial is not None:
            text = text[: ial.start()]
            if ".no_toc" in ial.group(1):
                continue
            explicit = next((w[1:] for w in ial.group(1).split() if w.startswith("#")), None)
        headings.append((len(match.group(1)), text, explicit))
    used = {e for _, _, e in headings if e}
    top = min((level for level, _, _ in headings), default=1)
    entries: list[str] = []
    for level, text, explicit in headings:
        anchor = explicit
        if anchor is None:
            base = heading_slug(plain_text(text))
            anchor, n = base, 0
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
        entries.append(f"{'  ' * (level - top)}* [{plain_text(text)}](#{anchor})")
    return entries


_CONTINUES_NOT = re.compile(
    r"^\s*(?:[*+-]|\d{1,9}[.)])(?:\s|$)"  # a list item, at any depth
    r"|^ {0,3}(?:#|>|```|~~~|<|\||\{:|\[[^\]]+\]:\s|(?:[-*_=]\s*){3,}$)"
)
_NOT_PROSE = re.compile(r"^ {0,3}(?:#|<|\||\{:|\[[^\]]+\]:\s|>|(?:[-*_=]\s*){3,}$)")
_CONTAINER_OPEN = re.compile(
    r"^ {0,3}<(div|section|article|aside|details|blockquote|center|table|ul|ol|dl|figure|header|"
    r"footer|nav|main|form)\b[^>]*>\s*$",
    re.IGNORECASE,
)
_CONTAINER_CLOSE = re.compile(r"^ {0,3}</([A-Za-z]+)\s*>\s*$")


def _hard_breaks(lines: Lines) -> Lines:
    out: Lines = []
    outside = _unfenced(lines)
    depth = 0  # open HTML elements: inside them kramdown joins lines as CommonMark does
    for i, (line, origin) in enumerate(lines):
        if outside[i] and _CONTAINER_OPEN.match(line):
            depth += 1
        elif outside[i] and _CONTAINER_CLOSE.match(line) and depth:
            depth -= 1
        following = lines[i + 1][0] if i + 1 < len(lines) else ""
        breaks = (
            depth == 0
            and outside[i]
            and i + 1 < len(lines)
            and outside[i + 1]
            and line.strip()
            and following.strip()
            and not line.endswith(("  ", "\\"))
            and not _NOT_PROSE.match(line)
            and not _CONTINUES_NOT.match(following)
            and not (line.startswith("    ") and (i == 0 or not lines[i - 1][0].strip()))
        )
        out.append((line + "\\" if breaks else line, origin))
    return out


def _lists_from_one(lines: Lines) -> Lines:
    out: Lines = []
    outside = _unfenced(lines)
    for i, (line, origin) in enumerate(lines):
        item = _ORDERED.match(line) if outside[i] else None
        if item is not None and item.group(2)[:-1] != "1" and not _continues_list(out, item):
            marker = item.group(2)
            line = item.group(1) + "1" + marker[-1] + line[len(item.group(1)) + len(marker) :]
        out.append((line, origin))
    return out


def _continues_list(before: Lines, item: re.Match[str]) -> bool:
    """Whether the nearest earlier line no deeper than ``item`` is an item of the same list."""
    indent = len(item.group(1))
    for line, _ in reversed(before):
        if not line.strip() or len(line) - len(line.lstrip(" ")) > indent:
            continue
        earlier = _ORDERED.match(line)
        return earlier is not None and len(earlier.group(1)) == indent
    return False


_ANY_ITEM = re.compile(r"^( *)([*+-]|\d{1,9}[.)])(?:\s|$)")


def _tight_lists(lines: Lines) -> Lines:
    outside = _unfenced(lines)
    drop: set[int] = set()
    for start, (line, _) in enumerate(lines):
        first = _ANY_ITEM.match(line) if outside[start] else None
        if first is None or _sibling_before(lines, start, len(first.group(1))):
            continue
        drop |= _blanks_between_items(lines, start, len(first.group(1)))
    return [pair for i, pair in enumerate(lines) if i not in drop]


def _sibling_before(lines: Lines, at: int, indent: int) -> bool:
    """Whether the item at ``at`` continues a list begun earlier (so it was looked at then)."""
    for line, _ in reversed(lines[:at]):
        if not line.strip() or len(line) - len(line.lstrip(" ")) > indent:
            continue
        match = _ANY_ITEM.match(line)
        return match is not None and len(match.group(1)) == indent
    return False


def _blanks_between_items(lines: Lines, start: int, indent: int) -> set[int]:
    """The blank lines to drop from the list starting at ``start``, or none if it is loose."""
    blanks: set[int] = set()
    pending: list[int] = []
    i = start
    while i < len(lines):
        line = lines[i][0]
        depth = len(line) - len(line.lstrip(" "))
        item = _ANY_ITEM.match(line)
        if not line.strip():
            pending.append(i)
        elif item is not None and depth == indent:
            if i != start and not lines[i - 1][0].strip() and _text_then_blank(lines, i, indent):
                return set()  # the previous item's own text is followed by a blank line: loose
            blanks.update(pending)
            pending = []
        elif depth <= indent:
            break
        else:
            pending = []
        i += 1
    return blanks


def _text_then_blank(lines: Lines, at: int, indent: int) -> bool:
    """Whether the last non-blank line before ``at`` is the text of an item of this list."""
    before = next((j for j in range(at - 1, -1, -1) if lines[j][0].strip()), None)
    if before is None:
        return False
    match = _ANY_ITEM.match(lines[before][0])
    return match is not None and len(match.group(1)) == indent
