"""Links between the site's pages → curriculum page references (``page:KEY#anchor``).

A link is read the way a browser on the published site would read it: ``/module_one/mod1_week2``
from the site root (after the ``baseurl``), ``mixed_week2_prompts`` or ``./module_one/`` from
the linking page's URL, and ``https://<the site's host>/…`` as a site path too. It names an
imported page when its path matches the page's URL as ``pd_sync.curriculum.links`` compares site
paths (``.md``/``.html``, a trailing ``/`` and a final ``/index`` ignored). A path that matches only
when letter case is ignored (``m2_PD_repeat_plan`` for ``m2_pd_repeat_plan``) is resolved too,
and reported, since the published site would not have found it.

Images (Markdown or raw ``<img src>``) and Markdown links to the site's own files
(``/images/x.png``, ``/files/plan.pdf``) become paths relative to the Markdown file that holds
them, to the copy the import makes in the curriculum (at the file's site path), so pd-sync
uploads them to Canvas with the pages (``_target`` decides, for every link). Links that reach no
imported page point at the published site instead (``https://host/path``) and are reported; so
do site-relative images the site does not hold. Links written in raw HTML (``<a href>``) cannot
hold a page reference (pd-sync resolves Markdown links only), so they point at the published
site as well, and the report lists those that name an imported page.

Since issue 15: every host the site is published on counts as the site (``_config.yml``'s
``url`` and the ``CNAME`` domain); paths are compared percent-decoded; a link whose path names
no page but whose file name is a page's elsewhere on the site (the page moved) names that page
and is reported as "moved"; a relative link that is a bare domain (``backend.example.org``) is
an external ``https://`` link, not a file of the site; and ``<a href>`` in raw HTML names pages
as Markdown links do (``page:KEY``, which the renderer resolves in raw HTML too).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote, unquote, urljoin, urlsplit

from pd_sync.curriculum import PAGE_KEY_PREFIX, link_spans, normalise_site_path

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_HTML_URL_ATTRIBUTE = re.compile(
    r"""(<[A-Za-z][^<>]*?\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.DOTALL
)
_ORIGIN = "http://site.invalid"
# ``backend.example.org`` or ``www.example.org/path`` written without a scheme: a host name, not a
# file, when its last label is not a file extension people link to.
_FILE_EXTENSIONS = (
    "md|markdown|mkd|html?|pdf|png|jpe?g|gif|svg|webp|txt|csv|css|js|json|ya?ml|xml|docx?|"
    "pptx?|xlsx?|zip|mp[34]|mov|key|rb|py"
)
_BARE_DOMAIN = re.compile(
    rf"^(?:[A-Za-z0-9-]+\.)+(?!(?:{_FILE_EXTENSIONS})(?:[/?#]|$))[A-Za-z]{{2,24}}(?:[/?#].*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SiteLinks:
    """The imported pages by normalised URL, and where the published site lives."""

    pages: Mapping[str, str]  # normalised site path -> page key
    site_url: str = ""  # https://host[/baseurl], "" when unknown
    baseurl: str = ""
    hosts: tuple[str, ...] = ()  # every host of the site; site_url's when empty
    assets: frozenset[str] = frozenset()  # the site's other files, site-relative

    def asset_for(self, path: str) -> str | None:
        """The site file a site path names (``files/a b.pdf``), if the site has it."""
        bare = unquote(path.split("#", 1)[0].split("?", 1)[0]).lstrip("/")
        return bare if bare in self.assets else None

    def key_for(self, path: str) -> tuple[str | None, bool]:
        """(page key, matched only ignoring case) for a site path."""
        for normal in dict.fromkeys((_normal(path), _normal(unquote(path)))):
            if normal in self.pages:
                return self.pages[normal], False
        normal = _normal(unquote(path))
        folded = [k for p, k in self.pages.items() if p.lower() == normal.lower()]
        return (folded[0], True) if len(folded) == 1 else (None, False)

    def moved_key(self, path: str) -> str | None:
        """The page whose file name is the last part of ``path``, when exactly one page has it."""
        name = _normal(unquote(path)).rsplit("/", 1)[-1].lower()
        if not name:
            return None
        found = {k for p, k in self.pages.items() if p.rsplit("/", 1)[-1].lower() == name}
        return found.pop() if len(found) == 1 else None

    def is_site_host(self, host: str | None) -> bool:
        own = self.hosts or (urlsplit(self.site_url).hostname or "",)
        return host is not None and host.lower() in {h.lower() for h in own if h}


@dataclass(frozen=True)
class LinkNote:
    """A link worth reporting, at 1-based ``line``:``column`` of the converted Markdown."""

    kind: str  # "unresolved", "case", "moved", "asset"
    target: str
    line: int
    column: int
    now: str  # what the link points at now


@dataclass(frozen=True)
class Relinked:
    """The Markdown, what to report, the pages it links to and the site files it now names
    by a relative path (to copy into the curriculum)."""

    markdown: str
    notes: tuple[LinkNote, ...]
    page_refs: tuple[str, ...]
    assets: tuple[str, ...] = ()


def _relative(asset: str, source: str) -> str:
    """``asset`` (curriculum-relative) as a link from the Markdown file ``source``."""
    return quote(posixpath.relpath(asset, posixpath.dirname(source) or "."))


def site_path(href: str, page_url: str, links: SiteLinks) -> str | None:
    """The site path (with ``?query``/``#anchor``) ``href`` names from ``page_url``, if any."""
    href = href.strip()
    if not href or href.startswith(("#", PAGE_KEY_PREFIX)):
        return None
    if _SCHEME.match(href) or href.startswith("//"):
        target = urlsplit(urljoin(_ORIGIN + "/", href))
        if not links.is_site_host(target.hostname) or target.scheme not in ("http", "https"):
            return None
        href = target.path + (f"?{target.query}" if target.query else "")
        href += f"#{target.fragment}" if target.fragment else ""
    absolute = urljoin(_ORIGIN + page_url, href)
    path = absolute[len(_ORIGIN) :] if absolute.startswith(_ORIGIN) else None
    if path is None:
        return None
    base = links.baseurl
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    return path


def relink(markdown: str, page_url: str, links: SiteLinks, source: str | None = None) -> Relinked:
    """Rewrite every link of ``markdown`` (the page at ``page_url``, written to the curriculum
    file ``source``) that names a site path; without ``source`` no site file is copied."""
    edits: list[tuple[int, int, str]] = []
    notes: list[LinkNote] = []
    refs: set[str] = set()
    copied: set[str] = set()
    for span in link_spans(markdown):
        if span.kind == "link" and _BARE_DOMAIN.match(span.href.strip()):
            edits.append((span.start, span.end, _destination("https://" + span.href.strip())))
            continue
        path = site_path(span.href, page_url, links)
        if path is None:
            continue
        now, kind, key, asset = _target(path, span.kind == "link", links, source)
        if asset is not None:
            copied.add(asset)
        if key is not None:
            refs.add(key)
        if kind:
            notes.append(LinkNote(kind, span.href, span.line, span.column, now))
        edits.append((span.start, span.end, _destination(now)))
    text = _apply(markdown, edits)
    text, html_notes, html_assets = _relink_html(text, page_url, links, source)
    notes.extend(html_notes)
    return Relinked(text, tuple(notes), tuple(sorted(refs)), tuple(sorted(copied | html_assets)))


def _target(
    path: str, is_link: bool, links: SiteLinks, source: str | None = None
) -> tuple[str, str, str | None, str | None]:
    """(what the link points at now, the report's kind or ``""``, the page key if any, the
    site file it now names by a relative path if any).

    A site file (``links.assets``) becomes a path relative to ``source``, the curriculum file
    that will hold the link, when one is given: the import copies the file there. Without
    ``source`` (a raw ``<a href>``, which pd-sync does not upload) it stays on the site.
    """
    anchor = path.split("#", 1)[1] if "#" in path else ""
    asset = links.asset_for(path) if source is not None else None
    if source is not None and asset is not None:
        return _relative(asset, source), "", None, asset
    if is_link and not _is_file(path):
        key, case_only = links.key_for(path)
        kind = "case" if case_only else ""
        if key is None:
            key, kind = links.moved_key(path), "moved"
        if key is not None:
            return f"{PAGE_KEY_PREFIX}{key}" + (f"#{anchor}" if anchor else ""), kind, key, None
        return _published(path, links), "unresolved", None, None
    return _published(path, links), "asset", None, None


def _relink_html(
    text: str, page_url: str, links: SiteLinks, source: str | None
) -> tuple[str, list[LinkNote], set[str]]:
    notes: list[LinkNote] = []
    copied: set[str] = set()

    def replace(match: re.Match[str], offset: int) -> str:
        quote = '"' if match.group(2) is not None else "'"
        href = match.group(2) if match.group(2) is not None else match.group(3)
        if re.search(r"\shref\s*=\s*$", match.group(1)) and _BARE_DOMAIN.match(href.strip()):
            return f"{match.group(1)}{quote}https://{html.escape(href.strip())}{quote}"
        path = site_path(href, page_url, links)
        if path is None:
            return match.group(0)
        start = offset + match.start() + len(match.group(1)) + 1  # after the quote
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        is_link = re.search(r"\shref\s*=\s*$", match.group(1)) is not None
        is_image = re.search(r"<img\b[^<>]*\ssrc\s*=\s*$", match.group(1), re.I) is not None
        # pd-sync uploads the files of raw <img src> too; a raw <a href> it does not follow.
        now, kind, _, asset = _target(path, is_link, links, source if is_image else None)
        if asset is not None:
            copied.add(asset)
        if kind:
            notes.append(LinkNote(kind, href, line, column, now))
        return f"{match.group(1)}{quote}{html.escape(now)}{quote}"

    # Commented-out HTML is not on the page: leave it as it is.
    parts = re.split(r"(<!--.*?-->)", text, flags=re.DOTALL)
    offset = 0
    rebuilt: list[str] = []
    for part in parts:
        if part.startswith("<!--"):
            rebuilt.append(part)
        else:
            rebuilt.append(_HTML_URL_ATTRIBUTE.sub(partial(replace, offset=offset), part))
        offset += len(part)
    return "".join(rebuilt), notes, copied


def _normal(path: str) -> str:
    """``normalise_site_path``, also for the page extensions it does not know (``.markdown``),
    which a link to the source file may carry (jekyll-relative-links turns those into URLs)."""
    bare = path.split("#", 1)[0].split("?", 1)[0]
    return normalise_site_path(re.sub(r"\.(?:markdown|mkdn?|mkd|htm)$", "", bare, flags=re.I))


def _is_file(path: str) -> bool:
    """A path to a file (``/files/a.pdf``) rather than to a page."""
    name = path.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    return extension not in ("", "md", "markdown", "html", "htm")


def _published(path: str, links: SiteLinks) -> str:
    """The path on the published site; unchanged when the site's URL is unknown."""
    return links.site_url + path if links.site_url else path


def _destination(target: str) -> str:
    """A link destination that stays one token: ``<…>`` when it holds spaces or parentheses."""
    return f"<{target}>" if re.search(r"[\s()<>]", target) else target


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    cursor = 0
    for start, end, replacement in sorted(edits):
        if start < cursor:
            continue
        parts.append(text[cursor:start])
        parts.append(replacement)
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)
