"""HTTP/1.1 transport: keep-alive connections, exact Content-Length, one write per response.

canvasapi keeps one requests.Session per client, so keep-alive and TCP_NODELAY matter: without
them every request would pay a connection set-up or a delayed-ACK stall.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .app import App
from .control import handle_control
from .files import download, is_download
from .page_view import is_page_view, page_view
from .wire import Response, dump

MAX_BODY = 16 * 1024 * 1024


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, conn: socket.socket, alive: bool) -> None:
        with self._connections_lock:
            if alive:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def close_connections(self) -> None:
        """Cut idle keep-alive connections so a stopped sandbox really stops answering."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pd-sync-sandbox"
    # An idle keep-alive connection is dropped after this many seconds.
    timeout = 120
    server: SandboxServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, alive=True)

    def finish(self) -> None:
        self.server.track(self.connection, alive=False)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: object) -> None:
        # The request log (Sandbox.requests()) replaces stderr access logging.
        return

    def _read_body(self) -> bytes | None:
        if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            return None
        if length < 0 or length > MAX_BODY:
            return None
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                return None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(8)

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            self.close_connection = True
            message = {"errors": [{"message": "unreadable or oversized request body"}]}
            self._send(Response(400, dump(message)))
            return
        split = urlsplit(self.path)
        path = split.path
        response: Response | None
        if path.startswith("/api/v1/") or path == "/api/v1":
            headers = {name.lower(): value for name, value in self.headers.items()}
            response = self.server.app.handle(self.command, self.path, headers, body)
        elif path.startswith("/_sandbox/"):
            response = handle_control(self.server.app, self.command, path, split.query, body)
        elif is_page_view(path):
            response = page_view(self.server.app, self.command, path)
        elif is_download(path) and self.command in ("GET", "HEAD"):
            response = download(self.server.app.store, path, split.query)
        else:
            not_found = {"errors": [{"message": "The specified resource does not exist."}]}
            response = Response(404, dump(not_found))
        if response is None:
            # Simulated lost response: the work is done, the client never hears back.
            self.close_connection = True
            return
        self._send(response)

    def _send(self, response: Response) -> None:
        lines = [
            f"HTTP/1.1 {response.status} {_reason(response.status)}",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(response.body)}",
        ]
        lines += [f"{name}: {value}" for name, value in response.headers]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        self.wfile.write(head if self.command == "HEAD" else head + response.body)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_DELETE = _serve
    do_PATCH = _serve
    do_HEAD = _serve
