"""Building canvasapi clients: a timeout on every request, the origin rule, the throttle hook.

canvasapi sets no timeout, hides response headers and sends its ``Authorization`` header to any
URL it is handed; ``connect`` fills those gaps and returns a ``CanvasCourse`` that can fork a
client per thread (canvasapi is not thread-safe).

One request may leave the Canvas origin: the bytes of a file upload, when the preflight
(``POST /api/v1/courses/:course_id/files``) answers an ``upload_url`` on another host, as
Instructure-hosted Canvas does (its file service, inst-fs: ``InstFS.upload_preflight_json`` in
canvas-lms lib/inst_fs.rb answers ``<app_host>/files?token=…``). doc/api/file_uploads.md: "The
access token is not sent with this request", so the adapter lets exactly that POST through once,
and only without an ``Authorization`` header; what the file service answers may redirect only
back to the Canvas origin (the confirmation, Step 3).
"""

from __future__ import annotations

import re
import threading
import warnings
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import canvasapi
import requests
from requests.adapters import HTTPAdapter

from pd_sync.canvas.course import CanvasCourse
from pd_sync.canvas.origin import CanvasOrigin, parse_canvas_url, upload_origin
from pd_sync.canvas.throttle import ResponseSignals
from pd_sync.canvas.token import check_token
from pd_sync.errors import CanvasOriginError

DEFAULT_TIMEOUT = 30.0
# The upload preflight (FilesController#create_pending via api_attachment_preflight).
_PREFLIGHT_PATH = re.compile(r"/api/v1/courses/[^/]+/files/?")
# Upload URLs granted and not used yet; one per preflight, and never many (a preflight whose
# upload never followed, after a failure, should not keep a host open for long).
_GRANTS_KEPT = 4


class _CanvasAdapter(HTTPAdapter):
    """Every request the client sends passes here, redirect hops included, so this is where
    the token is kept to one origin; it also gives each request a timeout (canvasapi passes
    none, and requests' default is forever)."""

    def __init__(self, timeout: float, origin: CanvasOrigin) -> None:
        super().__init__()
        self._timeout = timeout
        self._origin = origin
        self._grants: deque[str] = deque(maxlen=_GRANTS_KEPT)
        self._grants_lock = threading.Lock()
        # Where the last upload's file can be read (a 201's Location), for ``upload_file``.
        self.created_location: str | None = None

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = request.url or ""
        foreign = self._origin.foreign_label(url)
        upload = foreign is not None and self._take_upload_grant(request)
        if foreign is not None and not upload:
            raise CanvasOriginError(
                f"refused to send a request to {foreign}: pd-sync sends the token only to "
                f"{self._origin.url}"
            )
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        if self._origin.scheme == "http" or urlsplit(url).scheme == "http":
            # Plain http is allowed for loopback only; an HTTP_PROXY from the environment
            # would carry the token across the network in clear text (and cannot reach our
            # loopback anyway).
            kwargs["proxies"] = {}
        response = super().send(request, **kwargs)
        self._refuse_pointers_elsewhere(response)
        if upload:
            self._note_created(response)
        else:
            self._grant_upload(request, response)
        return response

    def _note_created(self, response: requests.Response) -> None:
        """Keep the ``Location`` of a file service's 201 Created when it is on the Canvas
        origin: doc/api/file_uploads.md, Step 3, says the file's JSON "can be retrieved with a
        GET from the provided Location", and canvas-lms's ``FilesController#api_capture`` (which
        inst-fs relays) renders ``{}`` with it in some releases, so the body may not hold it."""
        location = response.headers.get("Location")
        if response.status_code == 201 and location is not None:
            target = urljoin(response.url, location)
            if self._origin.admits(target):
                self.created_location = target

    def _grant_upload(self, request: requests.PreparedRequest, response: requests.Response) -> None:
        """After a preflight (``POST /api/v1/courses/:course_id/files``) whose ``upload_url`` is
        on another origin, allow one POST to exactly that URL (as requests prepares it)."""
        path = urlsplit(request.url or "").path
        if request.method != "POST" or not _PREFLIGHT_PATH.fullmatch(path):
            return
        if response.status_code != 200:
            return
        try:
            answer = response.json()
        except ValueError:
            return
        target = answer.get("upload_url") if isinstance(answer, dict) else None
        if not isinstance(target, str) or self._origin.admits(target):
            return  # the same origin needs no exception (Canvas storing files itself)
        if upload_origin(target) is None:
            return  # not https (or loopback http), or ambiguous: refused when canvasapi posts
        prepared = requests.PreparedRequest()
        prepared.prepare_url(target, None)
        with self._grants_lock:
            self._grants.append(prepared.url or "")

    def _take_upload_grant(self, request: requests.PreparedRequest) -> bool:
        """Whether ``request`` is the one upload its preflight allowed (used up if so)."""
        url = request.url or ""
        if request.method != "POST":
            return False
        with self._grants_lock:
            if url not in self._grants:
                return False
            self._grants.remove(url)
        if "Authorization" in request.headers:
            # canvasapi posts the bytes with use_auth=False; a header here would hand the
            # token to the file service's host.
            raise CanvasOriginError(
                "refused to send the upload to the file service with an Authorization header: "
                f"pd-sync sends the token only to {self._origin.url}"
            )
        return True

    def _refuse_pointers_elsewhere(self, response: requests.Response) -> None:
        """Stop before requests follows a redirect, or canvasapi a next-page link, off-origin.

        This holds for the file service's answer to an upload too: its redirect (to Canvas's
        ``GET /api/v1/files/:id/create_success``) is followed only onto the Canvas origin.

        requests would follow a redirect with the request's headers (it drops Authorization on
        a change of host, judged by ``urlsplit``, which a backslash fools); canvasapi would
        crash on a foreign next link, or re-root one that quotes our base URL in its query.
        """
        origin = self._origin
        location = response.headers.get("Location") if response.is_redirect else None
        if location is not None:
            target = urljoin(response.url, location)
            foreign = origin.foreign_label(target)
            if foreign is not None:
                _release(response)
                source = origin.foreign_label(response.url or "")
                if source is not None:  # the file service of an upload
                    raise CanvasOriginError(
                        f"the file service at {source} redirected the upload to {foreign}; "
                        f"pd-sync follows it only back to Canvas at {origin.url}, so it did not"
                    )
                raise CanvasOriginError(
                    f"Canvas at {origin.url} redirected to {foreign}; pd-sync sends the token "
                    f"only to {origin.url}, so it did not follow (if Canvas has moved there, "
                    "pass that address as --url)"
                )
        next_url = response.links.get("next", {}).get("url")
        if next_url is not None:
            foreign = origin.foreign_label(urljoin(response.url, next_url))
            if foreign is not None:
                _release(response)
                raise CanvasOriginError(
                    f"Canvas at {origin.url} gave a next-page link on {foreign}; pd-sync sends "
                    f"the token only to {origin.url}, so it stopped (if that is your Canvas's "
                    "own address, pass it as --url)"
                )


