"""The sanitiser's allow-lists, as CanvasSanitize::SANITIZE has them (canvas-api.md §4).

Source: gems/canvas_sanitize/lib/canvas_sanitize/canvas_sanitize.rb (the `SANITIZE` hash, its
`missing_protocol_elements` fill-in and the `REGEX_DATA_ATTR` override), applied by the sanitize
gem's Transformers::CleanElement (an attribute must be listed for its element or under :all, or be
a valid data-* name; a listed URL attribute must then pass its element's protocol list).
"""

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

# SANITIZE[:elements]. The newest config also lists `style`; older ones (and the 2023 spec) drop
# it, so the sandbox keeps dropping <style> with its contents: the stricter of the two releases.
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

# SANITIZE[:attributes][:all]: an explicit aria-* list (no aria-current, aria-posinset, ...).
GLOBAL_ATTRIBUTES = words(
    """style class id title role lang dir aria-labelledby aria-atomic aria-busy aria-controls
    aria-describedby aria-disabled aria-dropeffect aria-flowto aria-grabbed aria-haspopup
    aria-hidden aria-invalid aria-label aria-live aria-owns aria-relevant aria-autocomplete
    aria-checked aria-expanded aria-level aria-multiline aria-multiselectable aria-orientation
    aria-pressed aria-readonly aria-required aria-selected aria-sort aria-valuemax aria-valuemin
    aria-valuenow aria-valuetext"""
)

# canvas_sanitize.rb REGEX_DATA_ATTR (Ruby's \w is ASCII-only, hence [A-Za-z0-9_]; no ':').
_DATA = re.compile(
    r"\Adata-(?!xml|kyle-menu|turn-into-dialog|flash-message|popup-within|html-tooltip-title"
    r"|method)[a-z_][A-Za-z0-9_.\u00e0-\u00f6\u00f8-\u017f\u01dd-\u02af-]*\Z"
)

# MathML attribute lists: every MathML element takes these four, plus its own. `definitionURL`
# is listed in Canvas in camel case but compared with the downcased name, so it never survives.
_MATH_BASE = "href xref mathcolor mathbackground "
_MATH_STYLE = """scriptlevel displaystyle scriptsizemultiplier scriptminsize infixlinebreakstyle
    decimalpoint mathvariant mathsize width height valign form fence separator lspace rspace
    stretchy symmetric maxsize minsize largeop movablelimits accent linebreak lineleading
    linebreakstyle linebreakmultchar indentalign indentshift indenttarget indentalignfirst
    indentshiftfirst indentalignlast indentshiftlast depth lquote rquote linethickness munalign
    denomalign bevelled voffset open close separators notation subscriptshift superscriptshift
    accentunder align rowalign columnalign groupalign alignmentscope columnwidth rowspacing
    columnspacing rowlines columnlines frame framespacing equalrows equalcolumns side
    minlabelspacing rowspan columnspan edge stackalign charalign charspacing longdivstyle
    position shift location crossout length leftoverhang rightoverhang mslinethickness selection"""
_MATH_OWN = {
    "annotation": "encoding cd name src",
    "annotation-xml": "encoding cd name src",
    "maction": "actiontype selection",
    "maligngroup": "groupalign",
    "malignmark": "edge",
    "math": "display maxwidth overflow altimg altimg-width altimg-height altimg-valign alttext "
    "cdgroup xmlns " + _MATH_STYLE,
    "menclose": "notation",
    "mfenced": "open close separators",
    "mfrac": "linethickness munalign denomalign bevelled",
    "mglyph": "src alt width height valign",
    "mi": "mathvariant mathsize",
    "mlongdiv": "longdivstyle align stackalign charalign charspacing",
    "mmultiscripts": "subscriptshift superscriptshift",
    "mn": "mathvariant mathsize",
    "mo": """mathvariant mathsize form fence separator lspace rspace stretchy symmetric maxsize
        minsize largeop movablelimits accent linebreak lineleading linebreakstyle
        linebreakmultchar indentalign indentshift indenttarget indentalignfirst indentshiftfirst
        indentalignlast indentshiftlast""",
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
    "mstyle": _MATH_STYLE,
    "msub": "subscriptshift",
    "msubsup": "subscriptshift superscriptshift",
    "msup": "superscriptshift",
    "mtable": """align rowalign columnalign groupalign alignmentscope columnwidth width
        rowspacing columnspacing rowlines columnlines frame framespacing equalrows equalcolumns
        displaystyle side minlabelspacing""",
    "mtd": "rowspan columnspan rowalign columnalign groupalign",
    "mtext": "mathvariant mathsize width height depth linebreak",
    "mtr": "rowalign columnalign groupalign",
    "munder": "accentunder align",
    "munderover": "accent accentunder align",
    "semantics": "encoding",
}

