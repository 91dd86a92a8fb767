"""Stage 3, observe (and the writes apply sends): the only importer of canvasapi and requests.

Canvas objects become ``desired``'s plain ``*State`` records in the function that fetched them;
failures are classified once and retried by one policy. Never imports plan, apply, preview or cli.
"""

from pd_sync.canvas.client import DEFAULT_TIMEOUT, connect
from pd_sync.canvas.course import CanvasCourse
from pd_sync.canvas.port import CanvasPort
from pd_sync.canvas.retry import Retrier, RetryPolicy
from pd_sync.canvas.throttle import DEFAULT_WORKERS, allowed_in_flight

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "CanvasCourse",
    "CanvasPort",
    "Retrier",
    "RetryPolicy",
    "allowed_in_flight",
    "connect",
]
