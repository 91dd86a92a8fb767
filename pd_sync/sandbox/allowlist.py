"""The sanitiser's allow-lists, after CanvasSanitize::SANITIZE (canvas-api.md §4)."""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MATHML = words(
    """math maction maligngroup malignmark menclose merror mfenced mfrac mglyph mi mlabeledtr
    mlongdiv mmultiscripts mn mo mover mpadded mphantom mprescripts mroot mrow ms mscarries
    mscarry msgroup msline mspace msqrt msrow mstack mstyle msub msubsup msup mtable mtd mtext
    mtr munder munderover none semantics annotation annotation-xml"""
)

ELEMENTS = (
    words(
        """a b blockquote br caption cite code col colgroup hr h1 h2 h3 h4 h5 h6 del ins iframe
        font dd div dl dt em figure figcaption i img li ol p pre q small source span strike
        strong sub sup abbr table tbody td tfoot th thead tr u ul object embed param video track
        audio address acronym map area bdo dfn kbd legend samp tt var big article aside details
        footer header nav section summary time picture ruby rt rp mark"""
    )
    | MATHML
)

VOID = words("area br col embed hr img param source track wbr input link meta")

# The sanitize gem's remove_contents default: these vanish with everything inside them.
DROP_WITH_CONTENT = words("script style svg noscript noembed noframes plaintext xmp")

GLOBAL_ATTRIBUTES = words("style class id title role lang dir")
_ARIA = re.compile(r"\Aaria-[a-z]+\Z")
_DATA = re.compile(
    r"\Adata-(?!xml|kyle-menu|turn-into-dialog|flash-message|popup-within|html-tooltip-title"
    r"|method)[a-z_][\w.:\u00e0-\u00f6\u00f8-\u017f-]*\Z"
)

ELEMENT_ATTRIBUTES: dict[str, frozenset[str]] = {
    tag: words(names)
    for tag, names in {
        "a": "href target name",
        "img": "align alt height src usemap width longdesc",
        "iframe": (
            "src width height name align frameborder scrolling allow sandbox allowfullscreen "
            "webkitallowfullscreen mozallowfullscreen"
        ),
        "table": "summary width border cellpadding cellspacing center frame rules",
        "td": "abbr axis colspan rowspan width align valign dir",
        "th": "abbr axis colspan rowspan width align valign dir scope",
        "tr": "align valign dir",
        "col": "span width align valign",
        "colgroup": "span width align valign",
        "ol": "start type",
        "ul": "type",
        "li": "value",
        "video": "name src controls poster muted width height autoplay loop preload playsinline",
        "audio": "name src controls muted autoplay loop preload",
        "source": "src type media srcset sizes",
        "track": "src kind label srclang default",
        "font": "face color size",
        "object": "width height data type classid codebase name",
        "embed": "name src type allowfullscreen pluginspage wmode allowscriptaccess width height",
        "param": "name value",
        "blockquote": "cite",
        "q": "cite",
        "del": "cite datetime",
        "ins": "cite datetime",
        "time": "datetime",
        "map": "name",
        "area": "alt coords href shape target",
        "details": "open",
        "math": "display xmlns",
    }.items()
}

_WEB = frozenset({"http", "https"})
_LINKS = frozenset({"ftp", "http", "https", "mailto", "tel", "skype"})
_MEDIA = frozenset({"http", "https", "data"})
PROTOCOLS: dict[tuple[str, str], frozenset[str]] = {
    ("a", "href"): _LINKS,
    ("area", "href"): _LINKS,
    ("audio", "src"): _MEDIA,
    ("video", "src"): _MEDIA,
    ("video", "poster"): _MEDIA,
    ("source", "src"): _MEDIA,
    ("track", "src"): _MEDIA,
}
URL_ATTRIBUTES = words("href src cite data poster longdesc usemap data-url data-item-href")
WEB_PROTOCOLS = _WEB

CSS_PROPERTIES = words(
    """bottom clear clip color cursor direction display float height left letter-spacing
    line-height max-height max-width min-height min-width position right top unicode-bidi
    vertical-align visibility white-space width word-spacing word-wrap z-index zoom
    text-align text-decoration text-indent text-transform table-layout caption-side
    empty-cells border-collapse border-spacing gap row-gap column-gap order opacity
    box-sizing box-shadow"""
)
CSS_PREFIXES = (
    "background",
    "border",
    "flex",
    "font",
    "grid",
    "margin",
    "padding",
    "list-style",
    "overflow",
    "align-",
    "justify-",
    "text-decoration",
    "outline",
)


def attribute_allowed(tag: str, name: str) -> bool:
    if name in GLOBAL_ATTRIBUTES or name in ELEMENT_ATTRIBUTES.get(tag, ()):
        return True
    return bool(_ARIA.match(name) or _DATA.match(name))


def css_property_allowed(name: str) -> bool:
    return name in CSS_PROPERTIES or name.startswith(CSS_PREFIXES)
