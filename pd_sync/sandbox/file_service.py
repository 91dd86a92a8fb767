"""Instructure's file service (inst-fs), for the sandbox that models hosted Canvas: a second
HTTP server on another loopback port, so uploads really go to another origin than the API.

What it does with ``POST /files?token=…`` (doc/api/file_uploads.md, Step 2 and Step 3):

- any request carrying an ``Authorization`` header is refused (401) and stores nothing: the
  token is the signed upload token in the URL (``inst_fs.service_ticket``), and "the access
  token is not sent with this request", so a client that sends it anyway fails loudly here;
- otherwise it stores the bytes and captures the file as Canvas's ``FilesController#api_capture``
  does (app/controllers/files_controller.rb: the attachment saved, then
  ``handle_duplicates(on_duplicate)``), and answers as the documentation's Step 3 says:
  mode ``"created"`` with 201 Created, ``Location: <canvas>/api/v1/files/:id`` and the file's
  JSON; mode ``"capture"`` the same with the body ``{}``, as ``api_capture`` renders it
  (``render json: {}, status: :created, location: api_v1_attachment_url(...)``), so the client
  must GET the Location; mode ``"redirect"`` with a 302 to
  ``<canvas>/api/v1/files/:id/create_success?uuid=…`` (the form the documentation's Step 2
  example shows), leaving the confirmation to Canvas.

Every request is logged whole (method, target, headers, body), so a test can show that the API
token appears nowhere in what the file service received.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from .files import file_json, file_uuid, handle_duplicates
from .inst_fs import service_claims
from .params import ParamError, parse_body
from .store import Store, fetch_one, now, update
from .wire import Request, Response, dump

MODES = ("created", "capture", "redirect")


@dataclass(frozen=True)
class ServiceRequest:
    """One request as the file service received it (header names lower-cased)."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class FileService:
    """The file service of one sandbox: ``api_base()`` says where the Canvas API answers (for
    the Location it sends back), ``canonical_url()`` Canvas's configured domain, if any."""

    def __init__(
        self,
        store: Store,
        api_host: Callable[[], str],
        canonical_url: Callable[[], str | None],
        mode: str = "created",
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"file_service must be one of {MODES}, not {mode!r}")
        self.mode = mode
        self._store = store
        self._api_host = api_host
        self._canonical_url = canonical_url
        self._log: list[ServiceRequest] = []
        self._lock = threading.Lock()
        self._redirects: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1") -> None:
        if self._server is not None:
            return
        self._server = ThreadingHTTPServer((host, 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="pd-sync-file-service", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the file service is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- what tests look at and arrange -----------------------------------------------------

    def requests(self) -> list[ServiceRequest]:
        with self._lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._lock:
            self._log.clear()

    def redirect_next(self, location: str) -> None:
        """Answer the next upload with a 302 to ``location`` (a misbehaving file service)."""
        with self._lock:
            self._redirects.append(location)

    # -- one request -------------------------------------------------------------------------

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Response:
        with self._lock:
            self._log.append(ServiceRequest(method, target, headers, body))
            redirect = self._redirects.pop(0) if self._redirects else None
        if "authorization" in headers:
            return _refusal(401, "this service takes no Authorization header; use the token")
        split = urlsplit(target)
        if method != "POST" or split.path != "/files":
            return _refusal(404, "not found")
        claims = service_claims(parse_qs(split.query).get("token", [""])[0])
        if claims is None:
            return _refusal(401, "invalid upload token")
        try:
            params = parse_body(body, headers.get("content-type", ""))
        except ParamError:
            return _refusal(400, "unreadable form data")
        data = params.get("file")
        if not isinstance(data, bytes):
            return _refusal(400, "no file")
        if redirect is not None:
            return Response(302, b"", "text/plain", [("Location", redirect)])
        return self._capture(int(claims["attachment_id"]), data, claims.get("on_duplicate"))

    def _capture(self, attachment_id: int, data: bytes, on_duplicate: object) -> Response:
        with self._store.transaction(write=True) as conn:
            req = Request(
                "POST", "/api/v1/files/capture", {}, {}, self._api_host(), conn, False,
                canonical_url=self._canonical_url(),
            )  # fmt: skip
            row = fetch_one(conn, "SELECT * FROM attachments WHERE id = ?", (attachment_id,))
            if row is None or row["file_state"] != "deleted" or row["data"] is not None:
                return _refusal(400, "this upload token was used already")
            row = update(conn, "attachments", attachment_id, {"data": data, "size": len(data)})
            if self.mode == "redirect":
                query = {"uuid": file_uuid(attachment_id)}
                if isinstance(on_duplicate, str):
                    query["on_duplicate"] = on_duplicate
                location = f"{req.base}/api/v1/files/{attachment_id}/create_success"
                return Response(
                    302, b"", "text/plain", [("Location", f"{location}?{urlencode(query)}")]
                )
            stamp = now()
            row = update(
                conn,
                "attachments",
                attachment_id,
                {"file_state": "available", "workflow_state": "processed", "updated_at": stamp},
            )
            method = on_duplicate if isinstance(on_duplicate, str) else "overwrite"
            row = handle_duplicates(req, row, method)
            location = f"{req.base}/api/v1/files/{attachment_id}"
            body = {} if self.mode == "capture" else file_json(req, row)
            return Response(201, dump(body), headers=[("Location", location)])


def _refusal(status: int, message: str) -> Response:
    return Response(status, dump({"message": message}))


def _handler(service: FileService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "pd-sync-sandbox-file-service"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            response = service.answer(self.command, self.path, headers, body)
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            return  # requests() is the log

    return Handler
