"""The Sandbox: a local Canvas for tests, benchmarks and `pd-sync apply --sandbox`."""

from __future__ import annotations

import shlex
import threading
from collections.abc import Callable, Iterable

from .app import App, LoggedRequest
from .file_service import FileService
from .server import SandboxServer
from .store import Store
from .submittables import add_submission
from .throttle import ThrottleConfig

DEFAULT_TOKEN = "sandbox-token"
CANVAS_VERSIONS = ("current", "old")


class Sandbox:
    """A Canvas-compatible HTTP server on 127.0.0.1, backed by SQLite.

    `db_path=None` keeps everything in memory; a file path is shared by every process that
    opens it. `manage_sis=False` gives teacher-token semantics (SIS fields dropped or refused).
    `canvas_version="old"` acts as an older Canvas release whose pages list ignores
    include[]=body (list items have no body field; GET of one page still has it).
    `file_service="created"` (or `"capture"`, `"redirect"`) acts as Instructure-hosted Canvas,
    whose uploads go to its file service on another host: a second server on another loopback
    port (`file_service.py`), whose log is `self.file_service.requests()`.
    """

    def __init__(
        self,
        db_path: str | None = None,
        manage_sis: bool = False,
        latency: float = 0.0,
        tokens: Iterable[str] = (DEFAULT_TOKEN,),
        port: int = 0,
        host: str = "127.0.0.1",
        canvas_version: str = "current",
        file_service: str | None = None,
    ) -> None:
        token_list = list(tokens)
        if not token_list:
            raise ValueError("a sandbox needs at least one token")
        self._token = token_list[0]
        self._address = (host, port)
        self.store = Store(db_path)
        self._app = App(self.store, token_list, manage_sis, latency)
        self.canvas_version = canvas_version
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self.file_service: FileService | None = None
        if file_service is not None:
            self.file_service = FileService(
                self.store,
                lambda: self.base_url.removeprefix("http://"),
                lambda: self._app.canonical_url,
                file_service,
            )

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = SandboxServer(self._address, self._app)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="pd-sync-sandbox", daemon=True
        )
        self._thread.start()
        if self.file_service is not None:
            self.file_service.start(self._address[0])
            self._app.file_service_url = self.file_service.url

    def stop(self) -> None:
        if self.file_service is not None:
            self.file_service.stop()
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        """Serve in the calling thread until KeyboardInterrupt."""
        self._server = SandboxServer(self._address, self._app)
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()
            self._server.close_connections()
            self._server = None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    # -- configuration ---------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self._token

    def add_token(self, token: str) -> None:
        self._app.add_token(token)

    @property
    def latency(self) -> float:
        return self._app.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._app.latency = float(seconds)

    @property
    def manage_sis(self) -> bool:
        return self._app.manage_sis

    @manage_sis.setter
    def manage_sis(self, allowed: bool) -> None:
        self._app.manage_sis = bool(allowed)

    @property
    def canvas_version(self) -> str:
        return self._app.canvas_version

    @canvas_version.setter
    def canvas_version(self, version: str) -> None:
        if version not in CANVAS_VERSIONS:
            raise ValueError(f"canvas_version must be one of {', '.join(CANVAS_VERSIONS)}")
        self._app.canvas_version = version

    def add_submission(
        self, assignment_id: int, submission_type: str = "online_text_entry"
    ) -> None:
        """Give an assignment a student submission (it can no longer be unpublished)."""
        with self.store.transaction(write=True) as conn:
            add_submission(conn, assignment_id, submission_type)

    @property
    def canonical_url(self) -> str | None:
        """The origin Canvas writes into Link headers and html_url (None: the request's Host)."""
        return self._app.canonical_url

    @canonical_url.setter
    def canonical_url(self, url: str | None) -> None:
        self._app.canonical_url = url.rstrip("/") if url else None

    def ensure_course(
        self, course_id: int, name: str = "Sandbox Course", time_zone: str = "America/Denver"
    ) -> None:
        self.store.ensure_course(course_id, name, time_zone)

    def reset(self) -> None:
        self._app.reset()
        if self.file_service is not None:
            self.file_service.clear_requests()

    # -- request log -----------------------------------------------------------------------

    def requests(self) -> list[LoggedRequest]:
        return self._app.requests()

    def clear_requests(self) -> None:
        self._app.clear_requests()

    # -- faults ----------------------------------------------------------------------------

    def fail_next(self, n: int, status: int = 500) -> None:
        self._app.faults.fail_next(n, status)

    def random_failures(self, rate: float, seed: int, status: int = 500) -> None:
        self._app.faults.random_failures(rate, seed, status)

    def lose_responses(self, rate: float, seed: int, mode: str = "drop") -> None:
        self._app.faults.lose_responses(rate, seed, mode)

    def lose_next_write(self, mode: str = "drop", skip: int = 0) -> None:
        self._app.faults.lose_next_write(mode, skip)

    def redirect_next(self, location: str, n: int = 1, status: int = 302) -> None:
        self._app.faults.redirect_next(location, n, status)

    def clear_faults(self) -> None:
        self._app.faults.clear()

    # -- throttle --------------------------------------------------------------------------

    def set_throttle(
        self,
        hwm: float = 600,
        maximum: float = 800,
        outflow: float = 10,
        up_front_cost: float = 50,
        request_cost: float | None = None,
    ) -> None:
        """Canvas's defaults unless changed; request_cost None = 0.05 per read, 0.25 per write."""
        self._app.throttle.configure(
            ThrottleConfig(
                float(hwm), float(maximum), float(outflow), float(up_front_cost), request_cost
            )
        )

    @property
    def throttle_enabled(self) -> bool:
        return self._app.throttle.enabled

    @throttle_enabled.setter
    def throttle_enabled(self, enabled: bool) -> None:
        self._app.throttle.enabled = bool(enabled)

    @property
    def throttled_count(self) -> int:
        return self._app.throttle.throttled_count

    def set_clock(self, clock: Callable[[], float]) -> None:
        """Replace the throttle's monotonic clock (tests drive the bucket's leak by hand)."""
        self._app.throttle.clock = clock


