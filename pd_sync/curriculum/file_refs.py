"""How curriculum Markdown names a curriculum file, and how rendering marks it for later.

An image or a link with a relative path to a file of the curriculum (``![x](images/x.png)``,
``[plan](files/plan.pdf)``, a raw ``<img src="images/x.png">``) names that file. Rendering
(``render``) replaces the path with ``pd-sync-file:PATH`` (PATH relative to the curriculum
directory, percent-encoded): the file's Canvas id is known only once it is uploaded, so the
planner, or apply for a file uploaded in the same run, substitutes its Canvas URL. Each
reference is listed as a ``FileRef`` with its position, for the loader to check
(``attachments``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, unquote

from markdown_it.token import Token

FILE_LINK_SCHEME = "pd-sync-file:"

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass(frozen=True)
class FileRef:
    """A reference to a curriculum file: as written, the curriculum-relative path it names
    (None when it may not name one: absolute, or climbing out of the curriculum), whether it
    is shown (``image``) or linked (``link``), and its 1-based position in the Markdown."""

    written: str
    path: str | None
    kind: str
    line: int
    column: int


def file_reference(path: str) -> str:
    """The symbolic reference to the curriculum file ``path``: percent-encoded, so the HTML
    Canvas keeps (which escapes spaces in URLs) holds it unchanged; ``unquote`` reads it back."""
    return FILE_LINK_SCHEME + quote(path)


def is_image_reference(src: str) -> bool:
    """Whether an image's ``src`` names a file: anything without a scheme that is not
    protocol-relative or a bare anchor, so an absolute path is one too (and refused by the
    loader: it cannot be inside the curriculum)."""
    src = src.strip()
    return bool(src) and not src.startswith(("#", "//")) and not _SCHEME.match(src)


class Locating(Protocol):
    """What finding a raw ``<img>`` in the source needs of ``render``'s locator."""

    @property
    def text(self) -> str: ...
    def line_offset(self, line: int) -> int: ...
    def position(self, offset: int) -> tuple[int, int]: ...


# A raw <img> written in the Markdown: its src, quoted or not. Raw HTML reaches Canvas as
# written, so its relative images need the same treatment as Markdown ones.
_RAW_IMG_SRC = re.compile(
    r"""(<img\b[^>]*?\ssrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)


def raw_images(
    tokens: list[Token], locator: Locating, resolve_file: Callable[[str], str | None]
) -> list[FileRef]:
    """Rewrite the relative ``src`` of every raw ``<img>`` in ``tokens``; list each one."""
    found: list[FileRef] = []
    for token in tokens:
        pieces = [token] if token.type == "html_block" else []
        start = locator.line_offset(token.map[0]) if token.map else 0
        if token.type == "inline":
            pieces = [c for c in token.children or () if c.type == "html_inline"]
        for piece in pieces:
            piece.content, refs = _rewrite_raw(piece.content, locator, start, resolve_file)
            found += refs
    return found


def _rewrite_raw(
    content: str, locator: Locating, start: int, resolve_file: Callable[[str], str | None]
) -> tuple[str, list[FileRef]]:
    refs: list[FileRef] = []

    def replace(match: re.Match[str]) -> str:
        value = next(v for v in match.groups()[1:] if v is not None)
        written = unquote(html.unescape(value).strip())
        # Raw HTML is the author's own: a root-relative src ("/images/x.png", a path on the
        # Canvas host) is left as written; only relative paths name curriculum files.
        if written.startswith("/") or not is_image_reference(written):
            return match.group(0)
        at = locator.text.find(value, start)
        line, column = locator.position(at if at >= 0 else start)
        path = resolve_file(written)
        refs.append(FileRef(written, path, "image", line, column))
        if path is None:
            return match.group(0)
        return f'{match.group(1)}"{html.escape(file_reference(path))}"'

    return _RAW_IMG_SRC.sub(replace, content), refs
