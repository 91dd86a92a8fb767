"""Canvas's per-token leaky-bucket throttle (canvas-api.md §2, middleware RequestThrottle).

Every request reserves `up_front_cost` before it runs and settles to its real cost afterwards,
so parallel requests from one token hold reservations at the same time: a burst can be refused
even when each request on its own is cheap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

THROTTLED_BODY = b"403 Forbidden (Rate Limit Exceeded)\n"

# Canvas charges CPU + DB seconds; a simple sandbox request costs a few hundredths of a unit on
# real Canvas, so sequential clients never fill the bucket while parallel bursts still can.
DEFAULT_READ_COST = 0.05
DEFAULT_WRITE_COST = 0.25


@dataclass
class ThrottleConfig:
    hwm: float = 600.0
    maximum: float = 800.0
    outflow: float = 10.0
    up_front_cost: float = 50.0
    request_cost: float | None = None

    def cost_for(self, method: str) -> float:
        if self.request_cost is not None:
            return self.request_cost
        return DEFAULT_READ_COST if method in ("GET", "HEAD") else DEFAULT_WRITE_COST


@dataclass
class _Bucket:
    count: float
    stamp: float


@dataclass(frozen=True)
class Reservation:
    key: str
    up_front: float


class Throttle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.config = ThrottleConfig()
        self.enabled = True
        self.throttled_count = 0
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def configure(self, config: ThrottleConfig) -> None:
        with self._lock:
            self.config = config

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
            self.throttled_count = 0

    def _leak(self, key: str) -> _Bucket:
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(0.0, now)
        bucket.count = max(0.0, bucket.count - self.config.outflow * (now - bucket.stamp))
        bucket.stamp = now
        return bucket

    def reserve(self, key: str) -> Reservation | None:
        """Take the pre-flight reservation; None means the request must be refused."""
        with self._lock:
            bucket = self._leak(key)
            up_front = self.config.up_front_cost
            bucket.count = min(self.config.maximum, bucket.count + up_front)
            if bucket.count >= self.config.hwm:
                # A refused request costs next to nothing, so its reservation is handed back.
                bucket.count = max(0.0, bucket.count - up_front)
                self.throttled_count += 1
                return None
            return Reservation(key, up_front)

    def settle(self, reservation: Reservation, method: str) -> tuple[float, float]:
        """Replace the reservation by the real cost; returns (cost, remaining)."""
        with self._lock:
            bucket = self._leak(reservation.key)
            cost = self.config.cost_for(method)
            bucket.count = min(
                self.config.maximum, max(0.0, bucket.count + cost - reservation.up_front)
            )
            return cost, self.config.hwm - bucket.count

    def remaining(self, key: str) -> float:
        with self._lock:
            return self.config.hwm - self._leak(key).count
