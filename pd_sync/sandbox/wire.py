"""What handlers receive and return: the request context, responses, API errors, pagination."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote_plus

from .params import Params, ruby_to_i

T = TypeVar("T")

PER_PAGE = 10
MAX_PER_PAGE = 100
_LINK_EXCLUDED = ("page", "per_page", "access_token", "api_key")


@dataclass
class Request:
    method: str
    path: str
    params: Params
    query_params: Params
    host: str
    conn: sqlite3.Connection
    manage_sis: bool
    # "current", or "old": a Canvas release from before the pages list honoured include[]=body.
    canvas_version: str = "current"
    canonical_url: str | None = None
    # Where uploads go when Canvas keeps files on a file service of its own (inst-fs), or None
    # for Canvas storing them itself (the upload posts back to the API's origin).
    file_service: str | None = None

    @property
    def base(self) -> str:
        """The origin absolute URLs in answers start with (Canvas's configured domain)."""
        return self.canonical_url or f"http://{self.host}"


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def dump(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, dump(data))


class ApiError(Exception):
    """Raised by handlers; the server renders it as the given status and JSON body."""

    def __init__(
        self,
        status: int,
        body: Any,
        headers: list[tuple[str, str]] | None = None,
        *,
        commit: bool = False,
    ):
        super().__init__(f"{status}: {body!r}")
        self.status = status
        self.body = body
        self.headers = headers or []
        # True when Canvas has already saved the change before failing; the writes are kept.
        self.commit = commit

    def response(self) -> Response:
        return Response(self.status, dump(self.body), headers=list(self.headers))


def not_found() -> ApiError:
    return ApiError(404, {"errors": [{"message": "The specified resource does not exist."}]})


def message_error(status: int, message: str) -> ApiError:
    return ApiError(status, {"message": message})


def missing_param(name: str) -> ApiError:
    return ApiError(400, {"errors": [{"message": f"{name} is missing"}]})


def validation_error(errors: dict[str, list[tuple[str, str]]]) -> ApiError:
    """Canvas's InstructureHashReporter shape: attribute -> [{attribute, type, message}]."""
    body = {
        attr: [{"attribute": attr, "type": kind, "message": msg} for kind, msg in entries]
        for attr, entries in errors.items()
    }
    return ApiError(400, {"errors": body})


def invalid(attr: str, message: str, kind: str | None = None) -> ApiError:
    # A message added as a literal string doubles as its error type in Canvas's reporter.
    return validation_error({attr: [(kind or message, message)]})


def to_query(value: Any, prefix: str | None = None) -> str:
    """ActiveSupport's Object#to_query: nested keys bracketed, siblings sorted, CGI-escaped."""
    if isinstance(value, dict):
        parts = [to_query(v, f"{prefix}[{k}]" if prefix else str(k)) for k, v in value.items()]
        return "&".join(sorted(p for p in parts if p))
    assert prefix is not None
    if isinstance(value, list):
        if not value:
            return f"{quote_plus(prefix + '[]')}="
        return "&".join(to_query(v, prefix + "[]") for v in value)
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return f"{quote_plus(prefix)}={quote_plus(text)}"


def _page_number(params: Params) -> int:
    raw = params.get("page")
    if raw is None or raw == "":
        return 1
    number = ruby_to_i(raw)
    if number < 1 or not str(raw).strip().isdigit():
        raise ApiError(400, {"errors": [{"message": f"invalid page: {raw}"}]})
    return number


def paginate(req: Request, items: Sequence[T]) -> tuple[list[T], str]:
    """Slice one page and build Canvas's Link header (Api.paginate + build_links_hash)."""
    per_page_raw = req.params.get("per_page")
    per_page = PER_PAGE if per_page_raw in (None, "") else ruby_to_i(per_page_raw)
    per_page = max(1, min(MAX_PER_PAGE, per_page))
    page = _page_number(req.params)
    last = max(1, math.ceil(len(items) / per_page))
    chunk = list(items[(page - 1) * per_page : page * per_page])

    kept = {k: v for k, v in req.query_params.items() if k not in _LINK_EXCLUDED}
    base = f"{req.base}{req.path}?"
    if kept:
        base += to_query(kept) + "&"
    rels: list[tuple[str, int]] = [("current", page)]
    if page < last:
        rels.append(("next", page + 1))
    if page > 1:
        rels.append(("prev", page - 1))
    rels += [("first", 1), ("last", last)]
    link = ",".join(f'<{base}page={n}&per_page={per_page}>; rel="{rel}"' for rel, n in rels)
    return chunk, link


def paged_response(req: Request, items: Sequence[T], render: Callable[[T], Any]) -> Response:
    chunk, link = paginate(req, items)
    response = json_response([render(item) for item in chunk])
    response.headers.append(("Link", link))
    return response
