"""kramdown's typographic symbols: what it prints for ``--``, ``---``, ``...`` and straight quotes.

kramdown (typographic_syms and smart_quotes, on by default) turns ``---`` into an em dash,
``--`` into an en dash, ``...`` into an ellipsis and straight quotes into curly ones; pd-sync's
renderer leaves text as written, so the import makes the substitution in the Markdown. Only
prose is touched: code (fenced or inline), HTML tags and comments, link destinations, attribute
lists, Liquid, URLs, reference definitions, rules and table separators stay byte for byte.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
# Spans left alone, in the order they are looked for at each position.
_PROTECTED = re.compile(
    r"`+[^`]*`+"  # inline code
    r"|<!--.*?-->"  # a comment on one line
    r"|<[A-Za-z/!][^>]*>"  # an HTML tag
    r"|\]\([^)]*\)"  # a link destination (and title)
    r"|\{[:#][^}]*\}"  # a kramdown attribute list
    r"|\{\{.*?\}\}|\{%.*?%\}"  # Liquid
    r"|(?:https?|mailto|ftp):[^\s)>\]]+"  # a bare URL
    r"|\\."  # an escaped character
)
_RULE_OR_TABLE = re.compile(
    r"^\s*(?:([-*_])(?:\s*\1){2,}|\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?)\s*$"
)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s")
_OPEN_TAG = re.compile(r"<[A-Za-z][^<>]*$")  # a tag continued on the next line
_OPENS = re.compile(r"(?:^|[\s(\[{\u2014\u2013*_>-])$")


def typographic(text: str) -> str:
    """``text`` (Markdown) with kramdown's dashes, ellipses and curly quotes in its prose."""
    out: list[str] = []
    in_fence = False
    in_comment = False
    in_tag = False  # inside an HTML tag whose attributes run over several lines
    for line in text.split("\n"):
        if in_tag:
            in_tag = ">" not in line
            out.append(line)
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence or _RULE_OR_TABLE.match(line) or _REFERENCE.match(line):
            out.append(line)
            continue
        if in_comment or ("<!--" in line and "-->" not in line.split("<!--", 1)[1]):
            in_comment = "-->" not in line or line.rfind("<!--") > line.rfind("-->")
            out.append(line)
            continue
        open_tag = _OPEN_TAG.search(line)
        if open_tag is not None:
            in_tag = True
            out.append(_line(line[: open_tag.start()]) + line[open_tag.start() :])
            continue
        out.append(_line(line))
    return "\n".join(out)


def _line(line: str) -> str:
    marker = re.match(r"^\s*(?:[*+-]|\d{1,9}[.)])\s+", line)
    start = marker.end() if marker else 0
    parts: list[str] = [line[:start]]
    cursor = start
    for match in _PROTECTED.finditer(line, start):
        parts.append(_prose(line[cursor : match.start()], "".join(parts)))
        parts.append(match.group(0))
        cursor = match.end()
    parts.append(_prose(line[cursor:], "".join(parts)))
    return "".join(parts)


def _prose(text: str, before: str) -> str:
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    out: list[str] = []
    previous = before[-1:]
    for char in text:
        if char == '"':
            out.append("\u201c" if _OPENS.search(previous) else "\u201d")
        elif char == "'":
            out.append("\u2018" if _OPENS.search(previous) else "\u2019")
        else:
            out.append(char)
        previous = char
    return "".join(out)
