"""What a Jekyll site is made of, and the parsing that needs no file system.

A page is a file Jekyll renders: Markdown or HTML opening with front matter (``---`` … ``---``).
Its URL follows Jekyll's rules for pages: ``permalink:`` in its front matter wins; an ``index``
page is its folder (``/module_one/``); any other page is ``/:path/:basename`` plus the suffix
the site's permalink style asks for (``/`` for styles ending in ``/``, ``.html`` for styles with
``:output_ext``, nothing for a custom style such as ``/:title``).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from pd_sync.errors import Problem

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkdn", ".mkd")
HTML_EXTENSIONS = (".html", ".htm")

# Jekyll's built-in permalink styles; the default is "date".
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


@dataclass(frozen=True)
class SiteConfig:
    """The parts of ``_config.yml`` the import uses.

    ``url`` has no trailing ``/``; ``baseurl`` is ``""`` or a path like ``/docs``.
    """

    title: str = ""
    url: str = ""
    baseurl: str = ""
    permalink: str = "date"
    exclude: tuple[str, ...] = ()
    parse_block_html: bool = False

    @property
    def site_url(self) -> str:
        """Where the published site lives (``https://host/base``), or ``""`` if unknown."""
        return self.url + self.baseurl if self.url else ""


@dataclass(frozen=True)
class SitePage:
    """One page of the site. ``path`` is relative to the site, with ``/``; ``url`` its URL.

    ``body`` is the text after the front matter, starting on line ``body_line`` of the file.
    """

    path: str
    url: str
    title: str | None
    subheading: str | None
    body: str
    body_line: int
    has_front_matter: bool

    @property
    def is_html(self) -> bool:
        return self.path.lower().endswith(HTML_EXTENSIONS)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)

    @property
    def stem(self) -> str:
        return posixpath.splitext(posixpath.basename(self.path))[0]


@dataclass(frozen=True)
class Site:
    """A whole site: its configuration and pages (sorted by path)."""

    root: str
    config: SiteConfig
    pages: tuple[SitePage, ...]
    excluded: tuple[str, ...] = ()
    # Every other file the site publishes (images, PDFs, …), site-relative: what a page may show
    # or link to, and the import copies into the curriculum when one does.
    assets: tuple[str, ...] = ()
    # The custom domain of the ``CNAME`` file (GitHub Pages), the site's second host.
    cname: str = ""
    # What Jekyll would warn about and still build (front matter it cannot read).
    warnings: tuple[Problem, ...] = ()

    @property
    def hosts(self) -> tuple[str, ...]:
        """Every host the site is published on: ``_config.yml``'s ``url`` and the CNAME."""
        found = [urlsplit(self.config.url).hostname or "", self.cname.lower()]
        return tuple(dict.fromkeys(h for h in found if h))


def parse_config(text: str, file: str) -> SiteConfig:
    """``_config.yml`` → ``SiteConfig``; a ``Problem`` list in ``SiteError`` when malformed."""
    data = _load_yaml(text, file, first_line=1)
    if data is None:
        return SiteConfig()
    if not isinstance(data, dict):
        raise _site_error(file, 1, 1, "_config.yml is not a mapping of settings")
    kramdown = data.get("kramdown")
    parse_block_html = isinstance(kramdown, dict) and kramdown.get("parse_block_html") is True
    baseurl = str(data.get("baseurl") or "").strip().rstrip("/")
    exclude = data.get("exclude") or []
    return SiteConfig(
        title=str(data.get("title") or "").strip(),
        url=str(data.get("url") or "").strip().rstrip("/"),
        baseurl=baseurl if not baseurl or baseurl.startswith("/") else "/" + baseurl,
        permalink=str(data.get("permalink") or "date").strip(),
        exclude=tuple(str(e) for e in exclude) if isinstance(exclude, list) else (),
        parse_block_html=parse_block_html,
    )


def split_front_matter(text: str, file: str) -> tuple[dict[str, object] | None, str, int]:
    """(front matter or ``None`` when the file has none, body, file line the body starts on)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return None, text, 1
    closing = next(
        (i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip() in ("---", "...")),
        None,
    )
    if closing is None:
        raise _site_error(file, 1, 1, "front matter opened on line 1 is never closed; add '---'")
    try:
        data = _load_yaml("".join(lines[1:closing]), file, first_line=2)
    except SiteProblem as problem:
        # Jekyll warns about front matter it cannot read and still renders the page.
        body = "".join(lines[closing + 1 :])
        raise FrontMatterWarning(problem.problem, body, closing + 2) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _site_error(file, 2, 1, "front matter is not a mapping; write 'title: ...' lines")
    return {str(k): v for k, v in data.items()}, "".join(lines[closing + 1 :]), closing + 2


def page_url(path: str, front_matter: dict[str, object] | None, permalink_style: str) -> str:
    """The URL Jekyll gives the page at site-relative ``path``."""
    folder = posixpath.dirname(path)
    basename = posixpath.splitext(posixpath.basename(path))[0]
    dir_part = f"/{folder}" if folder else ""
    explicit = (front_matter or {}).get("permalink")
    if isinstance(explicit, str) and explicit.strip():
        url = explicit.strip()
        for name, value in (("path", dir_part), ("basename", basename), ("output_ext", ".html")):
            url = url.replace(f":{name}", value)
        return url if url.startswith("/") else "/" + url
    if basename == "index":
        return f"{dir_part}/"
    template = _STYLES.get(permalink_style, permalink_style)
    suffix = "/" if template.endswith("/") else ".html" if ":output_ext" in template else ""
    return f"{dir_part}/{basename}{suffix}"


def text_field(front_matter: dict[str, object] | None, name: str) -> str | None:
    value = (front_matter or {}).get(name)
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _load_yaml(text: str, file: str, first_line: int) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line if mark else 0) + first_line
        column = (mark.column if mark else 0) + 1
        reason = error.problem or error.context or "malformed YAML"
        raise _site_error(file, line, column, f"YAML: {reason}") from None
    except yaml.YAMLError as error:
        raise _site_error(file, first_line, 1, f"YAML: {error}") from None


def _site_error(file: str, line: int, column: int, message: str) -> SiteProblem:
    return SiteProblem(Problem(file, line, column, message))


class SiteProblem(Exception):
    """One problem in one file; ``read_site`` gathers them into a ``SiteError``."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class FrontMatterWarning(SiteProblem):
    """Front matter that is not valid YAML: the page is still a page, with its ``body``."""

    def __init__(self, problem: Problem, body: str, body_line: int) -> None:
        super().__init__(problem)
        self.body = body
        self.body_line = body_line
