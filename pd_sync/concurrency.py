"""How many requests apply keeps in flight, and the scheduler that runs a dependency graph.

Canvas throttles per token with a leaky bucket: every request in flight reserves
``UP_FRONT_COST`` units until it finishes, and requests are refused once the bucket passes the
``HIGH_WATER_MARK`` (canvas-lms ``request_throttle``: 50 and 600 by default). Twelve requests
in flight would hold the whole bucket on reservations alone; the default keeps a third of it
free for the cost requests really incur and for other clients using the same token.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Generic, TypeVar

UP_FRONT_COST = 50.0
HIGH_WATER_MARK = 600.0
HEADROOM = 200.0
DEFAULT_WORKERS = int((HIGH_WATER_MARK - HEADROOM) // UP_FRONT_COST)  # 8
# Below this many units left, apply stops adding requests beyond what is already in flight.
KEEP_FREE = 100.0

_R = TypeVar("_R")
_V = TypeVar("_V")


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


class InFlightLimit:
    """The adaptive bound; ``low_water`` records the smallest bound it ever chose."""

    def __init__(self, maximum: int, remaining: Callable[[], float | None]) -> None:
        if maximum < 1:
            raise ValueError("concurrency must be at least 1")
        self.maximum = maximum
        self._remaining = remaining
        self.low_water = maximum
        self.peak = 0

    def room(self, in_flight: int) -> int:
        bound = allowed_in_flight(self.maximum, self._remaining(), in_flight)
        self.low_water = min(self.low_water, bound)
        return bound


def run_graph(
    waits: Sequence[frozenset[int]],
    run_one: Callable[[int], _R],
    limit: InFlightLimit,
    on_done: Callable[[int, _R], None],
    priority: Sequence[int] | None = None,
) -> None:
    """Run every node once its ``waits`` are done, at most ``limit`` at a time.

    Of the ready nodes, the highest ``priority`` starts first, then the lowest index; without
    priorities, or with a limit of 1, the order is exactly the index order. ``run_one`` runs on
    worker threads and must not raise; ``on_done`` runs on the calling thread.
    """
    rank = priority if priority is not None and limit.maximum > 1 else [0] * len(waits)
    dependents: list[list[int]] = [[] for _ in waits]
    pending = [len(before) for before in waits]
    for index, before in enumerate(waits):
        for earlier in before:
            dependents[earlier].append(index)
    ready = [(-rank[index], index) for index, count in enumerate(pending) if count == 0]
    heapq.heapify(ready)
    in_flight: dict[Future[_R], int] = {}
    with ThreadPoolExecutor(limit.maximum, thread_name_prefix="pd-sync-apply") as pool:
        while ready or in_flight:
            while ready and len(in_flight) < limit.room(len(in_flight)):
                _, index = heapq.heappop(ready)
                in_flight[pool.submit(run_one, index)] = index
            limit.peak = max(limit.peak, len(in_flight))
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=in_flight.__getitem__):
                index = in_flight.pop(future)
                on_done(index, future.result())
                for later in dependents[index]:
                    pending[later] -= 1
                    if pending[later] == 0:
                        heapq.heappush(ready, (-rank[later], later))


class PerThread(Generic[_V]):
    """One value per worker thread, made on first use (canvasapi clients are not thread-safe)."""

    def __init__(self, make: Callable[[], _V]) -> None:
        self._make = make
        self._local = threading.local()
        self._lock = threading.Lock()
        self.made: list[_V] = []

    def get(self) -> _V:
        value: _V | None = getattr(self._local, "value", None)
        if value is None:
            value = self._make()
            self._local.value = value
            with self._lock:
                self.made.append(value)
        return value
