"""Predict the slug (``url``) Canvas gives a page with a given title.

Canvas derives a page's ``url`` from its title with stringex 2.8 ``String#to_url`` and
re-derives it on every rename (canvas-api.md §5). pd-sync needs the slug *before* Canvas
answers, to write links to pages it has not created yet, so this is a port of ``to_url``: the
same steps in the same order, because several of them interact ("1.2" must become "1 dot 2"
before "." is cleaned up to a space).

Differences from stringex, all on input a curriculum title is unlikely to hold: transliteration
is NFKD plus a small table instead of stringex's per-codepoint tables (so e.g. CJK text is
dropped rather than romanised), and the localised ``¤``/``R$`` currencies are not converted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

# Ruby's \s is ASCII-only; Python's is not, so spell it out.
_WS = r"[ \t\r\n\f\v]"
_NOT_WS = r"[^ \t\r\n\f\v]"
# Ruby's [[:alpha:]] is Unicode-aware: any letter.
_ALPHA = r"[^\W\d_]"

_HTML_TAG = re.compile(
    r"<[!/?\[]?([\w:_-]+|--)"
    r"(\s+(([\w:_-]+)(\s*=\s*([A-Za-z0-9]+|('[^']*?'|\"[^\"]*?\")))?)"
    r"(\s+(([\w:_-]+)(\s*=\s*([A-Za-z0-9]+|('[^']*?'|\"[^\"]*?\")))?))*)?"
    r"\s*([!/?\]]+|--)?>",
    re.ASCII,
)

# stringex matches these as UTF-8 byte pairs, which in a UTF-8 regex are the code points below;
# "Ò", "Ó" and "Õ" really do become quotes in Canvas slugs.
_SMART_PUNCTUATION = (
    (re.compile("[“”\u0093\u0094\u00d2\u00d3]"), '"'),
    (re.compile("[‘’\u0091\u0092\u00d5]"), "'"),
    (re.compile("…"), "..."),
)

_ACCENTED_ENTITY = re.compile(r"&([A-Za-z])(grave|acute|circ|tilde|uml|ring|cedil|slash);")

_VULGAR_FRACTIONS = (
    ("&#189;|&frac12;|½", "half"),
    ("&#8531;|⅓", "one third"),
    ("&#8532;|⅔", "two thirds"),
    ("&#188;|&frac14;|¼", "one fourth"),
    ("&#190;|&frac34;|¾", "three fourths"),
    ("&#8533;|⅕", "one fifth"),
    ("&#8534;|⅖", "two fifths"),
    ("&#8535;|⅗", "three fifths"),
    ("&#8536;|⅘", "four fifths"),
    ("&#8537;|⅙", "one sixth"),
    ("&#8538;|⅚", "five sixths"),
    ("&#8539;|⅛", "one eighth"),
    ("&#8540;|⅜", "three eighths"),
    ("&#8541;|⅝", "five eighths"),
    ("&#8542;|⅞", "seven eighths"),
)

_HTML_ENTITIES = (
    ("#38|amp", "and"),
    ("#162|cent", " cents"),
    ("#169|copy", "(c)"),
    ("#176|deg", " degrees "),
    ("#247|divide", "divide"),
    ("#34|#822[012]|quot|ldquo|rdquo|dbquo", '"'),
    ("#8230|hellip", "..."),
    ("#8211|ndash", "-"),
    ("#8212|mdash", "--"),
    ("#188|frac14", "one fourth"),
    ("#189|frac12", "half"),
    ("#190|frac34", "three fourths"),
    ("#62|gt", ">"),
    ("#60|lt", "<"),
    ("#160|nbsp", " "),
    ("#163|pound", " pounds"),
    ("#174|reg", "(r)"),
    ("#39|#821[678]|apos|lsquo|rsquo|sbquo", "'"),
    ("#215|times", "x"),
    ("#8482|trade", "(tm)"),
    ("#165|yen", " yen"),
)

_CURRENCY_SYMBOLS = {"dollars": r"\$", "euros": "€", "pounds": "£", "yen": "¥"}
_CURRENCY_SMALL_UNIT = {"dollars": "cents", "euros": "cents", "pounds": "pence"}

_ELLIPSIS = re.compile(rf"{_WS}*\.{{3,}}{_WS}*")
_ABBREVIATION = re.compile(
    rf"({_WS}|\(|^)({_ALPHA}(\.{_ALPHA})+(\.?){_ALPHA}*({_WS}|\)|$))", re.MULTILINE
)
# The order is stringex's (a Ruby hash keeps insertion order) and matters: "..." is handled
# before "dot", which pads nothing so that "1.2" reads "1 dot 2".
_CHARACTERS = (
    (re.compile(rf"{_WS}*&{_WS}*"), " and "),
    (re.compile(rf"{_WS}*@{_WS}*"), " at "),
    (re.compile(rf"{_WS}*°{_WS}*"), " degrees "),
    (re.compile(rf"{_WS}*÷{_WS}*"), " divide "),
    (re.compile(rf"({_NOT_WS}|^)\.({_NOT_WS})", re.MULTILINE), r"\1 dot \2"),
    (_ELLIPSIS, " dot dot dot "),
    (re.compile(rf"{_WS}*={_WS}*"), " equals "),
    (re.compile(rf"{_WS}*#"), " number "),
    (re.compile(rf"{_WS}*%{_WS}*"), " percent "),
    (re.compile(rf"{_WS}*\+{_WS}*"), " plus "),
    (re.compile(rf"{_WS}*(\\|/|／){_WS}*"), " slash "),
    (re.compile(rf"{_WS}*\*{_WS}*"), " star "),
)
_APOSTROPHE = re.compile(rf"(^|{_ALPHA})'|`({_ALPHA}|$)", re.MULTILINE)
_CLEANUP_CHARACTERS = re.compile("[.,:;(){}\\[\\]?!^'ʼ\"_|<>]")
_WHITESPACE = re.compile(f"{_WS}+")

# Letters NFKD does not decompose, transliterated the way stringex's tables do.
_TRANSLITERATIONS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
        "\u00a0": " ",
        "–": "-",
        "—": "--",
        "‐": "-",
        "‑": "-",
    }
)


def canvas_slug(title: str) -> str:
    """The ``url`` Canvas derives from ``title`` (before ``-2``… uniqueness suffixes)."""
    text = _WHITESPACE.sub(" ", _HTML_TAG.sub("", title))
    for pattern, replacement in _SMART_PUNCTUATION:
        text = pattern.sub(replacement, text)
    text = _ACCENTED_ENTITY.sub(r"\1", text)
    for expression, words in _VULGAR_FRACTIONS:
        text = re.sub(expression, words, text)
    text = _convert_html_entities(text)
    text = _convert_miscellaneous_characters(text)
    text = _to_ascii(text)
    # stringex converts again: transliteration can produce characters it converts ("½"→…).
    text = _convert_miscellaneous_characters(text)
    text = _collapse(text, " ")
    text = _collapse(_WHITESPACE.sub("-", text), "-")
    return text.lower()


def unique_slug(slug: str, taken: Collection[str]) -> str:
    """``slug``, or the first of ``slug-2``, ``slug-3``… not in ``taken`` (Canvas's rule)."""
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def _convert_html_entities(text: str) -> str:
    for names, replacement in _HTML_ENTITIES:
        text = re.sub(f"&({names});", replacement, text)
    text = re.sub(" +", " ", text)
    return re.sub("&[^;]+;", "", text)


def _convert_miscellaneous_characters(text: str) -> str:
    text = re.sub(r"(\d+),(\d+)", r"\1\2", text)
    text = _ELLIPSIS.sub(" dot dot dot ", text)
    text = _convert_currencies(text)
    text = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    for pattern, replacement in _CHARACTERS:
        text = pattern.sub(replacement, text)
    text = _APOSTROPHE.sub(r"\1\2", text)
    return _CLEANUP_CHARACTERS.sub(" ", text)


def _convert_currencies(text: str) -> str:
    if not re.search("|".join(_CURRENCY_SYMBOLS.values()), text):
        return text
    # Amounts with a fractional part first, as stringex does, so "$1.50" keeps its cents.
    for name, symbol in _CURRENCY_SYMBOLS.items():
        small = _CURRENCY_SMALL_UNIT.get(name)
        if small is not None:
            pattern = rf"(?:{_WS}|^){symbol}(\d+)\.(\d+)(?:{_WS}|$)"
            text = re.sub(pattern, rf" \1 {name} \2 {small} ", text, flags=re.MULTILINE)
    for name, symbol in _CURRENCY_SYMBOLS.items():
        pattern = rf"(?:{_WS}|^){symbol}(\d*)(?:{_WS}|$)"
        text = re.sub(pattern, rf" \1 {name} ", text, flags=re.MULTILINE)
    return text


def _to_ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATIONS))
    return "".join(c for c in decomposed if c.isascii())


def _collapse(text: str, character: str) -> str:
    """stringex ``collapse``: trim ``character`` from both ends and squeeze its runs."""
    escaped = re.escape(character)
    return re.sub(f"{escaped}+", character, text.strip(character))
