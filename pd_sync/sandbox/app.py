"""One /api/v1 request from arrival to answer: throttle, latency, faults, auth, routing, logging.

The order follows Canvas's middleware stack: the throttle runs before authentication (so even a
bad token has a bucket), errors are JSON only under /api/, and nothing escapes as a crash.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from .faults import Faults, error_code
from .params import ParamError, parse_body, parse_query
from .routes import needs_token, resolve
from .store import Store
from .throttle import THROTTLED_BODY, Throttle
from .wire import ApiError, Request, Response, dump

log = logging.getLogger("pd_sync.sandbox")

WRITES = frozenset({"POST", "PUT", "DELETE", "PATCH"})
_BAD_GATEWAY = b"<html><body><h1>502 Bad Gateway</h1></body></html>\n"
_AUTH_HEADER = ("WWW-Authenticate", 'Bearer realm="canvas-lms"')
_NOT_FOUND = "The specified resource does not exist."


@dataclass(frozen=True)
class LoggedRequest:
    """One /api/v1 request as the sandbox saw it.

    `status` is what the client received; a response dropped on purpose is logged as status 0
    with `lost=True` (and a "502" loss as 502 with `lost=True`) although the write was applied.
    """

    method: str
    path: str
    query: str
    status: int
    duration: float
    token_hash: str
    lost: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16] if token else ""


def _bearer(headers: Mapping[str, str], query: str) -> str:
    auth = headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if "access_token=" in query:
        try:
            return str(parse_query(query).get("access_token") or "")
        except ParamError:
            return ""
    return ""


def _error(status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, dump(body), headers=list(headers or []))


def _errors(status: int, message: str, **extra: str) -> Response:
    return _error(status, {"errors": [{"message": message, **extra}]})


class App:
    def __init__(
        self, store: Store, tokens: Iterable[str], manage_sis: bool, latency: float
    ) -> None:
        self.store = store
        self.manage_sis = manage_sis
        self.latency = latency
        self.canvas_version = "current"
        # Canvas writes absolute URLs (Link headers, html_url) on its configured domain, not
        # on whatever Host the client sent; None answers with the request's Host.
        self.canonical_url: str | None = None
        # The file service's origin when uploads go there (file_service.py), else None.
        self.file_service_url: str | None = None
        self.faults = Faults()
        self.throttle = Throttle()
        self._tokens = set(tokens)
        self._tokens_lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()

    def add_token(self, token: str) -> None:
        with self._tokens_lock:
            self._tokens.add(token)

    def _known(self, token: str) -> bool:
        with self._tokens_lock:
            return token in self._tokens

    def requests(self) -> list[LoggedRequest]:
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def reset(self) -> None:
        """Forget all content, faults, throttle state and the request log; keep tokens/config."""
        self.store.wipe()
        self.faults.clear()
        self.throttle.reset()
        self.clear_requests()

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Response | None:
        """Answer one API request (header names lower-cased); None means send no response."""
        started = time.monotonic()
        split = urlsplit(target)
        token = _bearer(headers, split.query)
        response: Response | None
        lost = False
        try:
            response, lost = self._api(method, split.path, split.query, headers, body, token)
        except Exception:
            log.exception("sandbox failed on %s %s", method, split.path)
            response = _errors(500, "An error occurred.", error_code="internal_server_error")
        entry = LoggedRequest(
            method=method,
            path=split.path,
            query=split.query,
            status=0 if response is None else response.status,
            duration=time.monotonic() - started,
            token_hash=token_hash(token),
            lost=lost,
        )
        with self._log_lock:
            self._log.append(entry)
        return response

    def _api(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        body: bytes,
        token: str,
    ) -> tuple[Response | None, bool]:
        reservation = None
        if self.throttle.enabled:
            reservation = self.throttle.reserve(token_hash(token) or "anonymous")
            if reservation is None:
                throttled = Response(
                    403,
                    THROTTLED_BODY,
                    "text/plain; charset=utf-8",
                    [("X-Rate-Limit-Remaining", "0.0")],
                )
                return throttled, False
        injected = redirect = None
        cost = remaining = 0.0
        try:
            if self.latency > 0:
                time.sleep(self.latency)
            injected = self.faults.take_failure()
            redirect = None if injected is not None else self.faults.take_redirect()
            if redirect is not None:
                status, location = redirect
                response = Response(
                    status, b"", "text/html; charset=utf-8", [("Location", location)]
                )
            elif injected is not None:
                response = _errors(injected, "An error occurred.", error_code=error_code(injected))
            else:
                response = self._dispatch(method, path, query, headers, body, token)
        finally:
            if reservation is not None:
                cost, remaining = self.throttle.settle(reservation, method)
        if reservation is not None:
            response.headers += [
                ("X-Request-Cost", repr(cost)),
                ("X-Rate-Limit-Remaining", repr(remaining)),
            ]
        if method in WRITES and injected is None and redirect is None:
            loss = self.faults.take_loss()
            if loss == "drop":
                return None, True
            if loss == "502":
                return Response(502, _BAD_GATEWAY, "text/html; charset=utf-8"), True
        return response, False

    def _dispatch(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        body: bytes,
        token: str,
    ) -> Response:
        try:
            query_params = parse_query(query)
            body_params = parse_body(body, headers.get("content-type", ""))
        except ParamError as exc:
            return _errors(400, f"Invalid request parameters: {exc}", error_code="bad_request")
        # Rails routes HEAD like GET (the body is dropped by the transport).
        route = resolve("GET" if method == "HEAD" else method, path)
        if route is None or needs_token(route[0]):
            if not token:
                body_json = {
                    "status": "unauthenticated",
                    "errors": [{"message": "user authorization required"}],
                }
                return _error(401, body_json, [_AUTH_HEADER])
            if not self._known(token):
                message = {"errors": [{"message": "Invalid access token."}]}
                return _error(401, message, [_AUTH_HEADER])
        if route is None:
            return _errors(404, _NOT_FOUND)
        handler, args = route
        params = {**query_params, **body_params}
        host = headers.get("host") or "localhost"
        try:
            with self.store.transaction(write=method in WRITES) as conn:
                req = Request(
                    method,
                    path,
                    params,
                    query_params,
                    host,
                    conn,
                    self.manage_sis,
                    self.canvas_version,
                    self.canonical_url,
                    self.file_service_url,
                )
                try:
                    return handler(req, **args)
                except ApiError as exc:
                    if not exc.commit:
                        raise
                    return exc.response()
        except ApiError as exc:
            return exc.response()
        except ParamError as exc:
            return _errors(400, f"Invalid request parameters: {exc}", error_code="bad_request")
        except OverflowError:  # an id beyond SQLite's integer range cannot name a record
            return _errors(404, _NOT_FOUND)
