"""Stage 3, observe (and the writes apply sends): the only importer of canvasapi and requests.

Canvas objects become ``desired``'s plain ``*State`` records in the function that fetched them;
failures are classified once and retried by one policy. Never imports plan, apply, preview or cli.
"""

from pd_sync.canvas.client import DEFAULT_TIMEOUT, connect
from pd_sync.canvas.course import CanvasCourse
from pd_sync.canvas.origin import CanvasOrigin, parse_canvas_url
from pd_sync.canvas.port import CanvasPort
from pd_sync.canvas.retry import Retrier, RetryNotice, RetryPolicy
from pd_sync.canvas.throttle import DEFAULT_WORKERS, allowed_in_flight
from pd_sync.canvas.token import check_token

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "CanvasCourse",
    "CanvasOrigin",
    "CanvasPort",
    "Retrier",
    "RetryNotice",
    "RetryPolicy",
    "allowed_in_flight",
    "check_token",
    "connect",
    "parse_canvas_url",
]
