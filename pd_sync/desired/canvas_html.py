"""HTML as Canvas keeps it: the sanitiser's rules applied the way canvas-lms applies them.

Canvas sanitises every page body and assignment description before saving it (canvas-api.md
§4): elements it does not allow are unwrapped (or dropped with their content), attributes and
URLs it does not allow are removed, and style attributes keep only allowed properties. pd-sync
applies the same rules (``canvas_allowlist``) to what it is about to send, so that

- what it sends is what Canvas stores, and a digest of it matches what is read back;
- it can say, before anything is written, what the curriculum will lose (``Dropped``).

Parsing is stdlib ``html.parser`` plus the few HTML5 tree rules that change what is stored
(implied end tags, ``<tbody>`` around rows, table parts outside a table). Pure; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import NamedTuple

from pd_sync.desired.canvas_allowlist import (
    CSS_PROTOCOLS,
    DROP_WITH_CONTENT,
    ELEMENTS,
    MATHML,
    PROTOCOLS,
    VOID,
    attribute_allowed,
    css_property_allowed,
    names,
    url_scheme,
)

# What a Dropped is about.
ELEMENT = "element"  # unwrapped: its children stay
CONTENT = "content"  # removed with everything inside it
ATTRIBUTE = "attribute"
URL = "url"  # a URL attribute whose scheme is not allowed there
STYLE = "style"  # a CSS property Canvas does not allow, in a style attribute
STYLE_VALUE = "style value"  # an allowed property whose value Canvas refuses (url(), expression())


@dataclass(frozen=True)
class Dropped:
    """One thing Canvas's sanitiser removes; ``name`` is what is written in the source."""

    what: str
    name: str
    element: str

    def describe(self) -> str:
        if self.what == ELEMENT:
            return f"the <{self.name}> element (its text stays)"
        if self.what == CONTENT:
            return f"the <{self.name}> element and everything inside it"
        if self.what == ATTRIBUTE:
            return f"the {self.name} attribute on <{self.element}>"
        if self.what == URL:
            return f"the URL {self.name} on <{self.element}> (Canvas does not allow its scheme)"
        if self.what == STYLE:
            return f"the CSS property {self.name} in a style on <{self.element}>"
        return f"the CSS {self.name} in a style on <{self.element}> (its value is refused)"


@dataclass(frozen=True)
class KeptHtml:
    """HTML reduced to what Canvas keeps, and what was removed to get there (in order)."""

    html: str
    dropped: tuple[Dropped, ...]


class Node(NamedTuple):
    """``kind`` is ``start``, ``end`` or ``text``; ``value`` is the tag name or the text."""

    kind: str
    value: str
    attrs: tuple[tuple[str, str], ...] = ()


def keep_as_canvas(
    html_text: str, internal_scheme: str | tuple[str, ...] | None = None
) -> KeptHtml:
    """``html_text`` as Canvas would store it.

    ``internal_scheme`` (``pd-sync-page:``, or several) is let through on ``<a href>`` and
    ``<img src>``: such references are replaced by relative Canvas URLs, which Canvas allows,
    before anything is sent.
    """
    nodes, dropped = parse_kept(html_text, internal_scheme)
    return KeptHtml(serialise(nodes), tuple(dropped))


def parse_kept(
    html_text: str, internal_scheme: str | tuple[str, ...] | None = None
) -> tuple[list[Node], list[Dropped]]:
    """The balanced nodes Canvas keeps of ``html_text``, and what it drops on the way."""
    schemes = (internal_scheme,) if isinstance(internal_scheme, str) else internal_scheme or ()
    parser = _Parser(frozenset(s.rstrip(":").lower() for s in schemes))
    # The HTML5 parser turns CR and CRLF into LF before anything else.
    parser.feed(re.sub(r"\r\n?", "\n", html_text))
    # A comment, tag or "<?" left open at the end runs to the end of input in HTML5 and is
    # dropped; html.parser would emit it as text instead.
    if re.match(r"<[!?/A-Za-z]", parser.rawdata):
        parser.rawdata = ""
    parser.close()
    parser.pop_to(0)
    return parser.nodes, parser.dropped


def serialise(nodes: list[Node]) -> str:
    """HTML5 serialisation, escaping as Canvas's serialiser (Nokogiri's HTML5) does."""
    parts: list[str] = []
    for node in nodes:
        if node.kind == "text":
            parts.append(_escape_text(node.value))
        elif node.kind == "end":
            parts.append(f"</{node.value}>")
        else:
            attrs = "".join(f' {name}="{_escape_attribute(v)}"' for name, v in node.attrs)
            parts.append(f"<{node.value}{attrs}>")
    return "".join(parts)


def _escape_text(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("\xa0", "&nbsp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")


# --- parsing --------------------------------------------------------------------------------

# Code points the HTML5 input stream drops (controls other than whitespace, non-characters).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
# The sanitize gem escapes these two characters in URL attributes (a guard against libxml2's
# attribute escaping) after it has checked the scheme.
_URL_ESCAPED = {"href", "src", "action"}
_URL_ESCAPES = str.maketrans({" ": "%20", '"': "%22"})

# Where HTML5 closes an open element implicitly when another starts: (closes, stops at).
_P_CLOSERS = names(
    """address article aside blockquote details div dl figcaption figure footer h1 h2 h3 h4 h5
    h6 header hr nav ol p pre section table ul"""
)
_IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "p": (frozenset({"p"}), frozenset({"table", "td", "th", "caption", "li", "dd", "dt"})),
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "table"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr"}), frozenset({"table", "thead", "tbody", "tfoot"})),
}
_TABLE_PARTS = names("caption col colgroup tbody td tfoot th thead tr")


