"""How a link written in curriculum Markdown names another curriculum page.

Three forms reach a page: ``page:KEY``; a path to the page's ``.md`` file relative to the file
that links; or a site path (``/module_one/mod1_week2``) listed in the page's ``aliases``. The
loader uses this to reject dangling links, ``desired`` to turn them into Canvas URLs, so both
agree on what a link means.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable

from pd_sync.curriculum.model import PageSpec

PAGE_KEY_PREFIX = "page:"


def file_path(linking_source: str, target: str) -> str | None:
    """The curriculum-relative path a relative file reference names, or None when it cannot be
    one: an absolute path, or one whose ``..`` climbs out of the curriculum directory.

    Pure text: whether the file exists, and where a symbolic link leads, the loader checks
    (``files.CurriculumFiles``) before any byte is read.
    """
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target or target.startswith(("/", "\\")) or "\\" in target:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(linking_source), target))
    if joined == ".." or joined.startswith(("../", "/")):
        return None
    return joined


def normalise_site_path(path: str) -> str:
    """``/module_one/mod1_week2.md/`` and ``/module_one/mod1_week2`` name the same page."""
    path = path.split("#", 1)[0].split("?", 1)[0].strip()
    for suffix in (".md", ".html"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    path = path.rstrip("/")
    if path.endswith("/index"):
        path = path[: -len("/index")]
    return path or "/"


class PageIndex:
    """The pages by key, by source file and by alias: built once, asked once per linking file."""

    def __init__(self, pages: Iterable[PageSpec]) -> None:
        self.pages = tuple(pages)
        self._by_key: dict[str, str] = {}
        self._by_source: dict[str, str] = {}
        self._by_alias: dict[str, str] = {}
        for page in self.pages:
            self._by_key[page.key] = page.key
            self._by_source[posixpath.normpath(page.source)] = page.key
            for alias in page.aliases:
                self._by_alias[normalise_site_path(alias)] = page.key

    def resolver(self, linking_source: str) -> Callable[[str], str | None]:
        """A function from a link target to the key of the page it names, or ``None``.

        ``linking_source`` is the curriculum-relative path of the Markdown file holding the
        link; relative ``.md`` links are resolved against its directory.
        """
        base = posixpath.dirname(linking_source)

        def resolve(target: str) -> str | None:
            target = target.split("#", 1)[0]
            if target.startswith(PAGE_KEY_PREFIX):
                return self._by_key.get(target[len(PAGE_KEY_PREFIX) :])
            if target.startswith("/"):
                return self._by_alias.get(normalise_site_path(target))
            return self._by_source.get(posixpath.normpath(posixpath.join(base, target)))

        return resolve
