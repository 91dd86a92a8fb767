"""Building canvasapi clients: a timeout on every request and the throttle-header hook.

canvasapi sets no timeout and hides response headers; ``connect`` fills both gaps and returns a
``CanvasCourse`` that can fork a client per thread (canvasapi is not thread-safe).
"""

from __future__ import annotations

import warnings
from typing import Any

import canvasapi
import requests
from requests.adapters import HTTPAdapter

from pd_sync.canvas.course import CanvasCourse
from pd_sync.canvas.throttle import ResponseSignals

DEFAULT_TIMEOUT = 30.0


class _TimeoutAdapter(HTTPAdapter):
    """Gives every request a timeout: canvasapi passes none, and requests' default is forever."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().send(request, **kwargs)


def connect(
    base_url: str, token: str, course_id: int, timeout: float = DEFAULT_TIMEOUT
) -> CanvasCourse:
    """A ``CanvasCourse`` on a fresh canvasapi client with a timeout and the header hook."""
    with warnings.catch_warnings():
        # The CLI refuses http:// except on loopback (the sandbox), so the warning says nothing.
        warnings.filterwarnings("ignore", "Canvas may respond unexpectedly", UserWarning)
        canvas = canvasapi.Canvas(base_url, token)
    signals = prepare_canvas(canvas, timeout)

    def new_client() -> canvasapi.Canvas:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Canvas may respond unexpectedly", UserWarning)
            twin = canvasapi.Canvas(base_url, token)
        prepare_canvas(twin, timeout, signals)
        return twin

    return CanvasCourse(canvas, course_id, base_url, signals, new_client)


def prepare_canvas(
    canvas: canvasapi.Canvas,
    timeout: float = DEFAULT_TIMEOUT,
    signals: ResponseSignals | None = None,
) -> ResponseSignals:
    """Install the timeout and the header hook on ``canvas``'s session; return the signals."""
    session: requests.Session = canvas._Canvas__requester._session
    adapter = _TimeoutAdapter(timeout)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    signals = signals or ResponseSignals()
    session.hooks["response"].append(signals.hook)
    return signals