def _release(response: requests.Response) -> None:
    """Read the refused answer and give the connection back to the pool: requests reads the
    body only after ``send`` returns, and a socket closed with it unread resets the server."""
    _ = response.content
    response.close()


def connect(
    base_url: str | CanvasOrigin, token: str, course_id: int, timeout: float = DEFAULT_TIMEOUT
) -> CanvasCourse:
    """A ``CanvasCourse`` on a fresh canvasapi client with a timeout, the origin rule and the
    header hook. A ``str`` URL is parsed here (``parse_canvas_url``); the CLI passes the origin
    it parsed, so the address checked is the address connected to."""
    origin = base_url if isinstance(base_url, CanvasOrigin) else parse_canvas_url(base_url)
    token = check_token(token)
    canvas = _new_canvas(origin, token)
    signals = prepare_canvas(canvas, origin, timeout)

    def new_client() -> canvasapi.Canvas:
        twin = _new_canvas(origin, token)
        prepare_canvas(twin, origin, timeout, signals)
        return twin

    return CanvasCourse(canvas, course_id, origin.url, signals, new_client)


def _new_canvas(origin: CanvasOrigin, token: str) -> canvasapi.Canvas:
    with warnings.catch_warnings():
        # parse_canvas_url refuses http:// except on loopback (the sandbox): nothing to warn of.
        warnings.filterwarnings("ignore", "Canvas may respond unexpectedly", UserWarning)
        return canvasapi.Canvas(origin.url, token)


def prepare_canvas(
    canvas: canvasapi.Canvas,
    origin: CanvasOrigin,
    timeout: float = DEFAULT_TIMEOUT,
    signals: ResponseSignals | None = None,
) -> ResponseSignals:
    """Install the adapter and the header hook on ``canvas``'s session; return the signals."""
    session: requests.Session = canvas._Canvas__requester._session
    adapter = _CanvasAdapter(timeout, origin)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    signals = signals or ResponseSignals()
    session.hooks["response"].append(signals.hook)
    return signals