class _Parser(HTMLParser):
    """Keeps allowed elements and attributes, closes what HTML5 would close, notes the rest."""

    def __init__(self, internal_schemes: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.internal_schemes = internal_schemes
        self.nodes: list[Node] = []
        self.dropped: list[Dropped] = []
        self.open: list[str] = []
        self.dropping: str | None = None
        self.drop_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> None:
        if self.dropping is not None:
            if tag == self.dropping and not self_closing:
                self.drop_depth += 1
            return
        if tag in DROP_WITH_CONTENT:
            self.dropped.append(Dropped(CONTENT, tag, tag))
            if not self_closing:  # HTML5 ignores "/>" here too, but nothing follows it
                self.dropping, self.drop_depth = tag, 1
            return
        if tag not in ELEMENTS:
            self.dropped.append(Dropped(ELEMENT, tag, tag))
            return
        if tag in _TABLE_PARTS and "table" not in self.open:
            return  # HTML5 ignores table parts outside a table: nothing to lose but the tag
        if tag in _P_CLOSERS:
            self._close_implied(*_IMPLIED_END["p"])
        if tag in _IMPLIED_END:
            self._close_implied(*_IMPLIED_END[tag])
        if tag == "tr" and self.open and self.open[-1] == "table":
            # HTML5 puts rows written straight into a table inside an implied <tbody>.
            self.nodes.append(Node("start", "tbody"))
            self.open.append("tbody")
        self.nodes.append(Node("start", tag, self._attributes(tag, attrs)))
        if tag in VOID:
            return
        if self_closing and tag in MATHML:
            # Foreign (MathML) elements honour "/>"; HTML elements ignore it.
            self.nodes.append(Node("end", tag))
            return
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping is not None:
            if tag == self.dropping:
                self.drop_depth -= 1
                if self.drop_depth == 0:
                    self.dropping = None
            return
        if tag in self.open:
            self.pop_to(len(self.open) - 1 - self.open[::-1].index(tag))

    def handle_data(self, data: str) -> None:
        if self.dropping is None:
            self.nodes.append(Node("text", _CONTROL.sub("", data)))

    def pop_to(self, index: int) -> None:
        while len(self.open) > index:
            self.nodes.append(Node("end", self.open.pop()))

    def _close_implied(self, closes: frozenset[str], stops_at: frozenset[str]) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index] in closes:
                self.pop_to(index)
                return
            if self.open[index] in stops_at:
                return

    def _attributes(
        self, tag: str, attrs: list[tuple[str, str | None]]
    ) -> tuple[tuple[str, str], ...]:
        kept: list[tuple[str, str]] = []
        seen: set[str] = set()
        for name, raw in attrs:
            if name in seen:
                continue  # HTML5 keeps the first of duplicated attributes
            seen.add(name)
            if not attribute_allowed(tag, name):
                self.dropped.append(Dropped(ATTRIBUTE, name, tag))
                continue
            value = self._value(tag, name, _CONTROL.sub("", raw or ""))
            if value is not None:
                kept.append((name, value))
        return tuple(kept)

    def _value(self, tag: str, name: str, value: str) -> str | None:
        """What Canvas stores for an allowed attribute, or None when it removes it."""
        allowed = PROTOCOLS.get((tag, name))
        if allowed is not None:
            scheme = url_scheme(value)
            internal = (tag, name) in (("a", "href"), ("img", "src")) and (
                scheme in self.internal_schemes
            )
            if scheme not in allowed and not internal:
                self.dropped.append(Dropped(URL, value.strip(), tag))
                return None
            value = value.strip()
        if name in _URL_ESCAPED or (tag == "a" and name == "name"):
            value = value.translate(_URL_ESCAPES)
        if name == "style":
            value = self._style(tag, value)
            return value if value.strip() else None
        if name == "id":
            return re.sub(r"\s+", "", value)
        return value

    def _style(self, tag: str, style: str) -> str:
        """The declarations Canvas keeps, as written; the rest noted as dropped."""
        declarations = [d for d in style.split(";") if d.strip()]
        kept: list[str] = []
        for declaration in declarations:
            prop, colon, value = declaration.partition(":")
            prop = prop.strip().lower()
            if not colon or not css_property_allowed(prop):
                self.dropped.append(Dropped(STYLE, prop, tag))
                continue
            lowered = value.lower()
            urls = _CSS_URL.findall(value)
            if (
                "expression(" in lowered
                or "javascript:" in lowered
                or any(url_scheme(u) not in CSS_PROTOCOLS for u in urls)
            ):
                self.dropped.append(Dropped(STYLE_VALUE, prop, tag))
                continue
            kept.append(declaration.strip())
        if len(kept) == len(declarations):
            return style
        return "; ".join(kept) + (";" if kept and style.rstrip().endswith(";") else "")
