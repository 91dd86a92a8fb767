"""The page a browser shows at ``/courses/:id/pages/:url``: a minimal, read-only HTML view.

Real Canvas answers that address with its full page view (wiki_pages_controller.rb#show),
behind a login session. The sandbox has no users or sessions, so it shows only what a reader
needs to check a sync: the course name, the page title and the stored body (already reduced
by the sanitiser when it was saved). It takes no token and changes nothing; the API under
``/api/v1`` stays as strict as ever. Links inside a body are root-relative
(``/courses/1/pages/week-2``), so they lead from one view to the next.
"""

from __future__ import annotations

import html
import re

from .app import App
from .slugs import to_url
from .store import fetch_one
from .wire import Response

_PATH = re.compile(r"/courses/(\d+)/pages/([^/]+)/?")
# Bodies are sanitised HTML; this keeps even a sanitiser miss from running script here.
_POLICY = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'none'"


def is_page_view(path: str) -> bool:
    return _PATH.fullmatch(path) is not None


def page_view(app: App, method: str, path: str) -> Response:
    """``GET``/``HEAD`` the page view; any other method is refused (the view is read-only)."""
    if method not in ("GET", "HEAD"):
        return _page(405, "Not allowed", "<p>This view is read-only; use the API.</p>")
    match = _PATH.fullmatch(path)
    if match is None:  # pragma: no cover - the caller checks is_page_view first
        return _page(404, "Page not found", "")
    course_id, url = int(match.group(1)), match.group(2)
    with app.store.transaction(write=False) as conn:
        course = fetch_one(conn, "SELECT * FROM courses WHERE id = ?", (course_id,))
        page = None
        if course is not None:
            page = fetch_one(
                conn,
                "SELECT * FROM pages WHERE course_id = ? AND workflow_state != 'deleted' "
                "AND url IN (?, ?) ORDER BY url = ? DESC LIMIT 1",
                (course_id, url, to_url(url), url),
            )
    if course is None:
        return _page(404, "Course not found", f"<p>No course {course_id} in this sandbox.</p>")
    name = html.escape(str(course["name"]))
    if page is None:
        return _page(404, "Page not found", f"<p>{name} has no page at {html.escape(url)}.</p>")
    state = "" if page["workflow_state"] == "active" else " <em>(unpublished)</em>"
    content = (
        f"<p class='course'>{name} · sandbox Canvas, read-only view</p>"
        f"<h1>{html.escape(str(page['title']))}{state}</h1>"
        f"<div class='body'>{page['body'] or ''}</div>"
    )
    return _page(200, str(page["title"]), content)


def _page(status: int, title: str, content: str) -> Response:
    document = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>{content}</body></html>"
    )
    return Response(
        status,
        document.encode("utf-8"),
        content_type="text/html; charset=utf-8",
        headers=[("Content-Security-Policy", _POLICY)],
    )
