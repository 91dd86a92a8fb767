"""Curriculum Markdown → HTML for Canvas. With ``markdown_rules`` (the syntax it adds), the only
importer of markdown-it.

CommonMark plus tables and strikethrough, with raw HTML passed through (the curriculum embeds
``<iframe>`` videos and ``<a name>`` anchors; Canvas's sanitiser is the gatekeeper). Output is a
pure function of the input: same Markdown, same bytes, so digests of it are stable.

Four things are added on top of markdown-it:

- every heading gets a GitHub-style ``id`` (unique within the document), so ``#anchor`` links
  keep working after the page moves to Canvas;
- kramdown attribute lists (``[text](url){:target="_blank"}``, or ``{: .note}`` ending a
  paragraph) become attributes instead of leaking into the text, since the Jekyll site used them;
- links to other curriculum pages are resolved to ``pd-sync-page:KEY[#anchor]``. The page's
  Canvas URL is not known yet (its slug depends on its title and on other pages), so the planner
  substitutes it later; unresolvable links become ``LinkProblem``s with a position;
- images and links to other files of the curriculum become ``pd-sync-file:PATH``
  (``file_refs`` says how), listed in ``file_refs`` with their positions.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pd_sync.curriculum.file_refs import (
    FileRef,
    file_reference,
    is_image_reference,
    raw_images,
)
from pd_sync.curriculum.links import PAGE_KEY_PREFIX
from pd_sync.curriculum.markdown_rules import add_kramdown_rules

PAGE_LINK_SCHEME = "pd-sync-page:"

LINK_PROBLEM_HINT = (
    "use page:KEY, a relative path to the page's .md file, or a path listed in a page's aliases"
)


@dataclass(frozen=True)
class LinkProblem:
    """An internal link that names no page; ``line``/``column`` are 1-based in the Markdown."""

    target: str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class RenderedHtml:
    """The HTML, the keys of the pages it links to (sorted, unique) and any broken links;
    ``file_refs`` the curriculum files it shows or links to, in source order."""

    html: str
    page_refs: tuple[str, ...]
    problems: tuple[LinkProblem, ...]
    file_refs: tuple[FileRef, ...] = ()


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def is_internal_link(href: str) -> bool:
    """Whether ``href``, as written in curriculum Markdown, names a curriculum page.

    Internal: ``page:KEY``; site paths (``/module_one/mod1_week2``, any suffix or anchor); paths
    to a ``.md`` file relative to the linking file. Everything with a scheme, protocol-relative
    ``//host`` URLs, bare ``#anchor``s and relative links to non-Markdown files are external.
    """
    href = href.strip()
    if href.startswith(PAGE_KEY_PREFIX):
        return True
    if not href or href.startswith(("#", "//")) or _SCHEME.match(href):
        return False
    if href.startswith("/"):
        return True
    path = href.split("#", 1)[0].split("?", 1)[0]
    return path.lower().endswith(".md")


def is_file_reference(href: str, kind: str) -> bool:
    """Whether ``href`` (an image's ``src`` or a link's ``href``) names a file of the curriculum.

    Images: anything without a scheme that is not protocol-relative or a bare anchor, so an
    absolute path is a reference too (and refused by the loader: it cannot be inside the
    curriculum). Links: relative paths that are not page links (``.md`` files, site paths).
    """
    if kind == "image":
        return is_image_reference(href)
    href = href.strip()
    if not href or href.startswith(("#", "//")) or _SCHEME.match(href):
        return False
    return not is_internal_link(href)


def render_markdown(
    text: str,
    resolve_page: Callable[[str], str | None],
    resolve_file: Callable[[str], str | None] | None = None,
) -> RenderedHtml:
    """Render ``text``; ``resolve_page`` maps a link target (no ``#anchor``) to a page key.

    ``page:KEY`` targets are passed whole (``"page:KEY"``); other targets are passed as
    written, percent-decoded, without query or anchor. ``resolve_file`` maps a file reference
    (percent-decoded) to its curriculum-relative path, or None; without it file references
    are left as written.
    """
    tokens = _MD.parse(text, {})
    locator = _Locator(text)
    refs: set[str] = set()
    problems: list[LinkProblem] = []
    files: list[FileRef] = []
    for child, kind, href, found, first_line in _links(tokens, locator):
        if resolve_file is not None and is_file_reference(href, kind):
            offset = found[0] if found is not None else locator.first_text(first_line)
            line, column = locator.position(offset)
            written = unquote(href.strip())
            path = resolve_file(written)
            files.append(FileRef(written, path, kind, line, column))
            if path is not None:
                child.attrSet("href" if kind == "link" else "src", file_reference(path))
            continue
        if kind != "link" or not is_internal_link(href):
            continue
        written = unquote(href)
        key = _resolve(written, resolve_page)
        if key is not None:
            anchor = href.split("#", 1)[1] if "#" in href else ""
            child.attrSet("href", PAGE_LINK_SCHEME + key + (f"#{anchor}" if anchor else ""))
            refs.add(key)
            continue
        offset = found[0] if found is not None else locator.first_text(first_line)
        line, column = locator.position(offset)
        message = f"link to {written} does not match any page; {LINK_PROBLEM_HINT}"
        problems.append(LinkProblem(written, line, column, message))
    _raw_html_page_links(tokens, locator, resolve_page, refs, problems)
    if resolve_file is not None:
        files += raw_images(tokens, locator, resolve_file)
    html = _MD.renderer.render(tokens, _MD.options, {})
    return RenderedHtml(
        html=html,
        page_refs=tuple(sorted(refs)),
        problems=tuple(problems),
        file_refs=tuple(sorted(files, key=lambda f: (f.line, f.column))),
    )


# ``href="page:KEY"`` inside raw HTML (a block or inline tag): the one internal form raw HTML
# may use, so pages written with ``<a href>`` (imported Jekyll sites) link like Markdown does.
_RAW_PAGE_HREF = re.compile(
    r"""(\shref\s*=\s*)(["'])""" + re.escape(PAGE_KEY_PREFIX) + r"""([^"'#]*)(#[^"']*)?\2"""
)


def _raw_html_page_links(
    tokens: list[Token],
    locator: _Locator,
    resolve_page: Callable[[str], str | None],
    refs: set[str],
    problems: list[LinkProblem],
) -> None:
    block_line = 0
    for token in tokens:
        if token.map is not None:
            block_line = token.map[0]
        raw = [token] if token.type == "html_block" else []
        raw += [c for c in token.children or () if c.type == "html_inline"]
        for piece in raw:

            def replace(match: re.Match[str], line: int = block_line) -> str:
                written = PAGE_KEY_PREFIX + html.unescape(match.group(3))
                key = _resolve(written, resolve_page)
                if key is None:
                    offset = locator.first_text(line)
                    at_line, column = locator.position(offset)
                    message = f"link to {written} does not match any page; {LINK_PROBLEM_HINT}"
                    problems.append(LinkProblem(written, at_line, column, message))
                    return match.group(0)
                refs.add(key)
                anchor = match.group(4) or ""
                quote = match.group(2)
                return f"{match.group(1)}{quote}{PAGE_LINK_SCHEME}{key}{anchor}{quote}"

            piece.content = _RAW_PAGE_HREF.sub(replace, piece.content)


@dataclass(frozen=True)
class LinkSpan:
    """A link or image destination as written in Markdown: ``text[start:end]`` holds it.

    ``href`` is what markdown-it read (entities and escapes decoded); ``line``/``column`` are
    1-based. Several links may share one span (reference links to one definition).
    """

    kind: str  # "link" or "image"
    href: str
    start: int
    end: int
    line: int
    column: int


def link_spans(text: str) -> tuple[LinkSpan, ...]:
    """Every link and image destination in ``text`` (``\\n`` line endings), in source order.

    For tools that rewrite links in place (the Jekyll importer): the spans are found the same
    way ``render_markdown`` locates broken links, so both agree on what is a link.
    """
    tokens = _MD.parse(text, {})
    locator = _Locator(text)
    found: dict[tuple[int, int], LinkSpan] = {}
    for _, kind, href, span, _ in _links(tokens, locator):
        if span is None:
            continue  # an autolink written without a scheme match; nothing to rewrite
        line, column = locator.position(span[0])
        found.setdefault(span, LinkSpan(kind, href, span[0], span[1], line, column))
    return tuple(sorted(found.values(), key=lambda s: s.start))


def _links(
    tokens: list[Token], locator: _Locator
) -> Iterator[tuple[Token, str, str, tuple[int, int] | None, int]]:
    """Each link and image in source order: its token, kind ("link"/"image"), destination,
    where the destination is written (None if not found) and the first line of its block."""
    block_map: list[int] | None = None
    cursor, cursor_line = 0, -1
    for token in tokens:
        if token.map is not None:
            block_map = token.map
        if token.type != "inline" or not token.children:
            continue
        start, end = block_map if block_map is not None else (0, len(locator.line_starts))
        if start != cursor_line:
            # Table cells share their row's lines: keep searching after the previous cell.
            cursor, cursor_line = locator.line_offset(start), start
        block_end = locator.line_offset(end)
        for child in token.children:
            kind = {"link_open": "link", "image": "image"}.get(child.type)
            href = child.attrGet("href" if kind == "link" else "src") if kind else None
            if kind is None or not isinstance(href, str):
                continue
            span = locator.find_link(href, cursor, block_end)
            if span is not None and cursor <= span[0] < block_end:
                cursor = span[1]
            yield child, kind, href, span, start


def _resolve(written: str, resolve_page: Callable[[str], str | None]) -> str | None:
    target = written.split("#", 1)[0]
    if not target.startswith(PAGE_KEY_PREFIX):
        target = target.split("?", 1)[0]
    return resolve_page(target)


class _Locator:
    """Offsets ↔ 1-based line:column in the Markdown, and where a link's target is written.

    markdown-it only records which lines a block spans, and has already decoded the target, so
    the target is searched for in the block's source text: as an inline link ``](target``, an
    autolink ``<target>``, or a reference definition ``[label]: target`` anywhere in the text.
    """

    def __init__(self, text: str) -> None:
        # markdown-it counts lines after turning \r\n and \r into \n; count the same way.
        self.text = re.sub(r"\r\n?", "\n", text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_offset(self, line: int) -> int:
        return self.line_starts[line] if line < len(self.line_starts) else len(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def first_text(self, line: int) -> int:
        start = self.line_offset(line)
        stripped = self.text[start:].lstrip(" \t")
        return len(self.text) - len(stripped) if stripped else start

    def find_link(self, href: str, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) offsets of the first place at or after ``start`` that writes ``href``."""
        wanted = _comparable(href)
        for opener in _DESTINATION_START.finditer(self.text, start, end):
            span = self._destination(opener.end())
            if _comparable(self.text[span[0] : span[1]]) == wanted:
                return span
        for definition in _DEFINITION_START.finditer(self.text):
            span = self._destination(definition.end())
            if _comparable(self.text[span[0] : span[1]]) == wanted:
                return span
        return None

    def _destination(self, offset: int) -> tuple[int, int]:
        """The span of a link destination starting at ``offset``, without ``<`` ``>``."""
        if self.text.startswith("<", offset):
            close = self.text.find(">", offset)
            return offset + 1, close if close >= 0 else len(self.text)
        depth, index = 0, offset
        while index < len(self.text):
            char = self.text[index]
            if char.isspace() or (char == ")" and depth == 0):
                break
            depth += {"(": 1, ")": -1}.get(char, 0)
            index += 2 if char == "\\" else 1
        return offset, min(index, len(self.text))


# Where a link destination is written: after "](" of an inline link, after "<" of an autolink,
# or after the label of a reference definition (which may be anywhere in the text).
_DESTINATION_START = re.compile(r"\]\([ \t]*\n?[ \t]*|(?=<[A-Za-z][A-Za-z0-9+.\-]{1,31}:)")
_DEFINITION_START = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*", re.MULTILINE)


def _comparable(destination: str) -> str:
    """A destination as markdown-it would end up reading it, for matching source to token."""
    unescaped = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", destination)
    return unquote(html.unescape(unescaped))


# --- kramdown attribute lists ------------------------------------------------------------------


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    add_kramdown_rules(md)
    return md


# One parser for the process: its rules keep no per-document state (that lives in the token
# stream), so sharing it is safe and saves rebuilding the rule chains for every page.
_MD = _build()