# SANITIZE[:attributes] per element. Not listed anywhere, so dropped: li[value], details[open],
# time[datetime], del/ins[cite|datetime], col[align|valign], audio/video[autoplay|loop|preload].
ELEMENT_ATTRIBUTES: dict[str, frozenset[str]] = {
    tag: words(names)
    for tag, names in {
        "a": "href target name",
        "area": "alt coords href shape target",
        "blockquote": "cite",
        "col": "span width",
        "colgroup": "span width",
        "img": "align alt height src usemap width longdesc",
        "iframe": (
            "src width height name align frameborder scrolling allow sandbox allowfullscreen "
            "webkitallowfullscreen mozallowfullscreen"
        ),
        "ol": "start type",
        "q": "cite",
        "table": "summary width border cellpadding cellspacing center frame rules",
        "tr": "align valign dir",
        "td": "abbr axis colspan rowspan width align valign dir",
        "th": "abbr axis colspan rowspan width align valign dir scope",
        "ul": "type",
        "param": "name value",
        "object": "width height style data type classid codebase",
        "source": "media width height sizes src srcset type",
        "embed": "name src type allowfullscreen pluginspage wmode allowscriptaccess width height",
        "video": "name src allowfullscreen allow muted poster width height controls playsinline",
        "track": "default kind label src srclang",
        "audio": "name src allowfullscreen allow muted poster width height controls playsinline",
        "font": "face color size",
        "map": "name",
        "none": "",
        "merror": "",
        "mlabeledtr": "",
        "mphantom": "",
        "mprescripts": "",
        "mroot": "",
        "mrow": "",
        "msqrt": "",
        **_MATH_OWN,
    }.items()
}
for _tag in MATHML:
    # annotation, annotation-xml and semantics take href/xref but not the two colour attributes.
    _base = "href xref" if _tag in ("annotation", "annotation-xml", "semantics") else _MATH_BASE
    ELEMENT_ATTRIBUTES[_tag] = ELEMENT_ATTRIBUTES.get(_tag, frozenset()) | words(_base)

# SANITIZE[:protocols]; "relative" stands for the gem's :relative (no scheme before a colon).
_DEFAULT = words("http https relative")
_MEDIA = words("data http https relative")
PROTOCOLS: dict[tuple[str, str], frozenset[str]] = {
    ("a", "href"): words("ftp http https mailto tel skype relative"),
    ("a", "data-url"): _DEFAULT,
    ("a", "data-item-href"): _DEFAULT,
    ("blockquote", "cite"): _DEFAULT,
    ("img", "src"): _DEFAULT,
    ("q", "cite"): _DEFAULT,
    ("object", "data"): _DEFAULT,
    ("embed", "src"): _DEFAULT,
    ("iframe", "src"): _DEFAULT,
    ("audio", "src"): _MEDIA,
    ("video", "src"): _MEDIA,
    ("source", "src"): _MEDIA,
    ("track", "src"): _MEDIA,
}
# missing_protocol_elements: an element without its own protocol entry gets the default list on
# whichever of href/src/cite it allows (area, the MathML elements). Attributes with no entry at
# all (video[poster], img[longdesc], source[srcset], ...) are not protocol-checked.
_HAS_OWN = {tag for tag, _ in PROTOCOLS}
for _tag, _names in ELEMENT_ATTRIBUTES.items():
    if _tag not in _HAS_OWN and _tag in ELEMENTS:
        for _name in ("href", "src", "cite"):
            if _name in _names:
                PROTOCOLS[(_tag, _name)] = _DEFAULT
CSS_PROTOCOLS = _DEFAULT


def _expand(prefix: str, suffixes: str) -> frozenset[str]:
    return frozenset(f"{prefix}-{s}" for s in suffixes.split())


# SANITIZE[:css][:properties]: an exact set. Not in it: font-weight, text-transform, bottom,
# border-*-*-radius, outline, opacity, letter-spacing, box-shadow, list-style-* beyond three, ...
CSS_PROPERTIES = (
    words(
        """align-content align-items align-self background border border-radius clear clip color
        column-gap cursor direction display flex flex-basis flex-direction flex-flow flex-grow
        flex-shrink flex-wrap float font gap grid height justify-content justify-items
        justify-self left line-height list-style margin max-height max-width min-height
        min-width order overflow overflow-x overflow-y padding position place-content
        place-items place-self right row-gap text-align table-layout text-decoration
        text-indent top vertical-align visibility white-space width z-index zoom"""
    )
    | _expand("grid", "area auto-columns auto-flow auto-rows column gap row template")
    | _expand("grid-template", "areas columns rows")
    | _expand("grid-column", "end gap start")
    | _expand("grid-row", "end gap start")
    | _expand("background", "attachment color image position repeat")
    | _expand("background-position", "x y")
    | _expand("border", "bottom collapse color left right spacing style top width")
    | frozenset(
        f"border-{side}-{what}"
        for side in ("bottom", "left", "right", "top")
        for what in ("color", "style", "width")
    )
    | _expand("font", "family size stretch style variant width")
    | _expand("list-style", "image position type")
    | _expand("margin", "bottom left right top offset")
    | _expand("padding", "bottom left right top")
)


def attribute_allowed(tag: str, name: str) -> bool:
    if name in GLOBAL_ATTRIBUTES or name in ELEMENT_ATTRIBUTES.get(tag, ()):
        return True
    return bool(name.startswith("data-") and _DATA.match(name))


def css_property_allowed(name: str) -> bool:
    return name in CSS_PROPERTIES
