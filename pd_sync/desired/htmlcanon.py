"""Compare HTML the way Canvas leaves it, and the ownership marker that rides inside it.

Canvas never hands back the bytes it was sent (canvas-api.md §4): on save it sanitises (drops
comments, scripts, unknown elements and attributes, re-quotes, re-encodes entities, repairs
tag soup) and on every read it rewrites (absolutises root-relative URLs, adds ``data-api-*`` to
links). ``canonical_html`` maps what pd-sync sends and what Canvas returns to the same text, so
"unchanged" and "edited in Canvas" can be told apart without false differences.

It does that by applying the sanitiser's own rules (from the canvas-lms allow-lists in §4) and
then normalising what is left: attribute order and quoting, entities, insignificant whitespace.
Anything Canvas would drop is dropped here too, so content Canvas cannot keep never shows up
as a permanent difference. Pure; stdlib ``html.parser`` only.

Over 400 lines on purpose: the allow-list tables and the parser that applies them change together
whenever canvas-lms's sanitiser does, so they stay in one file.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import NamedTuple

from pd_sync.curriculum import RESERVED_ATTRIBUTE_PREFIX

MARKER_ELEMENT = "div"
# Under the prefix the loader refuses in curriculum text, so no page or description can forge it.
MARKER_KEY_ATTR = f"{RESERVED_ATTRIBUTE_PREFIX}key"
MARKER_DIGEST_ATTR = f"{RESERVED_ATTRIBUTE_PREFIX}digest"
DIGEST_PREFIX = "sha256:"
_DIGEST_HEX_CHARS = 32


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MATHML = """math maction menclose merror mfenced mfrac mglyph mi mlabeledtr mmultiscripts mn mo
    mover mpadded mphantom mprescripts mroot mrow ms mspace msqrt mstyle msub msubsup msup mtable
    mtd mtext mtr munder munderover none semantics annotation annotation-xml"""
_ELEMENTS = _words(
    f"""a b blockquote br caption cite code col colgroup hr h1 h2 h3 h4 h5 h6 del ins iframe font
    dd div dl dt em figure figcaption i img li ol p pre q small source span strike strong sub sup
    abbr table tbody td tfoot th thead tr u ul object embed param video track audio address
    acronym map area bdo dfn kbd legend samp tt var big article aside details footer header nav
    section summary time picture ruby rt rp mark {_MATHML}"""
)
_VOID = _words("area base br col embed hr img input link meta param source track wbr")
# Removed together with everything inside them (the sanitize gem's remove_contents default).
_DROP_WITH_CONTENT = _words("script style svg noscript noembed noframes plaintext xmp")
_GLOBAL_ATTRIBUTES = _words("style class id title role lang dir")
_ELEMENT_ATTRIBUTES = {
    tag: _words(names)
    for tag, names in {
        "a": "href target name",
        "img": "align alt height src usemap width longdesc",
        "iframe": "src width height name align frameborder scrolling allow sandbox "
        "allowfullscreen webkitallowfullscreen mozallowfullscreen",
        "table": "summary width border cellpadding cellspacing center frame rules",
        "td": "abbr axis colspan rowspan width align valign dir",
        "th": "abbr axis colspan rowspan width align valign dir scope",
        "col": "span width",
        "colgroup": "span width",
        "ol": "start type",
        "ul": "type",
        "video": "name src controls poster muted width height",
        "audio": "name src controls muted",
        "source": "src type",
        "track": "src kind label srclang default",
        "font": "face color size",
        "object": "width height data type",
        "embed": "name src type allowfullscreen width height",
        "param": "name value",
        "blockquote": "cite",
        "q": "cite",
        "map": "name",
        "area": "alt coords href shape target",
    }.items()
}
_DATA_ATTRIBUTE = re.compile(
    r"data-(?!xml|kyle-menu|turn-into-dialog|flash-message|popup-within|html-tooltip-title"
    r"|method|api-)[a-z_][\w.:-]*"
)
_URL_ATTRIBUTES = _words("href src cite data poster longdesc usemap data-url")
_LINK_SCHEMES = _words("ftp http https mailto tel skype")
_MEDIA_SCHEMES = _words("http https data")
_WEB_SCHEMES = frozenset({"http", "https"})
_SCHEMES = {"a": _LINK_SCHEMES, "area": _LINK_SCHEMES} | dict.fromkeys(
    ("audio", "video", "source", "track"), _MEDIA_SCHEMES
)
_CSS_PROPERTIES = _words(
    """clear color cursor direction display float height left line-height max-height max-width min-
    height min-width position right top bottom vertical-align visibility white-space width
    z-index text-align text-decoration text-indent text-transform list-style-type"""
)
_CSS_PREFIXES = ("background", "border", "flex", "font", "grid", "margin", "padding")

# Where HTML5 closes an open element implicitly when another starts: (closes, stops at).
_P_CLOSERS = _words(
    """address article aside blockquote details div dl figcaption figure footer h1 h2 h3 h4 h5 h6
    header hr nav ol p pre section table ul"""
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
_TABLE_PARTS = _words("caption col colgroup tbody td tfoot th thead tr")
# Whitespace next to these tags never shows, so it is not part of the content.
_BLOCK = _words(
    """address article aside blockquote caption col colgroup dd details div dl dt figcaption figure
    footer h1 h2 h3 h4 h5 h6 header hr li nav ol p pre section summary table tbody td tfoot th
    thead tr ul"""
)

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_SPACES = re.compile("[ \t\n\r\f]+")
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):")
# Canvas makes links to its own objects absolute on read; the host is whichever one served it.
_CANVAS_ABSOLUTE = re.compile(r"https?://[^/?#\s]+(?=/courses/|/api/v1/)", re.IGNORECASE)


class _Node(NamedTuple):
    """``kind`` is ``start``, ``end`` or ``text``; ``value`` is the tag name or the text."""

    kind: str
    value: str
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Marker:
    """pd-sync's ownership marker: the object's curriculum key and the digest last sent."""

    key: str
    digest: str


def canonical_html(html_text: str, canvas_origin: str | None = None) -> str:
    """A canonical text for ``html_text`` that Canvas's save-and-read round trip leaves unchanged.

    ``canvas_origin`` (``https://canvas.example.edu``) also undoes the read-side absolutising of
    root-relative URLs that are not links to Canvas objects (``/images/x.png``); without it only
    ``/courses/…`` and ``/api/v1/…`` URLs are recognised, on any host.
    """
    return _serialise(_normalise(_parse(html_text, canvas_origin)))


def wrap_with_marker(inner_html: str, key: str) -> tuple[str, str]:
    """``inner_html`` inside the marker element that carries ``key`` and its digest."""
    # The digest is taken from the wrapped text, exactly as ``content_digest`` reads it back, so
    # inner HTML that cuts the wrapper short (an unclosed "<!--" swallows its end tag) agrees.
    unsigned = f'<{MARKER_ELEMENT} {MARKER_KEY_ATTR}="{html.escape(key)}">'
    digest = content_digest(f"{unsigned}{inner_html}</{MARKER_ELEMENT}>")
    if digest is None:  # pragma: no cover - the wrapper is a marker by construction
        raise AssertionError("marker wrapper not found")
    opening = f'{unsigned[:-1]} {MARKER_DIGEST_ATTR}="{digest}">'
    return f"{opening}{inner_html}</{MARKER_ELEMENT}>", digest


def read_marker(html_text: str | None) -> Marker | None:
    """The first marker in ``html_text`` (attribute order and quoting may be Canvas's)."""
    if not html_text:
        return None
    found = _find_marker(_parse(html_text, None))
    if found is None:
        return None
    attrs = dict(found[0].attrs)
    return Marker(key=attrs[MARKER_KEY_ATTR], digest=attrs.get(MARKER_DIGEST_ATTR, ""))


def content_digest(html_text: str | None, canvas_origin: str | None = None) -> str | None:
    """The digest of what is inside the marker now, as ``wrap_with_marker`` computes it.

    Equal to the marker's own digest when nobody has edited the content in Canvas since
    pd-sync wrote it; ``None`` when there is no marker.
    """
    if not html_text:
        return None
    nodes = _parse(html_text, canvas_origin)
    found = _find_marker(nodes)
    if found is None:
        return None
    start, end = found[1], found[2]
    return _digest(_normalise(nodes[start + 1 : end]))


def _digest(nodes: list[_Node]) -> str:
    hexdigest = hashlib.sha256(_serialise(nodes).encode("utf-8")).hexdigest()
    return DIGEST_PREFIX + hexdigest[:_DIGEST_HEX_CHARS]


def _find_marker(nodes: list[_Node]) -> tuple[_Node, int, int] | None:
    """The marker's start node, its index and the index of its matching end node."""
    for index, node in enumerate(nodes):
        if node.kind == "start" and any(name == MARKER_KEY_ATTR for name, _ in node.attrs):
            if node.value in _VOID:
                return node, index, index + 1
            depth = 0
            # The parser closes every element it opens, so nesting can be counted.
            for end in range(index, len(nodes)):
                kind = nodes[end].kind
                if kind == "start" and nodes[end].value not in _VOID:
                    depth += 1
                elif kind == "end":
                    depth -= 1
                    if depth == 0:
                        return node, index, end
            return node, index, len(nodes)
    return None


# --- parsing: what the sanitiser keeps, as balanced nodes ---------------------------------------


def _parse(html_text: str, canvas_origin: str | None) -> list[_Node]:
    parser = _Parser(canvas_origin.rstrip("/") if canvas_origin else None)
    # The HTML5 parser turns CR and CRLF into LF before anything else.
    parser.feed(re.sub(r"\r\n?", "\n", html_text))
    # A comment, tag or "<?" left open at the end runs to the end of input in HTML5 and is
    # dropped; html.parser would emit it as text instead.
    if re.match(r"<[!?/A-Za-z]", parser.rawdata):
        parser.rawdata = ""
    parser.close()
    parser.pop_to(0)
    return parser.nodes


class _Parser(HTMLParser):
    """Keeps allow-listed elements and attributes; closes what HTML5 would close."""

    def __init__(self, canvas_origin: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.canvas_origin = canvas_origin
        self.nodes: list[_Node] = []
        self.open: list[str] = []
        self.dropping: str | None = None
        self.drop_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping is not None:
            if tag == self.dropping:
                self.drop_depth += 1
            return
        if tag in _DROP_WITH_CONTENT:
            self.dropping, self.drop_depth = tag, 1
            return
        if tag not in _ELEMENTS:
            return  # unwrapped: its children stay, as the sanitiser keeps them
        if tag in _TABLE_PARTS and "table" not in self.open:
            return  # HTML5 ignores table parts outside a table
        if tag in _P_CLOSERS:
            self._close_implied(*_IMPLIED_END["p"])
        if tag in _IMPLIED_END:
            self._close_implied(*_IMPLIED_END[tag])
        if tag == "tr" and self.open and self.open[-1] == "table":
            # HTML5 puts rows written straight into a table inside an implied <tbody>.
            self.nodes.append(_Node("start", "tbody"))
            self.open.append("tbody")
        self.nodes.append(_Node("start", tag, self._attributes(tag, attrs)))
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # HTML5 ignores "/>" on HTML elements: <div/> opens a div, <br/> is just <br>.
        if tag in _DROP_WITH_CONTENT:
            return
        self.handle_starttag(tag, attrs)

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
            self.nodes.append(_Node("text", _CONTROL.sub("", data)))

    def pop_to(self, index: int) -> None:
        while len(self.open) > index:
            self.nodes.append(_Node("end", self.open.pop()))

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
        kept: dict[str, str] = {}
        seen: set[str] = set()
        for name, raw in attrs:
            if name in seen or not _attribute_allowed(tag, name):
                continue  # HTML5 keeps the first of duplicated attributes
            seen.add(name)
            value = _attribute_value(tag, name, _CONTROL.sub("", raw or ""), self.canvas_origin)
            if value is not None:
                kept[name] = value
        return tuple(sorted(kept.items()))


def _attribute_allowed(tag: str, name: str) -> bool:
    if name in _GLOBAL_ATTRIBUTES or name in _ELEMENT_ATTRIBUTES.get(tag, ()):
        return True
    return name.startswith("aria-") or _DATA_ATTRIBUTE.fullmatch(name) is not None


def _attribute_value(tag: str, name: str, value: str, canvas_origin: str | None) -> str | None:
    """The canonical value, or ``None`` when the sanitiser would drop the attribute."""
    if name in _URL_ATTRIBUTES:
        scheme = _SCHEME.match(value)
        if scheme is not None and scheme.group(1).lower() not in _SCHEMES.get(tag, _WEB_SCHEMES):
            return None
        if canvas_origin and value.startswith(canvas_origin + "/"):
            return value[len(canvas_origin) :]
        absolute = _CANVAS_ABSOLUTE.match(value)
        return value[absolute.end() :] if absolute is not None else value
    if name == "style":
        return _canonical_css(value) or None
    if name == "id":
        return re.sub(r"\s+", "", value)
    if name == "class":
        return " ".join(value.split())
    return value


def _canonical_css(style: str) -> str:
    declarations: list[str] = []
    for declaration in style.split(";"):
        prop, colon, value = declaration.partition(":")
        prop, value = prop.strip().lower(), " ".join(value.split())
        if (
            not colon
            or not value
            or not (prop in _CSS_PROPERTIES or prop.startswith(_CSS_PREFIXES))
        ):
            continue
        lowered = value.lower()
        if "expression(" in lowered or "javascript:" in lowered:
            continue
        declarations.append(f"{prop}: {value}")
    return "; ".join(declarations)


# --- normalising and writing --------------------------------------------------------------------


def _is_block(node: _Node | None) -> bool:
    return node is None or (node.kind != "text" and node.value in _BLOCK)


def _normalise(nodes: list[_Node]) -> list[_Node]:
    """Merge text, collapse whitespace outside ``pre``, drop it where blocks meet."""
    merged: list[_Node] = []
    for node in nodes:
        if node.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1] = _Node("text", merged[-1].value + node.value)
        else:
            merged.append(node)
    result: list[_Node] = []
    pre_depth = 0
    for index, node in enumerate(merged):
        if node.kind != "text":
            if node.value == "pre":
                pre_depth += 1 if node.kind == "start" else -1
            result.append(node)
            continue
        text = node.value
        if pre_depth > 0:
            # An HTML5 parser drops one newline right after <pre>; serialisers may add it back.
            previous = merged[index - 1] if index > 0 else None
            if previous is not None and previous[:2] == ("start", "pre"):
                text = text.removeprefix("\n")
        else:
            text = _SPACES.sub(" ", text)
            if _is_block(result[-1] if result else None):
                text = text.lstrip(" ")
            if _is_block(merged[index + 1] if index + 1 < len(merged) else None):
                text = text.rstrip(" ")
        if text:
            result.append(_Node("text", text))
    return result


def _serialise(nodes: list[_Node]) -> str:
    parts: list[str] = []
    for node in nodes:
        if node.kind == "text":
            parts.append(html.escape(node.value, quote=False))
        elif node.kind == "end":
            parts.append(f"</{node.value}>")
        else:
            attrs = "".join(f' {name}="{html.escape(value)}"' for name, value in node.attrs)
            parts.append(f"<{node.value}{attrs}>")
    return "".join(parts)
