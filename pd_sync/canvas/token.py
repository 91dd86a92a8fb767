"""The API token, checked before any request: it must fit in an ``Authorization: Bearer`` header.

A token with a line break or a non-Latin-1 character fails deep inside requests or http.client
(``InvalidHeader``, ``UnicodeEncodeError``), which surfaced as an "internal error" or a retried
network failure, sometimes quoting the token. A line break could also split the header (or the
GitHub ``::add-mask::`` command). Messages give the position and kind, never the character.
"""

from __future__ import annotations

from pd_sync.errors import ConfigError

# RFC 6750's b64token is a subset of visible ASCII; anything else is not a Canvas token.
_FIRST_VISIBLE, _LAST_VISIBLE = 0x21, 0x7E


def check_token(raw: str, source: str | None = None) -> str:
    """The token to send: ``raw`` without surrounding whitespace, or a ``ConfigError``.

    Surrounding whitespace is dropped because canvasapi strips it anyway (and a token file
    usually ends in a newline); what remains must be visible ASCII. ``source`` names where the
    token came from (``CANVAS_API_TOKEN``, ``--token``, ``--token-file FILE``).
    """
    token = raw.strip()
    named = f" from {source}" if source else ""
    offset = len(raw) - len(raw.lstrip())
    for index, char in enumerate(token):
        if _FIRST_VISIBLE <= ord(char) <= _LAST_VISIBLE:
            continue
        raise ConfigError(
            f"the token{named} has {_kind(char)} at character {offset + index + 1}, "
            "which cannot be sent as a Bearer token in an HTTP header; "
            "check CANVAS_API_TOKEN / --token-file"
        )
    return token


def _kind(char: str) -> str:
    if char in "\r\n\v\f\x85\u2028\u2029":
        return "a line break"
    if char.isspace():
        return "a space inside it"
    if not char.isascii():
        return "a non-ASCII character"
    return "a control character"
