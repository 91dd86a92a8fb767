"""Canvas's throttle, as a client sees it: the bucket's constants, the headers each response
carries, and how many requests may be in flight given what Canvas last said.

Canvas throttles per token with a leaky bucket: every request in flight reserves
``UP_FRONT_COST`` units until it finishes, and requests are refused once the bucket passes the
``HIGH_WATER_MARK`` (canvas-lms ``request_throttle``: 50 and 600 by default). Twelve requests
in flight would hold the whole bucket on reservations alone; the default keeps a third of it
free for the cost requests really incur and for other clients using the same token.
"""

from __future__ import annotations

import math
import threading

import requests

UP_FRONT_COST = 50.0
HIGH_WATER_MARK = 600.0
HEADROOM = 200.0
DEFAULT_WORKERS = int((HIGH_WATER_MARK - HEADROOM) // UP_FRONT_COST)  # 8
# Below this many units left, apply stops adding requests beyond what is already in flight.
KEEP_FREE = 100.0


def allowed_in_flight(maximum: int, remaining: float | None, in_flight: int) -> int:
    """How many requests may be in flight now, given Canvas's last ``X-Rate-Limit-Remaining``.

    ``remaining`` was measured with about ``in_flight`` other reservations held; adding those
    back estimates the room an idle token would have. The result falls as Canvas reports less
    room, never below 1, never above ``maximum``.
    """
    if remaining is None:
        return maximum
    room = remaining + UP_FRONT_COST * max(0, in_flight - 1) - KEEP_FREE
    return max(1, min(maximum, math.floor(room / UP_FRONT_COST)))


class ResponseSignals:
    """What the last response said about throttling; filled by a requests response hook."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rate_limit_remaining: float | None = None
        self.retry_after: float | None = None
        self.requests = 0
        self.throttled = 0

    def hook(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        with self._lock:
            self.requests += 1
            remaining = response.headers.get("X-Rate-Limit-Remaining")
            self.rate_limit_remaining = _float_or_none(remaining)
            self.retry_after = _float_or_none(response.headers.get("Retry-After"))
            if response.status_code in (403, 429) and (
                response.status_code == 429 or "Rate Limit Exceeded" in response.text
            ):
                self.throttled += 1


def _float_or_none(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
