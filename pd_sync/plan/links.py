"""PURE: what every HTML field pd-sync sends goes through: page links resolved, losses reported.

Rendering leaves a link to another page symbolic (``pd-sync-page:KEY[#anchor]``) because the
page's slug is known only once the planner has matched every page. Canvas drops an ``href``
whose scheme it does not know, so a symbolic link that reached Canvas would arrive as
``<a>text</a>``: page bodies and assignment descriptions (and any HTML field added later) must
all pass through ``resolve_page_links`` before they are wrapped in the marker and sent.

``desired`` has already reduced each field to what Canvas keeps and noted what the curriculum
loses; ``loss_notice`` tells the reader in every plan that sends that HTML (so a no-op plan
stays empty), since it is not a difference pd-sync can ever write away.
"""

from __future__ import annotations

import html
import re
from collections import ChainMap
from collections.abc import Mapping

from pd_sync.curriculum import PAGE_LINK_SCHEME
from pd_sync.plan.actions import Notice

# The HTML has been through desired's sanitiser, which writes every attribute double-quoted.
_PAGE_LINK = re.compile(r'\s+href="' + re.escape(PAGE_LINK_SCHEME) + r'([^"#]*)(#[^"]*)?"')


def resolve_page_links(html_text: str, course_id: int, slugs: Mapping[str, str]) -> str:
    """Every ``pd-sync-page:KEY`` href as ``/courses/:id/pages/:slug`` (the page's Canvas URL).

    ``slugs`` maps each page that will exist after this plan to its slug. A link to a page that
    will not (``state: absent``, or blocked by a conflict) loses its href here, on purpose and
    visibly in the plan: a slug guessed from the key could point at someone else's page.
    """

    def replace(match: re.Match[str]) -> str:
        slug = slugs.get(html.unescape(match.group(1)))
        if slug is None:
            return ""
        return f' href="/courses/{course_id}/pages/{html.escape(slug)}{match.group(2) or ""}"'

    return _PAGE_LINK.sub(replace, html_text)


def linked_keys(html_text: str) -> frozenset[str]:
    """The keys of the pages ``html_text`` links to (its ``pd-sync-page:KEY`` hrefs)."""
    return frozenset(html.unescape(m.group(1)) for m in _PAGE_LINK.finditer(html_text))


def links_followed(
    html_text: str,
    course_id: int,
    old_slugs: dict[str, str],
    new_slugs: dict[str, str],
) -> tuple[str, tuple[str, ...]]:
    """``html_text`` with its page links resolved against the URLs the pages have in Canvas now
    (``old_slugs``, where they differ from ``new_slugs``), and the keys of the linked pages whose
    URL this plan changes (sorted; empty when none does).

    A page whose body differs from Canvas's only as that HTML differs from the one resolved
    against ``new_slugs`` changes because its links follow renamed pages, not because the
    curriculum changed it.
    """
    moved = tuple(
        sorted(
            key
            for key in linked_keys(html_text)
            if key in old_slugs and old_slugs[key] != new_slugs.get(key)
        )
    )
    if not moved:
        return resolve_page_links(html_text, course_id, new_slugs), moved
    # A view, not a copy: building a merged dict for every page made this O(pages²).
    return resolve_page_links(html_text, course_id, ChainMap(old_slugs, new_slugs)), moved


_LISTED_LOSSES = 5


def loss_notice(kind: str, name: str, lost: tuple[str, ...]) -> Notice | None:
    """A notice naming what Canvas will strip from an object's HTML, or None if nothing."""
    if not lost:
        return None
    listed = "; ".join(lost[:_LISTED_LOSSES])
    more = len(lost) - _LISTED_LOSSES
    if more > 0:
        listed += f"; and {more} more"
    return Notice(
        kind=kind,
        object_name=name,
        reason=f"Canvas will not keep part of its HTML, so pd-sync sends it without it: {listed}; "
        "rewrite that part with HTML Canvas allows, or remove it",
    )
