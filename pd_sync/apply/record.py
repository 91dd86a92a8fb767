"""Writing the ownership record (``desired.ownership``): once before a run's creates, once after.

"begin" creates this run's record page, announcing the objects it is about to create, and
deletes the record pages the plan read (their entries are in it). "finish" writes the ids the
run made into that page — or, when no "begin" ran, into a new page, deleting the ones read.
A record page another run deleted meanwhile is simply written again: Canvas's PUT on a missing
page creates it (wiki_pages_api_controller.rb builds one, titled from the URL unless a title is
given), so "finish" always sends the record's title and unpublished state with the body, and a
404 falls back to a create.
"""

from __future__ import annotations

import contextlib

from pd_sync.canvas import CanvasPort, Retrier
from pd_sync.curriculum import RECORD_TITLE
from pd_sync.desired import record_html
from pd_sync.errors import CanvasNotFoundError
from pd_sync.plan import RecordOwnership


def write_record(
    action: RecordOwnership,
    port: CanvasPort,
    retrier: Retrier,
    created: set[tuple[str, int]],
    own_url: str | None,
    uploaded: set[tuple[int, str, str]] | None = None,
) -> str | None:
    """Send ``action``; return the URL of this run's record page (for "finish" to update).
    ``uploaded`` are this run's uploads (file id, path, digest), recorded by "finish"."""
    if action.stage == "begin":
        body = record_html(action.ids, action.pending, action.files)
    else:
        files = set(action.files) | (uploaded or set())
        body = record_html(set(action.ids) | created, action.pending, files)
    if action.stage == "finish" and own_url is not None:
        try:
            fields = {"title": RECORD_TITLE, "body": body, "published": False}
            page = retrier.call(lambda: port.update_page(own_url, fields))
            return page.url or own_url
        except CanvasNotFoundError:
            pass
    # A lost response may leave a second record page: harmless, the record is the union.
    page = retrier.call(lambda: port.create_page(RECORD_TITLE, body, False))
    for old in action.supersede:
        if old != page.url:
            # Another run may have superseded it first.
            with contextlib.suppress(CanvasNotFoundError):
                retrier.call(lambda old=old: port.delete_page(old))  # type: ignore[misc]
    return page.url
