"""HTML fidelity (issue 14): what the curriculum links to is what Canvas ends up linking to.

The curriculum is synced into the sandbox, whose sanitiser is canvas_sanitize.rb's: every link
between pages, in page bodies and assignment descriptions alike, must reach a live page.
"""

from __future__ import annotations

from html.parser import HTMLParser

from pd_sync.curriculum import (
    PAGE_LINK_SCHEME,
    Program,
)
from pd_sync.sandbox import Sandbox
from tests.sync.conftest import Sync, active

URL_ATTRIBUTES = {"href", "src", "cite", "data", "poster"}


class _Tags(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def targets(html: str) -> list[tuple[str, str, str]]:
    """(element, attribute, URL) of every link target in ``html``, in order."""
    return [
        (tag, name, value)
        for tag, attrs in tags(html)
        for name, value in attrs.items()
        if name in URL_ATTRIBUTES
    ]


def ids(html: str) -> set[str]:
    return {a[n] for _, a in tags(html) for n in ("id", "name") if n in a}


def stored(sandbox: Sandbox) -> list[tuple[str, str, str]]:
    """(kind, title, HTML) of every live page body and assignment description."""
    rows = [("page", str(p["title"]), str(p["body"])) for p in active(sandbox.store.rows("pages"))]
    rows += [
        ("assignment", str(a["name"]), str(a["description"]))
        for a in active(sandbox.store.rows("assignments"))
    ]
    return rows


def assert_links_reach_live_pages(
    sandbox: Sandbox, course_id: int, lost_hrefs: frozenset[str] = frozenset()
) -> None:
    """Every stored <a> has an href (or is a named anchor) and internal ones reach live pages
    and anchors; ``lost_hrefs`` are titles where pd-sync reported an href Canvas drops."""
    pages = {str(p["url"]): str(p["body"]) for p in active(sandbox.store.rows("pages"))}
    internal = f"/courses/{course_id}/pages/"
    problems = []
    for kind, title, html in stored(sandbox):
        for tag, attrs in tags(html):
            if tag != "a":
                continue
            href = attrs.get("href")
            if href is None:
                # A named anchor is a target, not a link.
                if "name" not in attrs and title not in lost_hrefs:
                    problems.append(f"{kind} {title!r}: <a> without href: {attrs}")
                continue
            assert PAGE_LINK_SCHEME not in href
            if not href.startswith(internal):
                continue
            slug, _, fragment = href[len(internal) :].partition("#")
            if slug not in pages:
                problems.append(f"{kind} {title!r}: {href} is not a live page")
            elif fragment and fragment not in ids(pages[slug]):
                problems.append(f"{kind} {title!r}: {href} names no anchor on that page")
    assert problems == []


def test_real_curriculum_links_all_reach_live_pages(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    # Issue 14: the deliverables' links to week pages used to arrive as <a>week 3</a>.
    sync(program)

    descriptions = [html for kind, _, html in stored(sandbox) if kind == "assignment"]
    linked = [t for html in descriptions for t in targets(html) if "/pages/" in t[2]]
    assert len(linked) >= 3  # week 3, week 4 and week 5 from the LinkedIn draft alone
    assert_links_reach_live_pages(sandbox, program.cohorts[0].course_id)
