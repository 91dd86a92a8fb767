"""A second HTTP server on 127.0.0.1 that records what reaches it: the place a leaked token would
land when Canvas redirects, links or proxies pd-sync somewhere other than the configured origin."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Seen:
    method: str
    target: str
    authorization: str | None


@dataclass
class RecordingServer:
    url: str
    seen: list[Seen] = field(default_factory=list)

    def received(self, token: str) -> bool:
        """Whether any request carried ``token`` in its Authorization header."""
        return any(token in (s.authorization or "") for s in self.seen)


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    """Answers every request with an empty JSON list (what a Canvas list would say)."""
    record = RecordingServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            record.seen.append(Seen(self.command, self.path, self.headers.get("Authorization")))
            body = b"[]"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="recording-server", daemon=True)
    thread.start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
