"""What Canvas's sanitiser lets through: elements, attributes, URL schemes, CSS properties.

Canvas runs every page body and assignment description through ``CanvasSanitize::SANITIZE``
(gems/canvas_sanitize/lib/canvas_sanitize/canvas_sanitize.rb) with the sanitize gem's
``CleanElement`` rules before it saves it (canvas-api.md §4, §14). pd-sync applies the same
tables to what it sends, so what it sends, what it digests and what Canvas keeps are one text.

The sandbox keeps its own copy of these tables (``pd_sync/sandbox/allowlist.py``): it may import
nothing from pd_sync, so that it stays an independent model of Canvas. A test
(tests/desired/test_canvas_allowlist.py) holds the two copies equal; change both together,
from canvas-lms, never one to suit the other.
"""

from __future__ import annotations

import re


def names(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, as a set (the tables below are written so)."""
    return frozenset(text.split())


MATHML = names(
    """math maction maligngroup malignmark menclose merror mfenced mfrac mglyph mi mlabeledtr
    mlongdiv mmultiscripts mn mo mover mpadded mphantom mprescripts mroot mrow ms mscarries
    mscarry msgroup msline mspace msqrt msrow mstack mstyle msub msubsup msup mtable mtd mtext
    mtr munder munderover none semantics annotation annotation-xml"""
)

# SANITIZE[:elements]. The newest release also lists `style`; older ones strip it with its
# text. pd-sync assumes the older, stricter rule: a <style> it sent might not survive.
ELEMENTS = (
    names(
        """a abbr acronym address area article aside audio b bdo big blockquote br caption cite
        code col colgroup dd del details dfn div dl dt em embed figcaption figure font footer h1
        h2 h3 h4 h5 h6 header hr i iframe img ins kbd legend li map mark nav object ol p param
        picture pre q rp rt ruby samp section small source span strike strong sub summary sup
        table tbody td tfoot th thead time tr track tt u ul var video"""
    )
    | MATHML
)

# Elements with no end tag, as an HTML5 parser and serialiser treat them.
VOID = names("area br col embed hr img input link meta param source track wbr")

# The sanitize gem's default :remove_contents: these go together with everything inside them;
# any other element that is not allowed is unwrapped and its children kept.
DROP_WITH_CONTENT = names("noembed noframes noscript plaintext script style svg xmp")

# SANITIZE[:attributes][:all]. Only these aria-* names: aria-current, aria-posinset and the
# other newer ones are dropped. data-* names are a rule of their own (DATA_ATTRIBUTE).
GLOBAL_ATTRIBUTES = names(
    """class dir id lang role style title aria-atomic aria-autocomplete aria-busy aria-checked
    aria-controls aria-describedby aria-disabled aria-dropeffect aria-expanded aria-flowto
    aria-grabbed aria-haspopup aria-hidden aria-invalid aria-label aria-labelledby aria-level
    aria-live aria-multiline aria-multiselectable aria-orientation aria-owns aria-pressed
    aria-readonly aria-relevant aria-required aria-selected aria-sort aria-valuemax
    aria-valuemin aria-valuenow aria-valuetext"""
)

# Canvas's override of CleanElement::REGEX_DATA_ATTR: a few data-* names its own scripts trust
# are refused; the rest must be lower-case-led words (Ruby's \w is ASCII) with '.', '-' and some
# Latin letters. ':' is not allowed.
DATA_ATTRIBUTE = re.compile(
    r"\Adata-(?!xml|kyle-menu|turn-into-dialog|flash-message|popup-within|html-tooltip-title"
    r"|method)[a-z_][A-Za-z0-9_.\u00e0-\u00f6\u00f8-\u017f\u01dd-\u02af-]*\Z"
)

_MEDIA_ATTRIBUTES = "name src allowfullscreen allow muted poster width height controls playsinline"
_HTML_ATTRIBUTES = {
    "a": "href target name",
    "area": "alt coords href shape target",
    "audio": _MEDIA_ATTRIBUTES,
    "blockquote": "cite",
    "col": "span width",
    "colgroup": "span width",
    "embed": "name src type allowfullscreen pluginspage wmode allowscriptaccess width height",
    "font": "face color size",
    "iframe": "src width height name align frameborder scrolling allow sandbox allowfullscreen "
    "webkitallowfullscreen mozallowfullscreen",
    "img": "align alt height src usemap width longdesc",
    "map": "name",
    "object": "width height style data type classid codebase",
    "ol": "start type",
    "param": "name value",
    "q": "cite",
    "source": "media width height sizes src srcset type",
    "table": "summary width border cellpadding cellspacing center frame rules",
    "td": "abbr axis colspan rowspan width align valign dir",
    "th": "abbr axis colspan rowspan width align valign dir scope",
    "tr": "align valign dir",
    "track": "default kind label src srclang",
    "ul": "type",
    "video": _MEDIA_ATTRIBUTES,
}

# MathML: every element takes href and xref; all but annotation, annotation-xml and semantics
# also take mathcolor and mathbackground. Canvas lists `definitionURL` in camel case but
# compares lower-cased names, so it never survives and is left out here.
_MATH_LAYOUT = """accent accentunder align alignmentscope bevelled charalign charspacing close
    columnalign columnlines columnspacing columnspan columnwidth crossout decimalpoint
    denomalign depth displaystyle edge equalcolumns equalrows fence form frame framespacing
    groupalign height indentalign indentalignfirst indentalignlast indentshift indentshiftfirst
    indentshiftlast indenttarget infixlinebreakstyle largeop leftoverhang length linebreak
    linebreakmultchar linebreakstyle lineleading linethickness location longdivstyle lquote
    lspace mathsize mathvariant maxsize minlabelspacing minsize movablelimits mslinethickness
    munalign notation open position rightoverhang rowalign rowlines rowspacing rowspan rquote
    rspace scriptlevel scriptminsize scriptsizemultiplier selection separator separators shift
    side stackalign stretchy subscriptshift superscriptshift symmetric valign voffset width"""
_MATH_OPERATOR = """mathvariant mathsize form fence separator lspace rspace stretchy symmetric
    maxsize minsize largeop movablelimits accent linebreak lineleading linebreakstyle
    linebreakmultchar indentalign indentshift indenttarget indentalignfirst indentshiftfirst
    indentalignlast indentshiftlast"""
_MATH_ATTRIBUTES = {
    "annotation": "encoding cd name src",
    "annotation-xml": "encoding cd name src",
    "maction": "actiontype selection",
    "maligngroup": "groupalign",
    "malignmark": "edge",
    "math": "display maxwidth overflow altimg altimg-width altimg-height altimg-valign alttext "
    "cdgroup xmlns " + _MATH_LAYOUT,
    "menclose": "notation",
    "mfenced": "open close separators",
    "mfrac": "linethickness munalign denomalign bevelled",
    "mglyph": "src alt width height valign",
    "mi": "mathvariant mathsize",
    "mlongdiv": "longdivstyle align stackalign charalign charspacing",
    "mmultiscripts": "subscriptshift superscriptshift",
    "mn": "mathvariant mathsize",
    "mo": _MATH_OPERATOR,
    "mover": "accent align",
    "mpadded": "height depth width lspace voffset",
    "ms": "mathvariant mathsize lquote rquote",
    "mscarries": "position location crossout scriptsizemultiplier",
    "mscarry": "location crossout",
    "msgroup": "position shift",
    "msline": "position length leftoverhang rightoverhang mslinethickness",
    "mspace": "mathvariant mathsize",
    "msrow": "position",
    "mstack": "align stackalign charalign charspacing",
    "mstyle": _MATH_LAYOUT,
    "msub": "subscriptshift",
    "msubsup": "subscriptshift superscriptshift",
    "msup": "superscriptshift",
    "mtable": """align rowalign columnalign groupalign alignmentscope columnwidth width
        rowspacing columnspacing rowlines columnlines frame framespacing equalrows
        equalcolumns displaystyle side minlabelspacing""",
    "mtd": "rowspan columnspan rowalign columnalign groupalign",
    "mtext": "mathvariant mathsize width height depth linebreak",
    "mtr": "rowalign columnalign groupalign",
    "munder": "accentunder align",
    "munderover": "accent accentunder align",
    "semantics": "encoding",
}
_MATH_PLAIN = names("annotation annotation-xml semantics")


def _element_attributes() -> dict[str, frozenset[str]]:
    table = {tag: names(listed) for tag, listed in _HTML_ATTRIBUTES.items()}
    for tag in MATHML:
        shared = "href xref" if tag in _MATH_PLAIN else "href xref mathcolor mathbackground"
        table[tag] = names(_MATH_ATTRIBUTES.get(tag, "") + " " + shared)
    return table


# SANITIZE[:attributes] per element, on top of GLOBAL_ATTRIBUTES. Not listed, so dropped:
# li[value], details[open], time[datetime], del/ins[cite|datetime], col[align], video[autoplay].
ELEMENT_ATTRIBUTES = _element_attributes()

# SANITIZE[:protocols]: the URL schemes an attribute may use; "relative" is the gem's
# :relative (no scheme at all). Anything else (pd-sync-page:, javascript:, sms:) loses the
# attribute.
_WEB = names("http https relative")
_MEDIA = names("data http https relative")
_LISTED_PROTOCOLS = {
    ("a", "href"): names("ftp http https mailto tel skype relative"),
    ("a", "data-url"): _WEB,
    ("a", "data-item-href"): _WEB,
    ("blockquote", "cite"): _WEB,
    ("q", "cite"): _WEB,
    ("img", "src"): _WEB,
    ("iframe", "src"): _WEB,
    ("embed", "src"): _WEB,
    ("object", "data"): _WEB,
    ("audio", "src"): _MEDIA,
    ("video", "src"): _MEDIA,
    ("source", "src"): _MEDIA,
    ("track", "src"): _MEDIA,
}


def _protocols() -> dict[tuple[str, str], frozenset[str]]:
    # canvas_sanitize.rb's missing_protocol_elements: an allowed element with no protocol entry
    # of its own gets the web list on whichever of href, src and cite it allows (area, MathML).
    # Other URL-like attributes (video[poster], img[longdesc], source[srcset]) are unchecked.
    table = dict(_LISTED_PROTOCOLS)
    with_own_entry = {tag for tag, _ in _LISTED_PROTOCOLS}
    for tag in sorted(ELEMENTS - with_own_entry):
        for attribute in ("href", "src", "cite"):
            if attribute in ELEMENT_ATTRIBUTES.get(tag, ()):
                table[(tag, attribute)] = _WEB
    return table


PROTOCOLS = _protocols()
# url(...) inside a style attribute.
CSS_PROTOCOLS = _WEB


def _family(stem: str, endings: str) -> frozenset[str]:
    return frozenset(f"{stem}-{ending}" for ending in endings.split())


# SANITIZE[:css][:properties]: an exact set, not prefixes. Not in it, among others:
# font-weight, text-transform, bottom, border-top-left-radius, outline, opacity,
# letter-spacing, box-shadow.
CSS_PROPERTIES = (
    names(
        """align-content align-items align-self background border border-radius clear clip
        color column-gap cursor direction display flex flex-basis flex-direction flex-flow
        flex-grow flex-shrink flex-wrap float font gap grid height justify-content
        justify-items justify-self left line-height list-style margin max-height max-width
        min-height min-width order overflow overflow-x overflow-y padding place-content
        place-items place-self position right row-gap table-layout text-align text-decoration
        text-indent top vertical-align visibility white-space width z-index zoom"""
    )
    | _family("background", "attachment color image position repeat")
    | _family("background-position", "x y")
    | _family("border", "bottom collapse color left right spacing style top width")
    | frozenset(
        f"border-{side}-{part}"
        for side in ("top", "right", "bottom", "left")
        for part in ("color", "style", "width")
    )
    | _family("font", "family size stretch style variant width")
    | _family("grid", "area auto-columns auto-flow auto-rows column gap row template")
    | _family("grid-template", "areas columns rows")
    | _family("grid-column", "end gap start")
    | _family("grid-row", "end gap start")
    | _family("list-style", "image position type")
    | _family("margin", "bottom left right top offset")
    | _family("padding", "bottom left right top")
)

# The sanitize gem's REGEX_PROTOCOL: whatever precedes the first ':' (or an entity for one)
# before any '/' or '#' is the scheme; a value with none is relative.
_SCHEME = re.compile(r"\A\s*([^/#]*?)(?::|&#0*58|&#x0*3a)", re.IGNORECASE)


def attribute_allowed(tag: str, name: str) -> bool:
    """Whether Canvas keeps an attribute called ``name`` (lower case) on ``<tag>``."""
    if name in GLOBAL_ATTRIBUTES or name in ELEMENT_ATTRIBUTES.get(tag, ()):
        return True
    return name.startswith("data-") and DATA_ATTRIBUTE.match(name) is not None


def url_scheme(value: str) -> str:
    """The scheme of a URL as the sanitiser reads it, lower case; ``relative`` when none."""
    found = _SCHEME.match(value)
    return found.group(1).lower() if found else "relative"


def url_allowed(tag: str, name: str, value: str) -> bool:
    """Whether a URL-carrying attribute keeps ``value``; attributes with no rule always do."""
    allowed = PROTOCOLS.get((tag, name))
    return allowed is None or url_scheme(value) in allowed


def css_property_allowed(name: str) -> bool:
    return name in CSS_PROPERTIES
