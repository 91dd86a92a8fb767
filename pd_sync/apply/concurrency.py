"""The scheduler that runs a dependency graph of writes, within an adaptive in-flight bound.

The bound follows Canvas's throttle (``pd_sync.canvas.throttle``): it falls as Canvas reports
less room in the bucket, and never rises above what apply was asked for.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Generic, TypeVar

from pd_sync.canvas import allowed_in_flight

_R = TypeVar("_R")
_V = TypeVar("_V")


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
    stop: threading.Event | None = None,
) -> bool:
    """Run every node once its ``waits`` are done, at most ``limit`` at a time.

    Of the ready nodes, the highest ``priority`` starts first, then the lowest index; without
    priorities, or with a limit of 1, the order is exactly the index order. ``run_one`` runs on
    worker threads and must not raise; ``on_done`` runs on the calling thread.

    Once ``stop`` is set no node starts; those in flight finish (and reach ``on_done``), then it
    returns. Returns whether it stopped before every node had run.
    """
    stop = stop or threading.Event()
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
        while in_flight or (ready and not stop.is_set()):
            while ready and not stop.is_set() and len(in_flight) < limit.room(len(in_flight)):
                _, index = heapq.heappop(ready)
                in_flight[pool.submit(run_one, index)] = index
            limit.peak = max(limit.peak, len(in_flight))
            if not in_flight and stop.is_set():
                break  # stopped with nothing running
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=in_flight.__getitem__):
                index = in_flight.pop(future)
                on_done(index, future.result())
                for later in dependents[index]:
                    pending[later] -= 1
                    if pending[later] == 0:
                        heapq.heappush(ready, (-rank[later], later))
    return stop.is_set() and bool(ready or any(pending))


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
