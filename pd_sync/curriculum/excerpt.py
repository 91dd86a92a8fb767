"""How messages quote the curriculum's own text: short, and escaped.

A value can be a whole file long and can hold newlines, terminal escape sequences or Unicode
direction overrides; quoted as written it would flood or forge the output. ``quoted`` keeps the
first ``EXCERPT_MAX_CHARS`` characters and writes every character that is not printable as an
escape (``\\n``, ``\\x1b``, ``\\u202e``), as Python's ``repr`` does.
"""

from __future__ import annotations

from pd_sync.curriculum.limits import EXCERPT_MAX_CHARS


def quoted(text: str, limit: int = EXCERPT_MAX_CHARS) -> str:
    """``text`` in quotes, escaped, and cut to ``limit`` characters with ``...`` if longer."""
    if len(text) <= limit:
        return repr(text)
    return repr(text[: limit - 3]) + "..."


def excerpt(text: str, limit: int = EXCERPT_MAX_CHARS) -> str:
    """Like ``quoted`` without the quotes, for text that reads as a number or a word."""
    shown = text if len(text) <= limit else text[: limit - 3]
    escaped = repr(shown)[1:-1]
    return escaped if shown is text else escaped + "..."
