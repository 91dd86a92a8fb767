"""Markdown sources of the curriculum: front matter, and links that must reach a page.

A page's ``.md`` file may open with Jekyll front matter (``---`` … ``---``); its ``title`` is
the page title when the YAML gives none, and other keys (layout, …) are ignored. Links are
checked by rendering the Markdown exactly as ``desired`` will, so validation and sync can never
disagree about which links resolve.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass

from pd_sync.curriculum.excerpt import quoted
from pd_sync.curriculum.limits import TITLE_MAX_CHARS
from pd_sync.curriculum.links import PAGE_KEY_PREFIX, PageIndex
from pd_sync.curriculum.model import PageSpec
from pd_sync.curriculum.render import LINK_PROBLEM_HINT, render_markdown
from pd_sync.curriculum.yaml_nodes import Mapping, Scalar, parse_yaml, where
from pd_sync.errors import Problem

FRONT_MATTER = "front_matter"

# pd-sync marks what it owns in Canvas with data-pd-sync-* attributes (desired.htmlcanon); text
# that carries one could claim, or forge the digest of, an object pd-sync did not make.
RESERVED_ATTRIBUTE_PREFIX = "data-pd-sync-"
# Anywhere in the source, in any case (HTML attribute names are case-insensitive): in code it is
# harmless, but a rule with no exceptions cannot be talked around.
_RESERVED = re.compile(re.escape(RESERVED_ATTRIBUTE_PREFIX), re.IGNORECASE)
_FENCE = "---"
_FENCE_ENDS = ("---", "...")


@dataclass(frozen=True)
class MarkdownSource:
    """A Markdown file without its front matter; ``body_line`` is the file line it starts on."""

    body: str
    body_line: int
    title: str | None


@dataclass(frozen=True)
class Placement:
    """Where Markdown text sits in a file, to turn its 1-based line:column into the file's.

    ``first_line`` is the file line of the text's line 1; ``first_indent`` is how many columns
    precede the text on that line and ``indent`` on the following ones (a YAML block scalar is
    indented; an ``.md`` file is not).
    """

    file: str
    first_line: int = 1
    first_indent: int = 0
    indent: int = 0

    def locate(self, line: int, column: int) -> tuple[int, int]:
        shift = self.first_indent if line == 1 else self.indent
        return self.first_line + line - 1, column + shift


def decode_utf8(raw: bytes, file: str) -> str | Problem:
    """``raw`` as text, or the problem at the line where it stops being UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = "the file is not UTF-8 text at the whole file; save it with UTF-8 encoding"
        return Problem(file, line, 1, message)


def read_markdown(raw: bytes, file: str) -> tuple[MarkdownSource | None, list[Problem]]:
    """The body and front-matter title of a Markdown file's bytes (shown as ``file``)."""
    text = decode_utf8(raw, file)
    if isinstance(text, Problem):
        return None, [text]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _FENCE:
        return MarkdownSource(text, 1, None), []
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _FENCE_ENDS), None)
    if closing is None:
        message = (
            f"front matter opened on line 1 is never closed {where(FRONT_MATTER)}; "
            "add a line with --- where it ends"
        )
        return None, [Problem(file, 1, 1, message)]
    front = "".join(lines[1:closing])
    body = MarkdownSource("".join(lines[closing + 1 :]), closing + 2, None)
    tree, problems = parse_yaml(front, file, first_line=2, root=FRONT_MATTER)
    if problems and tree is None:
        return None, problems
    if tree is None:
        message = (
            f"the front matter is empty {where(FRONT_MATTER)}; add 'title: ...' between the "
            "--- lines, or remove both lines"
        )
        return None, [*problems, Problem(file, 1, 1, message)]
    if not isinstance(tree, Mapping):
        message = (
            f"the front matter is not a mapping of fields {where(FRONT_MATTER)}; write fields "
            "as 'name: value' lines, e.g. 'title: Week 1'"
        )
        return None, [*problems, Problem(file, 2, 1, message)]
    entry = tree.get("title")
    if entry is None:
        return body, problems
    title = entry.value
    if not isinstance(title, Scalar) or title.value is None or not title.text.strip():
        position = title.position
        message = (
            f"the title is empty or not text {where(FRONT_MATTER + '.title')}; "
            "write it on one line, e.g. 'title: Week 1'"
        )
        return None, [*problems, Problem(file, position.line, position.column, message)]
    # A title that YAML reads as a number or date ("title: 2024") is still meant as text.
    text = title.text.strip()
    if len(text) > TITLE_MAX_CHARS:
        message = (
            f"title is {len(text)} characters long, more than the limit of {TITLE_MAX_CHARS} "
            f"{where(FRONT_MATTER + '.title')}; shorten it to at most {TITLE_MAX_CHARS} characters"
        )
        at = title.position
        return None, [*problems, Problem(file, at.line, at.column, message)]
    return MarkdownSource(body.body, body.body_line, text), problems


def reserved_attribute_problems(markdown: str, placement: Placement, owner: str) -> list[Problem]:
    """The first ``data-pd-sync-`` in ``markdown`` (and how many more), as a located problem."""
    found = _RESERVED.search(markdown)
    if found is None:
        return []
    start = found.start()
    line = markdown.count("\n", 0, start) + 1
    column = start - (markdown.rfind("\n", 0, start) + 1) + 1
    more = len(_RESERVED.findall(markdown, start + 1))
    others = f" (and {more} more after it)" if more else ""
    message = (
        f"{quoted(found.group())} is reserved for pd-sync's ownership marker{others} at "
        f"{owner}; remove the attribute (pd-sync adds its own marker when it syncs)"
    )
    file_line, file_column = placement.locate(line, column)
    return [Problem(placement.file, file_line, file_column, message)]


def link_problems(
    markdown: str,
    placement: Placement,
    linking_source: str,
    pages: PageIndex,
    owner: str,
) -> list[Problem]:
    """Every internal link in ``markdown`` that reaches no page, as located problems.

    ``linking_source`` is the curriculum-relative path that relative links start from;
    ``owner`` says whose text it is in messages ("page 'mod1-week1'").
    """
    known = pages.pages
    rendered = render_markdown(markdown, pages.resolver(linking_source))
    problems: list[Problem] = []
    for link in rendered.problems:
        line, column = placement.locate(link.line, link.column)
        guess = _closest_target(link.target, known, linking_source)
        fix = (
            f"did you mean {quoted(guess)}? Or {LINK_PROBLEM_HINT}" if guess else LINK_PROBLEM_HINT
        )
        message = f"link to {quoted(link.target)} matches no page at {owner}; {fix}"
        problems.append(Problem(placement.file, line, column, message))
    return problems


def _closest_target(target: str, pages: tuple[PageSpec, ...], linking_source: str) -> str | None:
    """The way of writing a link to an existing page that looks most like ``target``."""
    bare = target.split("#", 1)[0]
    candidates: list[str]
    if bare.startswith(PAGE_KEY_PREFIX):
        candidates = [PAGE_KEY_PREFIX + page.key for page in pages]
    elif bare.startswith("/"):
        candidates = [alias for page in pages for alias in page.aliases]
    else:
        base = posixpath.dirname(linking_source) or "."
        candidates = [posixpath.relpath(page.source, base) for page in pages if page.source]
    close = difflib.get_close_matches(bare, candidates, n=1, cutoff=0.6)
    return close[0] if close else None
