"""Compare HTML the way Canvas leaves it, and the ownership marker that rides inside it.

Canvas never hands back the bytes it was sent (canvas-api.md §4): on save it sanitises (drops
comments, scripts, unknown elements and attributes, re-quotes, re-encodes entities, repairs
tag soup) and on every read it rewrites (absolutises root-relative URLs, adds ``data-api-*`` to
links). ``canonical_html`` maps what pd-sync sends and what Canvas returns to the same text, so
"unchanged" and "edited in Canvas" can be told apart without false differences.

It starts from what Canvas keeps (``canvas_html``, the sanitiser with canvas-lms's own tables)
and then undoes what differs between a write and a read: attribute order and quoting, entities,
insignificant whitespace, absolutised URLs, ``data-api-*``. Anything Canvas would drop is
dropped here too, so content Canvas cannot keep never shows up as a permanent difference.
Pure; stdlib only.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from pd_sync.curriculum import RESERVED_ATTRIBUTE_PREFIX
from pd_sync.desired.canvas_allowlist import VOID, names
from pd_sync.desired.canvas_html import Node, parse_kept

MARKER_ELEMENT = "div"
# Under the prefix the loader refuses in curriculum text, so no page or description can forge it.
MARKER_KEY_ATTR = f"{RESERVED_ATTRIBUTE_PREFIX}key"
MARKER_DIGEST_ATTR = f"{RESERVED_ATTRIBUTE_PREFIX}digest"
DIGEST_PREFIX = "sha256:"
_DIGEST_HEX_CHARS = 32

_URL_ATTRIBUTES = names("href src cite data poster longdesc usemap data-url")
# Added by Canvas on read to links to its own objects (Api#api_user_content), never sent.
_READ_SIDE_DATA = "data-api-"
# Canvas makes links to its own objects absolute on read; the host is whichever one served it.
_CANVAS_ABSOLUTE = re.compile(r"https?://[^/?#\s]+(?=/courses/|/api/v1/)", re.IGNORECASE)
_SPACES = re.compile("[ \t\n\r\f]+")
# Whitespace next to these tags never shows, so it is not part of the content.
_BLOCK = names(
    """address article aside blockquote caption col colgroup dd details div dl dt figcaption
    figure footer h1 h2 h3 h4 h5 h6 header hr li nav ol p pre section summary table tbody td
    tfoot th thead tr ul"""
)


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


def _digest(nodes: list[Node]) -> str:
    hexdigest = hashlib.sha256(_serialise(nodes).encode("utf-8")).hexdigest()
    return DIGEST_PREFIX + hexdigest[:_DIGEST_HEX_CHARS]


def _find_marker(nodes: list[Node]) -> tuple[Node, int, int] | None:
    """The marker's start node, its index and the index of its matching end node."""
    for index, node in enumerate(nodes):
        if node.kind == "start" and any(name == MARKER_KEY_ATTR for name, _ in node.attrs):
            if node.value in VOID:
                return node, index, index + 1
            depth = 0
            # The parser closes every element it opens, so nesting can be counted.
            for end in range(index, len(nodes)):
                kind = nodes[end].kind
                if kind == "start" and nodes[end].value not in VOID:
                    depth += 1
                elif kind == "end":
                    depth -= 1
                    if depth == 0:
                        return node, index, end
            return node, index, len(nodes)
    return None


# --- canonical values: what differs between what was sent and what is read back ------------


def _parse(html_text: str, canvas_origin: str | None) -> list[Node]:
    """What Canvas keeps of ``html_text``, with attribute values in canonical form."""
    nodes, _ = parse_kept(html_text)
    origin = canvas_origin.rstrip("/") if canvas_origin else None
    return [
        Node(n.kind, n.value, _canonical_attributes(n.attrs, origin)) if n.kind == "start" else n
        for n in nodes
    ]


def _canonical_attributes(
    attrs: tuple[tuple[str, str], ...], canvas_origin: str | None
) -> tuple[tuple[str, str], ...]:
    kept: dict[str, str] = {}
    for name, value in attrs:
        if name.startswith(_READ_SIDE_DATA):
            continue  # Canvas adds and rewrites these on every read
        canonical = _attribute_value(name, value, canvas_origin)
        if canonical is not None:
            kept[name] = canonical
    return tuple(sorted(kept.items()))


def _attribute_value(name: str, value: str, canvas_origin: str | None) -> str | None:
    if name in _URL_ATTRIBUTES:
        if canvas_origin and value.startswith(canvas_origin + "/"):
            return _without_verifier(value[len(canvas_origin) :])
        absolute = _CANVAS_ABSOLUTE.match(value)
        return _without_verifier(value[absolute.end() :] if absolute is not None else value)
    if name == "style":
        return _canonical_css(value) or None
    if name == "class":
        return " ".join(value.split())
    return value


# A link to a course file, which Canvas hands an API reader with ``verifier=<the file's uuid>``
# added (lib/user_content/files_handler.rb) and strips again on save (lib/api/html/content.rb).
_FILE_URL = re.compile(r"\A(/courses/\d+/files/\d+[^?#]*)\?([^#]*)(#.*)?\Z")


def _without_verifier(url: str) -> str:
    match = _FILE_URL.match(url)
    if match is None or "verifier=" not in match.group(2):
        return url
    kept = [p for p in match.group(2).split("&") if p and not p.startswith("verifier=")]
    return match.group(1) + ("?" + "&".join(kept) if kept else "") + (match.group(3) or "")


def _canonical_css(style: str) -> str:
    """Declarations as ``prop: value`` joined by ``; ``: the sanitiser has already chosen them."""
    declarations: list[str] = []
    for declaration in style.split(";"):
        prop, _, value = declaration.partition(":")
        prop, value = prop.strip().lower(), " ".join(value.split())
        if prop and value:
            declarations.append(f"{prop}: {value}")
    return "; ".join(declarations)


# --- normalising and writing --------------------------------------------------------------------


def _is_block(node: Node | None) -> bool:
    return node is None or (node.kind != "text" and node.value in _BLOCK)


def _normalise(nodes: list[Node]) -> list[Node]:
    """Merge text, collapse whitespace outside ``pre``, drop it where blocks meet."""
    merged: list[Node] = []
    for node in nodes:
        if node.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1] = Node("text", merged[-1].value + node.value)
        else:
            merged.append(node)
    result: list[Node] = []
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
            result.append(Node("text", text))
    return result


def _serialise(nodes: list[Node]) -> str:
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