def serve_forever(
    port: int = 0,
    db_path: str | None = None,
    manage_sis: bool = False,
    latency: float = 0.0,
    tokens: Iterable[str] = (DEFAULT_TOKEN,),
    canvas_version: str = "current",
) -> None:
    Sandbox(
        db_path, manage_sis, latency, tokens, port, canvas_version=canvas_version
    ).serve_forever()


def run_foreground(
    port: int,
    db_path: str | None,
    manage_sis: bool,
    latency: float,
    token: str,
    announce: Callable[[str], None],
    canvas_version: str = "current",
    courses: Iterable[tuple[int, str, str]] = (),
) -> None:
    """`pd-sync sandbox serve`: make the courses (id, name, time zone), announce where to
    connect — ending with a line to paste into a shell — then serve until Ctrl-C."""
    sandbox = Sandbox(db_path, manage_sis, latency, (token,), port, canvas_version=canvas_version)
    for course_id, name, time_zone in courses:
        sandbox.ensure_course(course_id, name, time_zone)
    sandbox.start()
    url = sandbox.base_url
    announce(f"Sandbox Canvas listening on {url}")
    announce(f"API token: {sandbox.token}")
    announce(f"Database: {db_path or 'in memory (lost on exit)'}")
    for row in sandbox.store.rows("courses"):
        announce(f"Course {row['id']} {row['name']!r}: pages at {url}/courses/{row['id']}/pages/")
    announce("In another shell, paste this line, then run pd-sync plan or apply (Ctrl-C stops):")
    announce(
        f"export CANVAS_API_URL={shlex.quote(url)} CANVAS_API_TOKEN={shlex.quote(sandbox.token)}"
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
