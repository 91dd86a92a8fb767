"""Page slugs as Canvas derives them: stringex's `String#to_url` (canvas-api.md §5).

A sync tool cannot choose a page's URL; Canvas re-derives it from the title on every rename, so
the sandbox has to produce the same slugs or clients tested against it would address pages wrongly.
"""

from __future__ import annotations

import html
import re
import unicodedata

_TAGS = re.compile(r"<[^>]*>")
_SMART = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
# stringex transliterations that NFKD decomposition alone does not produce.
_ASCII_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)
_CURRENCIES = (
    (re.compile(r"\$(\d+)\.(\d+)"), r" \1 dollars \2 cents "),
    (re.compile(r"\$(\d+)"), r" \1 dollars "),
    (re.compile(r"£(\d+)"), r" \1 pounds "),
    (re.compile(r"€(\d+)"), r" \1 euros "),
    (re.compile(r"¥(\d+)"), r" \1 yen "),
)
_CHARACTERS = (
    (re.compile(r"\.\.\."), " dot dot dot "),
    (re.compile(r"\s*&\s*"), " and "),
    (re.compile(r"\s*@\s*"), " at "),
    (re.compile(r"\s*%\s*"), " percent "),
    (re.compile(r"\s*\+\s*"), " plus "),
    (re.compile(r"\s*=\s*"), " equals "),
    (re.compile(r"\s*#\s*"), " number "),
    (re.compile(r"\s*\*\s*"), " star "),
    (re.compile(r"\s*[/\\]\s*"), " slash "),
    (re.compile(r"(?<=\S)\.(?=\S)"), " dot "),
    (re.compile(r"(?<=\w)'"), ""),
)
_PUNCTUATION = re.compile(r"[^A-Za-z0-9\s-]")
_DASHES = re.compile(r"-{2,}")


def _misc_characters(text: str) -> str:
    for pattern, replacement in _CURRENCIES + _CHARACTERS:
        text = pattern.sub(replacement, text)
    return text


def _to_ascii(text: str) -> str:
    text = text.translate(_ASCII_EXTRA)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ord(ch) < 128)


def to_url(title: str) -> str:
    text = _TAGS.sub("", title).translate(_SMART)
    text = html.unescape(text)
    text = _misc_characters(text)
    text = _misc_characters(_to_ascii(text))
    text = _PUNCTUATION.sub(" ", text)
    text = "-".join(text.split())
    return _DASHES.sub("-", text).strip("-").lower()


def titleize(url: str) -> str:
    """ActiveSupport's `String#titleize`, used when a PUT creates a page from its URL alone."""
    words = re.sub(r"[-_\s]+", " ", url).strip().split(" ")
    return " ".join(w[:1].upper() + w[1:].lower() for w in words if w)
