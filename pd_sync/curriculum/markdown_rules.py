"""The syntax curriculum Markdown adds to CommonMark, as markdown-it rules (``render`` builds the
one parser with them): kramdown attribute lists (``{:target="_blank"}`` after a link, ``{: .note}``
ending a paragraph), a GitHub-style ``id`` on every heading (unique within the document), and
``~~text~~`` written as ``<del>`` as kramdown does. Kept apart from ``render``, which decides what
links and images mean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_IAL = re.compile(r"""\{:[ \t]*((?:[^}"'\n]|"[^"\n]*"|'[^'\n]*')*)\}""")
_IAL_ITEM = re.compile(
    r"""([A-Za-z_:][-A-Za-z0-9_:.]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
    r"""|\.([-\w]+)|\#([-\w]+)"""
)


def _ial_inline(state: StateInline, silent: bool) -> bool:
    """Inline rule: ``{: …}`` becomes a ``kramdown_ial`` token carrying its attributes."""
    if not state.src.startswith("{:", state.pos):
        return False
    match = _IAL.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        token = state.push("kramdown_ial", "", 0)
        token.meta["attrs"] = _parse_ial(match.group(1))
    state.pos = match.end()
    return True


def _parse_ial(body: str) -> list[tuple[str, str]]:
    attrs: list[tuple[str, str]] = []
    for item in _IAL_ITEM.finditer(body):
        name, dq, sq, bare, css_class, ident = item.groups()
        if name is not None:
            attrs.append((name.lower(), dq if dq is not None else sq if sq is not None else bare))
        elif css_class is not None:
            attrs.append(("class", css_class))
        elif ident is not None:
            attrs.append(("id", ident))
    return attrs


def _apply_ial(target: Token, attrs: Sequence[tuple[str, str]]) -> None:
    for name, value in attrs:
        if name == "class":
            target.attrJoin("class", value)
        else:
            target.attrSet(name, value)


def _ial_core(state: StateCore) -> None:
    """Attach each ``{: …}`` to the link it follows, or to the block it ends; then drop it."""
    for index, token in enumerate(state.tokens):
        children = token.children
        if token.type != "inline" or not children:
            continue
        if not any(c.type == "kramdown_ial" for c in children):
            continue
        kept: list[Token] = []
        for position, child in enumerate(children):
            if child.type != "kramdown_ial":
                kept.append(child)
                continue
            attrs: list[tuple[str, str]] = child.meta["attrs"]
            rest = children[position + 1 :]
            ends_block = all(c.type == "text" and not c.content.strip() for c in rest)
            if kept and kept[-1].type == "link_close":
                opener = _matching_open(kept, "link_open", "link_close")
                if opener is not None:
                    _apply_ial(opener, attrs)
            elif ends_block and index > 0 and state.tokens[index - 1].nesting == 1:
                while kept and kept[-1].type in ("softbreak", "hardbreak"):
                    kept.pop()
                if kept and kept[-1].type == "text":
                    kept[-1].content = kept[-1].content.rstrip()
                _apply_ial(state.tokens[index - 1], attrs)
        token.children = kept


def _matching_open(tokens: Sequence[Token], open_type: str, close_type: str) -> Token | None:
    depth = 0
    for token in reversed(tokens):
        if token.type == close_type:
            depth += 1
        elif token.type == open_type:
            depth -= 1
            if depth == 0:
                return token
    return None


# --- heading ids -------------------------------------------------------------------------------


def heading_slug(text: str) -> str:
    """GitHub's heading anchor: lowercase, punctuation dropped, each space a ``-``."""
    kept = "".join(
        c
        for c in text.strip().lower()
        if c.isalnum() or c in "-_ " or unicodedata.category(c).startswith("M")
    )
    return kept.replace(" ", "-") or "section"


def _heading_text(inline: Token) -> str:
    parts: list[str] = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_heading_text(child))
    return "".join(parts)


def _heading_ids(state: StateCore) -> None:
    """Give every heading a unique id; ids set explicitly (``{: #id}``) are kept and reserved."""
    headings = [
        (token, state.tokens[i + 1])
        for i, token in enumerate(state.tokens)
        if token.type == "heading_open" and i + 1 < len(state.tokens)
    ]
    used = {str(h.attrGet("id")) for h, _ in headings if h.attrGet("id")}
    for heading, inline in headings:
        if heading.attrGet("id"):
            continue
        base = heading_slug(_heading_text(inline))
        slug, n = base, 0
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        heading.attrSet("id", slug)


def _strikethrough_as_del(state: StateCore) -> None:
    """``~~x~~`` becomes ``<del>``: Canvas's sanitiser keeps ``del`` but drops ``s``."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type in ("s_open", "s_close"):
                child.tag = "del"


def add_kramdown_rules(md: MarkdownIt) -> None:
    """Attribute lists, heading ids and ``<del>``, in the order they must run."""
    md.inline.ruler.push("kramdown_ial", _ial_inline)
    md.core.ruler.push("kramdown_ial", _ial_core)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("strikethrough_as_del", _strikethrough_as_del)
