"""How a link written in curriculum Markdown names another curriculum page.

Three forms reach a page: ``page:KEY``; a path to the page's ``.md`` file relative to the file
that links; or a site path (``/module_one/mod1_week2``) listed in the page's ``aliases``. The
loader uses this to reject dangling links, ``desired`` to turn them into Canvas URLs, so both
agree on what a link means.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable

from pd_sync.model import PageSpec

PAGE_KEY_PREFIX = "page:"


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


def page_resolver(pages: Iterable[PageSpec], linking_source: str) -> Callable[[str], str | None]:
    """A function from a link target to the key of the page it names, or ``None``.

    ``linking_source`` is the curriculum-relative path of the Markdown file holding the link;
    relative ``.md`` links are resolved against its directory.
    """
    by_key: dict[str, str] = {}
    by_source: dict[str, str] = {}
    by_alias: dict[str, str] = {}
    for page in pages:
        by_key[page.key] = page.key
        by_source[posixpath.normpath(page.source)] = page.key
        for alias in page.aliases:
            by_alias[normalise_site_path(alias)] = page.key
    base = posixpath.dirname(linking_source)

    def resolve(target: str) -> str | None:
        target = target.split("#", 1)[0]
        if target.startswith(PAGE_KEY_PREFIX):
            return by_key.get(target[len(PAGE_KEY_PREFIX) :])
        if target.startswith("/"):
            return by_alias.get(normalise_site_path(target))
        return by_source.get(posixpath.normpath(posixpath.join(base, target)))

    return resolve
