"""Where each imported page goes, its key and its title — unique, and stable across runs.

A page keeps its place in the site: ``module_one/mod1_week2.md`` stays
``module_one/mod1_week2.md`` (HTML pages become ``.md``), so a person who knows the site finds
every file. Its key is that path without ``.md``, in the key form pd-sync accepts (lowercase,
``module_one/m1_pd_repeat_plan``), so it never changes when the site is imported again. Its
title is the front-matter title, with the ``subheading`` the site's layout shows under it
("Mix It Up: Networking"). Canvas gives pages with one title confusing URLs, so a title that
would repeat gets its folder's name in words ("Read Me (Session Archives)"), else a number
("Module 1 (2)") — never the file name, which means nothing to a student. The pages named
``first`` (module indexes) keep their titles as written; others yield.
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


def name_pages(
    pages: Iterable[SitePage], taken: Iterable[str] = (), first: Iterable[str] = ()
) -> dict[str, PageName]:
    """Site path → ``PageName`` for every page, in site-path order."""
    ordered = sorted(pages, key=lambda p: p.path)
    used_sources = set(taken)
    used_keys: set[str] = set()
    places: dict[str, tuple[str, str]] = {}
    for page in ordered:
        source = unique(_markdown_path(page.path), used_sources)
        used_sources.add(source)
        key = unique(as_key(source[: -len(".md")]), used_keys)
        used_keys.add(key)
        places[page.path] = (source, key)
    priority = [p for p in first if p in places]
    by_path = {page.path: page for page in ordered}
    titled = priority + [p.path for p in ordered if p.path not in set(priority)]
    used_titles: set[str] = set()
    folder_of: dict[str, str] = {}  # title (case-folded) -> folder of the page holding it
    titles: dict[str, str] = {}
    for path in titled:
        page = by_path[path]
        title = page_title(page)
        holder = folder_of.get(title.casefold())
        if holder is not None and page.folder and holder != page.folder:
            title = f"{title} ({_words(page.folder)})"
        title = unique_title(title, used_titles)
        folder_of.setdefault(title.casefold(), page.folder)
        used_titles.add(title.casefold())
        titles[path] = title
    return {p.path: PageName(*places[p.path], titles[p.path]) for p in ordered}


def unique_title(title: str, used: set[str]) -> str:
    """``title``, or ``title (2)``, ``title (3)``, … when its case-folded form is in ``used``."""
    candidate, n = title, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{title} ({n})"
    return candidate


def _words(folder: str) -> str:
    """``session_archives`` → ``Session Archives``; ``a/mock-up`` → ``Mock Up``."""
    last = folder.rsplit("/", 1)[-1]
    return " ".join(w.capitalize() for w in re.split(r"[_\-\s]+", last) if w) or folder


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
