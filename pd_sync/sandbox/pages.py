"""Wiki pages (canvas-api.md §5): slugs derived from titles, soft deletes, front page rules."""

from __future__ import annotations

import re
from typing import Any

from .courses import require_course
from .params import ParamError, Params, as_bool, as_dict, as_str, includes
from .sanitize import rewrite_outgoing, sanitize_html
from .slugs import titleize, to_url
from .store import Row, fetch_all, fetch_one, insert, now, update
from .tags import delete_items, sync_items
from .wire import (
    Request,
    Response,
    invalid,
    json_response,
    message_error,
    paged_response,
    validation_error,
)

EDITING_ROLES = ("teachers", "students", "members", "public")
_LIVE = "workflow_state != 'deleted'"


def page_json(req: Request, row: Row, with_body: bool = True) -> dict[str, Any]:
    published = row["workflow_state"] == "active"
    data: dict[str, Any] = {
        "page_id": row["id"],
        "url": row["url"],
        "title": row["title"],
        "created_at": row["created_at"],
        "updated_at": row["revised_at"],
        "hide_from_students": not published,
        "editing_roles": row["editing_roles"],
        "published": published,
        "front_page": bool(row["front_page"]),
        "html_url": f"{req.base}/courses/{row['course_id']}/pages/{row['url']}",
        "todo_date": None,
        "publish_at": None,
        "locked_for_user": False,
    }
    if with_body:
        data["body"] = rewrite_outgoing(row["body"], req.base)
    return data


def find_page(req: Request, course_id: int, param: str) -> Row | None:
    """Wiki#find_page: `page_id:N`, then a live page's url (or the param's slug), then an id."""
    by_id = re.fullmatch(r"page_id:(\d+)", param)
    if by_id:
        row = fetch_one(
            req.conn,
            "SELECT * FROM pages WHERE id = ? AND course_id = ?",
            (int(by_id.group(1)), course_id),
        )
        return row if row and row["workflow_state"] != "deleted" else None
    row = fetch_one(
        req.conn,
        f"SELECT * FROM pages WHERE course_id = ? AND {_LIVE} AND url IN (?, ?) "
        "ORDER BY url = ? DESC LIMIT 1",
        (course_id, param, to_url(param), param),
    )
    if row is None and (digits := re.match(r"\d+", param)):
        row = fetch_one(
            req.conn,
            f"SELECT * FROM pages WHERE course_id = ? AND {_LIVE} AND id = ?",
            (course_id, int(digits.group(0))),
        )
    return row


def _taken(req: Request, course_id: int, column: str, value: str, self_id: int | None) -> bool:
    row = fetch_one(
        req.conn,
        f"SELECT 1 FROM pages WHERE course_id = ? AND {_LIVE} AND {column} = ? AND id != ?",
        (course_id, value, self_id or 0),
    )
    return row is not None


def _unique_title(req: Request, course_id: int, title: str, self_id: int | None) -> str:
    if not _taken(req, course_id, "title", title, self_id):
        return title
    if re.search(r"-\d+\Z", title):
        raise invalid(
            "title", "A page with this title already exists. Please choose a different title."
        )
    n = 2
    while _taken(req, course_id, "title", f"{title}-{n}", self_id):
        n += 1
    return f"{title}-{n}"


def _unique_url(req: Request, course_id: int, slug: str, self_id: int | None) -> str:
    candidate, n = slug, 2
    while _taken(req, course_id, "url", candidate, self_id):
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _validate_title(title: str) -> None:
    if not title.strip():
        raise invalid("title", "can't be blank", "blank")
    if len(title) > 255:
        raise invalid("title", "is too long (maximum is 255 characters)", "too_long")
    if not to_url(title):
        raise invalid("title", "Title must contain at least one letter or number")


