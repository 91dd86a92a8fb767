"""Where each imported page goes, its key and its title — unique, and stable across runs.

A page keeps its place in the site: ``module_one/mod1_week2.md`` stays
``module_one/mod1_week2.md`` (HTML pages become ``.md``), so a person who knows the site finds
every file. Its key is that path without ``.md``, in the key form pd-sync accepts (lowercase,
``module_one/m1_pd_repeat_plan``), so it never changes when the site is imported again. Its
title is the front-matter title, with the ``subheading`` the site's layout shows under it
("Mix It Up: Networking"); titles that would still repeat get the file name in parentheses,
since Canvas gives pages with one title confusing URLs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pd_sync.jekyll.sections import plain_text
from pd_sync.jekyll.site import SitePage

_FIRST_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class PageName:
    """Where a site page goes: ``source`` (curriculum-relative ``.md``), ``key``, ``title``."""

    source: str
    key: str
    title: str


def name_pages(pages: Iterable[SitePage], taken: Iterable[str] = ()) -> dict[str, PageName]:
    """Site path → ``PageName`` for every page, in site-path order."""
    ordered = sorted(pages, key=lambda p: p.path)
    used_sources = set(taken)
    used_keys: set[str] = set()
    used_titles: set[str] = set()
    names: dict[str, PageName] = {}
    for page in ordered:
        source = unique(_markdown_path(page.path), used_sources)
        used_sources.add(source)
        key = unique(as_key(source[: -len(".md")]), used_keys)
        used_keys.add(key)
        title = page_title(page)
        if title.casefold() in used_titles:
            title = f"{title} ({page.stem})"
        used_titles.add(title.casefold())
        names[page.path] = PageName(source, key, title)
    return names


def page_title(page: SitePage) -> str:
    """Front-matter title (+ subheading), else the first heading, else the file name."""
    title = page.title
    if title is None:
        heading = _FIRST_HEADING.search(page.body)
        title = plain_text(heading.group(1)) if heading else None
    if not title:
        title = page.stem.replace("_", " ").replace("-", " ").strip().capitalize() or "Home"
    if page.subheading and page.subheading.casefold() not in title.casefold():
        title = f"{title}: {page.subheading}"
    return title


def as_key(text: str) -> str:
    """``module_one/m1_PD repeat`` → ``module_one/m1_pd-repeat``: pd-sync's key form."""
    key = re.sub(r"[^a-z0-9/_-]+", "-", text.lower())
    key = re.sub(r"/+", "/", key)
    key = re.sub(r"^[^a-z0-9]+", "", key).rstrip("-/")  # a key starts with a letter or digit
    return key or "page"


def slug(text: str) -> str:
    """A file-name and key fragment: ``LinkedIn rough draft`` → ``linkedin-rough-draft``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "item"


def unique(wanted: str, used: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``, … (before any ``.md``) when it is taken."""
    stem, ext = (wanted[:-3], ".md") if wanted.endswith(".md") else (wanted, "")
    candidate, n = wanted, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}{ext}"
    return candidate


def _markdown_path(path: str) -> str:
    root, _ = posixpath.splitext(path)
    return f"{root}.md"
