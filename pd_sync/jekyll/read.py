"""Read a Jekyll site from disk into a ``Site``: the import's only reader of the site's files.

Like Jekyll, it skips files and folders whose names start with ``_`` or ``.`` (layouts,
includes, ``_site``) and whatever ``_config.yml`` excludes. Every Markdown or HTML file left is
a page — including ones without front matter, which Jekyll would copy unrendered: importing
them as plain pages keeps anything from being dropped silently. Every malformed file is
reported at once, as ``file:line:column``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from pathlib import Path

from pd_sync.errors import Problem, SiteError
from pd_sync.jekyll.site import (
    HTML_EXTENSIONS,
    MARKDOWN_EXTENSIONS,
    FrontMatterWarning,
    Site,
    SiteConfig,
    SitePage,
    SiteProblem,
    page_url,
    parse_config,
    split_front_matter,
    text_field,
)

CONFIG_FILE = "_config.yml"
CNAME_FILE = "CNAME"
# Folders Jekyll itself never reads as content.
_ALWAYS_EXCLUDED = ("node_modules", "vendor", "Gemfile", "Gemfile.lock")


def read_site(root: Path) -> Site:
    """Every page under ``root``; ``SiteError`` listing every problem when any file is bad."""
    shown = str(root)
    if not root.is_dir():
        raise SiteError(
            [Problem(shown, 1, 1, "no such site directory; pass the folder holding _config.yml")]
        )
    problems: list[Problem] = []
    config = SiteConfig()
    config_path = root / CONFIG_FILE
    if config_path.is_file():
        try:
            config = parse_config(_read_text(config_path, str(config_path)), str(config_path))
        except SiteProblem as error:
            problems.append(error.problem)
    pages: list[SitePage] = []
    warnings: list[Problem] = []
    excluded: list[str] = []
    assets: list[str] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or _hidden(relative):
            continue
        if _excluded(relative, config.exclude):
            excluded.append(relative)
            continue
        if not relative.lower().endswith(MARKDOWN_EXTENSIONS + HTML_EXTENSIONS):
            if not path.is_symlink():  # a link could lead anywhere: never copied
                assets.append(relative)
            continue
        try:
            pages.append(_read_page(path, relative, config))
        except FrontMatterWarning as warning:
            # Reported by site path, as the rest of the import report is.
            warnings.append(replace(warning.problem, file=relative))
            pages.append(_page(relative, None, warning.body, warning.body_line, config, True))
        except SiteProblem as error:
            problems.append(error.problem)
    if problems:
        raise SiteError(problems)
    if not config_path.is_file() and not any(p.has_front_matter for p in pages):
        # Importing nothing would "succeed" on a mistyped path: say what is missing instead.
        message = (
            "not a Jekyll site: no _config.yml and no page with front matter; pass the folder "
            "holding _config.yml"
        )
        raise SiteError([Problem(shown, 1, 1, message)])
    return Site(
        root=shown,
        config=config,
        pages=tuple(pages),
        excluded=tuple(excluded),
        cname=_cname(root / CNAME_FILE),
        warnings=tuple(warnings),
        assets=tuple(assets),
    )


def read_asset(root: Path, relative: str) -> bytes:
    """The bytes of one of the site's files, to copy into the curriculum: only a regular file
    inside ``root`` (``read_site`` listed it; it is checked again now)."""
    path = root / relative
    resolved, inside = path.resolve(), root.resolve()
    if path.is_symlink() or not resolved.is_file() or inside not in resolved.parents:
        raise SiteError([Problem(str(path), 1, 1, "not a regular file inside the site")])
    return resolved.read_bytes()


def _cname(path: Path) -> str:
    """The custom domain in ``CNAME`` (its first non-blank line), or ``""``."""
    if not path.is_file():
        return ""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _read_page(path: Path, relative: str, config: SiteConfig) -> SitePage:
    shown = str(path)
    front, body, body_line = split_front_matter(_read_text(path, shown), shown)
    return _page(relative, front, body, body_line, config)


def _page(
    relative: str,
    front: dict[str, object] | None,
    body: str,
    body_line: int,
    config: SiteConfig,
    warned: bool = False,
) -> SitePage:
    return SitePage(
        path=relative,
        url=page_url(relative, front, config.permalink),
        title=text_field(front, "title"),
        subheading=text_field(front, "subheading"),
        body=body.replace("\r\n", "\n").replace("\r", "\n"),
        body_line=body_line,
        has_front_matter=front is not None or warned,
    )


def _read_text(path: Path, shown: str) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SiteProblem(Problem(shown, 1, 1, f"not UTF-8 text ({error.reason})")) from None
    except OSError as error:
        raise SiteProblem(Problem(shown, 1, 1, f"cannot read: {error.strerror}")) from None


def _hidden(relative: str) -> bool:
    return any(part.startswith(("_", ".")) for part in relative.split("/"))


def _excluded(relative: str, exclude: tuple[str, ...]) -> bool:
    parts = relative.split("/")
    patterns = exclude + _ALWAYS_EXCLUDED
    return any(
        fnmatch.fnmatchcase(relative, p.strip("/")) or fnmatch.fnmatchcase(parts[0], p.strip("/"))
        for p in patterns
    )