def _title_changes(
    req: Request, course_id: int, page: Row | None, wp: Params, new_url: str | None
) -> dict[str, Any]:
    """A new or changed title re-derives the slug (acts_as_url sync_url); both stay unique."""
    if "title" in wp:
        title = as_str(wp["title"], "wiki_page[title]")
    elif page is not None:
        return {}
    elif new_url is not None:
        title = titleize(new_url)
    else:
        raise invalid("title", "can't be blank", "blank")
    _validate_title(title)
    if page is not None and title == page["title"]:
        return {}
    self_id = page["id"] if page else None
    title = _unique_title(req, course_id, title, self_id)
    return {"title": title, "url": _unique_url(req, course_id, to_url(title), self_id)}


def _front_page_change(page: Row | None, wp: Params, state: str | None) -> bool | None:
    """The requested front-page flag when it differs from the current one, else None."""
    was_front = bool(page and page["front_page"])
    set_front = None
    if "front_page" in wp and as_bool(wp["front_page"]) != was_front:
        set_front = as_bool(wp["front_page"])
    if set_front is None and state is None:
        return None
    front = was_front if set_front is None else set_front
    final_state = state or (page["workflow_state"] if page else "unpublished")
    if front and final_state != "active":
        message = "The front page cannot be unpublished"
        keys = [k for k, v in (("front_page", set_front), ("published", state)) if v is not None]
        raise validation_error({k: [(message, message)] for k in keys})
    return set_front


def save_page(
    req: Request, course_id: int, page: Row | None, wp: Params, new_url: str | None = None
) -> Row:
    """Create (page is None) or update a page from `wiki_page[...]` params, as Canvas would."""
    changes = _title_changes(req, course_id, page, wp, new_url)
    if "body" in wp:
        body = sanitize_html(as_str(wp["body"], "wiki_page[body]"))
        if page is None or body != page["body"]:
            changes["body"] = body
    if "editing_roles" in wp:
        roles = [r.strip() for r in as_str(wp["editing_roles"], "editing_roles").split(",")]
        if any(r not in EDITING_ROLES for r in roles):
            raise invalid("editing_roles", "The provided editing roles are invalid")
        if page is None or ",".join(roles) != page["editing_roles"]:
            changes["editing_roles"] = ",".join(roles)
    state: str | None = None
    if "published" in wp and wp["published"] != "":
        state = "active" if as_bool(wp["published"]) else "unpublished"
    set_front = _front_page_change(page, wp, state)

    stamp = now()
    if page is None:
        values = {"editing_roles": "teachers", "body": "", **changes}
        values.update(workflow_state=state or "unpublished", course_id=course_id)
        row = insert(
            req.conn,
            "pages",
            {**values, "created_at": stamp, "updated_at": stamp, "revised_at": stamp},
        )
    else:
        if state is not None and state != page["workflow_state"]:
            changes["workflow_state"] = state
        if "title" in changes or "body" in changes:
            # Canvas's updated_at is revised_at: only a new title or body counts as a revision.
            changes["revised_at"] = stamp
        if changes:
            changes["updated_at"] = stamp
        row = update(req.conn, "pages", page["id"], changes)
        published = changes.get("workflow_state")
        sync_items(
            req.conn,
            "Page",
            row["id"],
            title=changes.get("title"),
            published=None if published is None else published == "active",
        )
    if set_front is not None:
        req.conn.execute("UPDATE pages SET front_page = 0 WHERE course_id = ?", (course_id,))
        row = update(req.conn, "pages", row["id"], {"front_page": int(set_front)})
    return row


def _wiki_page_params(req: Request) -> Params:
    return as_dict(req.params.get("wiki_page"), "wiki_page")


