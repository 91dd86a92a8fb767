"""The site's kramdown (GFM input) → the Markdown dialect ``pd_sync.curriculum.render`` reads.

Most of kramdown already renders the same through ``pd_sync.curriculum.render``: inline HTML and
``<a name>`` anchors pass through, ``<iframe>`` lines are HTML blocks, attribute lists such as
``{:target="_blank"}`` are understood, and 4-space nested lists nest in CommonMark too. What
differs, and is rewritten here:

- **Markdown inside HTML blocks.** kramdown parses Markdown inside a block element carrying
  ``markdown="1"`` (or inside every block element when ``parse_block_html`` is on); CommonMark
  only does when a blank line separates the Markdown from the tags. Blank lines are added
  inside such elements, and the ``markdown`` attribute (a kramdown instruction) is removed.
- **Liquid.** pd-sync runs no Liquid: ``{{ site.baseurl }}`` and ``{{ site.url }}`` become the
  site root (so links stay site paths); other tags are removed and reported.
- **HTML pages.** Jekyll does not run Markdown on ``.html`` files; wrapping the body in one
  ``<div>`` with no blank line makes it a single raw HTML block for CommonMark too.
- **A leading ``---``** would be read as front matter, so a blank line goes first.
- **Block syntax** CommonMark reads differently (lists after HTML, two-space nesting under
  numbered items, task lists, ``{#id}`` headings, ``{:toc}``): ``kramdown_syntax.py``.
- **Typographic symbols** (dashes, ellipses, curly quotes): ``typography.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pd_sync.jekyll.kramdown_syntax import rewrite_blocks
from pd_sync.jekyll.typography import typographic


@dataclass(frozen=True)
class Note:
    """Something changed while converting, at a 1-based ``line`` of the converted text."""

    line: int
    message: str


@dataclass(frozen=True)
class Converted:
    """The Markdown, notes, and for each of its lines the body line it came from (1-based).

    Lines are added (blank lines in HTML blocks, the ``<div>`` around HTML pages) and dropped
    (leading blank lines, blank lines of HTML pages); ``source_lines`` lets a report point at
    the line a person can open in the site's file.
    """

    markdown: str
    notes: tuple[Note, ...]
    source_lines: tuple[int, ...] = ()

    def source_line(self, line: int) -> int:
        """The body line that converted line ``line`` (1-based) came from."""
        if not self.source_lines:
            return line
        return self.source_lines[min(max(line, 1), len(self.source_lines)) - 1]


_LIQUID = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}|\{%-?\s*(.*?)\s*-?%\}", re.DOTALL)
_SITE_ROOT_VARIABLES = ("site.baseurl", "site.url", "site.url | append: site.baseurl")
_SILENT_TAGS = re.compile(r"^(raw|endraw)$")
_MARKDOWN_ATTRIBUTE = re.compile(r"""\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([\w-]+))""")
# Block elements whose content kramdown may parse as Markdown.
_CONTAINERS = (
    "section|div|article|aside|header|footer|nav|main|details|blockquote|figure|center|"
    "address|fieldset|form|dl|dd"
)
_OPENING_LINE = re.compile(rf"^ {{0,3}}<({_CONTAINERS})(\s[^<>]*)?>\s*$", re.IGNORECASE)
_CLOSING_LINE = re.compile(rf"^ {{0,3}}</({_CONTAINERS})\s*>\s*$", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_PREFORMATTED = re.compile(r"<(pre|textarea)\b", re.IGNORECASE)
_PREFORMATTED_END = re.compile(r"</(pre|textarea)\s*>", re.IGNORECASE)


def convert_markdown(body: str, parse_block_html: bool) -> Converted:
    """A kramdown page body → render.py Markdown, and what was changed on the way."""
    text, notes = _strip_liquid(body)
    lines = text.split("\n")
    out: list[str] = []
    origin: list[int] = []  # for each line of out, its body line
    in_fence = False
    open_elements: list[bool] = []  # for each open container: is its content Markdown?
    for number, line in enumerate(lines):
        here = len(out)
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            out.append(line)
        elif (opening := _OPENING_LINE.match(line)) is not None:
            markdown = _markdown_attribute(opening.group(2) or "")
            is_markdown = markdown if markdown is not None else parse_block_html
            open_elements.append(is_markdown)
            out.append(_MARKDOWN_ATTRIBUTE.sub("", line))
            if is_markdown and number + 1 < len(lines) and lines[number + 1].strip():
                out.append("")
        elif _CLOSING_LINE.match(line) and open_elements:
            if open_elements.pop() and out and out[-1].strip():
                out.append("")
            out.append(line)
        else:
            out.append(line)
        origin.extend([number + 1] * (len(out) - here))
    rewritten = rewrite_blocks(list(zip(out, origin, strict=True)))
    text = typographic("\n".join(line for line, _ in rewritten))
    converted, origin = _guard_front_matter(text, [o for _, o in rewritten])
    return Converted(converted, tuple(notes), tuple(origin))


def convert_html(body: str) -> Converted:
    """An HTML page body → one raw HTML block (blank lines would end it in CommonMark)."""
    text, notes = _strip_liquid(body)
    kept: list[str] = []
    origin: list[int] = []
    preformatted = False  # inside <pre> or <textarea> a blank line is content
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            kept.append(line)
            origin.append(number)
        elif preformatted and kept:
            # A blank line would end the HTML block; an escaped newline keeps the text as is.
            kept[-1] += "&#10;"
        opened = _PREFORMATTED.search(line)
        closed = _PREFORMATTED_END.search(line)
        if opened is not None and (closed is None or closed.start() < opened.start()):
            preformatted = True
        elif closed is not None:
            preformatted = False
    inner = "\n".join(kept).strip("\n")
    if not inner:
        return Converted("", tuple(notes))
    lines = (origin[0], *origin, origin[-1], origin[-1])  # the <div>, the body, </div>, end
    return Converted(f"<div>\n{inner}\n</div>\n", tuple(notes), lines)


def _markdown_attribute(attributes: str) -> bool | None:
    """``True``/``False`` for ``markdown="1"``/``"0"``; ``None`` when the tag has none."""
    match = _MARKDOWN_ATTRIBUTE.search(" " + attributes)
    if match is None:
        return None
    value = next(v for v in match.groups() if v is not None)
    return value.strip().lower() not in ("0", "false")


def _strip_liquid(body: str) -> tuple[str, list[Note]]:
    notes: list[Note] = []

    def replace(match: re.Match[str]) -> str:
        expression, tag = match.group(1), match.group(2)
        line = body.count("\n", 0, match.start()) + 1
        if expression is not None and expression in _SITE_ROOT_VARIABLES:
            return ""
        if tag is not None and _SILENT_TAGS.match(tag):
            return "\n" * match.group(0).count("\n")
        notes.append(Note(line, f"removed Liquid {match.group(0)!r} (pd-sync runs no Liquid)"))
        return "\n" * match.group(0).count("\n")  # keeps every later line where it was

    return _LIQUID.sub(replace, body), notes


def _guard_front_matter(text: str, origin: list[int]) -> tuple[str, list[int]]:
    stripped = text.lstrip("\n")
    kept = origin[len(text) - len(stripped) :]
    if stripped.startswith("---"):
        return "\n" + stripped, kept[:1] + kept
    return stripped, kept