def list_pages(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    params = req.params
    where = [_LIVE]
    if "published" in params:
        where = [
            "workflow_state = 'active'"
            if as_bool(params["published"])
            else "workflow_state = 'unpublished'"
        ]
    rows = fetch_all(
        req.conn,
        f"SELECT * FROM pages WHERE course_id = ? AND {' AND '.join(where)} ORDER BY id",
        (course["id"],),
    )
    term = as_str(params.get("search_term"), "search_term").lower()
    if term:
        rows = [r for r in rows if term in r["title"].lower()]
    sort = params.get("sort")
    if sort in ("title", "created_at", "updated_at"):
        column = "revised_at" if sort == "updated_at" else sort
        rows.sort(key=lambda r: (r[column].casefold() if column == "title" else r[column], r["id"]))
    if params.get("order") == "desc":
        rows.reverse()
    # wiki_pages_api_controller.rb#index: newer Canvas drops the body column unless
    # include[]=body; older releases select `column_names - ["body"]` always, so their list
    # never has a body field (GET of one page still does).
    with_body = "body" in includes(params) and req.canvas_version != "old"
    return paged_response(req, rows, lambda row: page_json(req, row, with_body))


def create_page(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    wp = _wiki_page_params(req)
    if "title" not in wp:
        raise invalid("title", "can't be blank", "blank")
    return json_response(page_json(req, save_page(req, course["id"], None, wp)))


def _require_page(req: Request, course_id: int, url_or_id: str) -> Row:
    page = find_page(req, course_id, url_or_id)
    if page is None:
        raise message_error(404, "page not found")
    return page


def show_page(req: Request, course_id: str, url_or_id: str) -> Response:
    course = require_course(req, course_id)
    return json_response(page_json(req, _require_page(req, course["id"], url_or_id)))


def update_page(req: Request, course_id: str, url_or_id: str) -> Response:
    course = require_course(req, course_id)
    # wiki_pages_api_controller.rb: `update` is not behind require_wiki_page; get_wiki_page
    # builds a new page for any unmatched :url_or_id (Wiki#build_wiki_page: title =
    # url.titleize, url re-derived from it; a given wiki_page[title] wins). Even `page_id:N`
    # that matches nothing is a new page (titled "Page Id:N"), not a 404.
    page = find_page(req, course["id"], url_or_id)
    row = save_page(req, course["id"], page, _wiki_page_params(req), new_url=url_or_id)
    return json_response(page_json(req, row))


def delete_page(req: Request, course_id: str, url_or_id: str) -> Response:
    course = require_course(req, course_id)
    page = _require_page(req, course["id"], url_or_id)
    if page["front_page"]:
        raise invalid("front_page", "The front page cannot be deleted")
    stamp = now()
    row = update(
        req.conn,
        "pages",
        page["id"],
        {"workflow_state": "deleted", "deleted_at": stamp, "updated_at": stamp},
    )
    delete_items(req.conn, "Page", page["id"])
    return json_response(page_json(req, row))


def _front_page(req: Request, course_id: int) -> Row | None:
    return fetch_one(
        req.conn,
        f"SELECT * FROM pages WHERE course_id = ? AND {_LIVE} AND front_page = 1",
        (course_id,),
    )


def show_front_page(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    page = _front_page(req, course["id"])
    if page is None:
        raise message_error(404, "No front page has been set")
    return json_response(page_json(req, page))


def update_front_page(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    page = _front_page(req, course["id"])
    wp = dict(_wiki_page_params(req))
    if page is None:
        wp.setdefault("published", True)
        wp["front_page"] = True
        if "title" not in wp:
            raise ParamError("wiki_page[title] is required to create a front page")
    return json_response(page_json(req, save_page(req, course["id"], page, wp)))


_PAGE = r"/courses/(?P<course_id>\d+)/pages/(?P<url_or_id>[^/]+)"
ROUTES = [
    ("GET", r"/courses/(?P<course_id>\d+)/pages", list_pages),
    ("POST", r"/courses/(?P<course_id>\d+)/pages", create_page),
    ("GET", _PAGE, show_page),
    ("PUT", _PAGE, update_page),
    ("DELETE", _PAGE, delete_page),
    ("GET", r"/courses/(?P<course_id>\d+)/front_page", show_front_page),
    ("PUT", r"/courses/(?P<course_id>\d+)/front_page", update_front_page),
]
