"""The in-flight bound and the graph scheduler, without Canvas."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pd_sync.apply.concurrency import InFlightLimit, run_graph
from pd_sync.canvas.throttle import (
    DEFAULT_WORKERS,
    HIGH_WATER_MARK,
    UP_FRONT_COST,
    allowed_in_flight,
)


def test_the_default_leaves_headroom_under_the_throttle_mark() -> None:
    assert DEFAULT_WORKERS * UP_FRONT_COST < HIGH_WATER_MARK
    assert DEFAULT_WORKERS >= 4


@given(
    st.integers(1, 16),
    st.floats(-200, 600),
    st.floats(-200, 600),
    st.integers(0, 16),
)
def test_the_bound_falls_as_remaining_falls(
    maximum: int, one: float, other: float, in_flight: int
) -> None:
    low, high = sorted((one, other))
    at_low = allowed_in_flight(maximum, low, in_flight)
    at_high = allowed_in_flight(maximum, high, in_flight)
    assert 1 <= at_low <= at_high <= maximum


def test_a_full_bucket_leaves_one_request_and_an_empty_one_the_maximum() -> None:
    assert allowed_in_flight(8, 0.0, 1) == 1
    assert allowed_in_flight(8, 600.0, 0) == 8
    assert allowed_in_flight(8, None, 5) == 8


def _run(
    waits: list[frozenset[int]], maximum: int, remaining: float | None = None
) -> tuple[list[int], list[int], InFlightLimit]:
    lock = threading.Lock()
    started: list[int] = []
    done_order: list[int] = []
    finished: set[int] = set()

    def run_one(index: int) -> int:
        with lock:
            # Every node it waits for has finished before it starts.
            assert waits[index] <= finished, (index, waits[index], finished)
            started.append(index)
        time.sleep(0.002)
        with lock:
            finished.add(index)
        return index * 10

    def on_done(index: int, value: int) -> None:
        assert value == index * 10
        done_order.append(index)

    limit = InFlightLimit(maximum, lambda: remaining)
    run_graph(waits, run_one, limit, on_done)
    return started, done_order, limit


def test_one_worker_runs_in_plan_order() -> None:
    waits = [frozenset(), frozenset(), frozenset({0}), frozenset(), frozenset({1, 2})]
    started, done, limit = _run(waits, 1)
    assert started == done == [0, 1, 2, 3, 4]
    assert limit.peak == 1


def test_independent_nodes_run_together_up_to_the_bound() -> None:
    waits = [frozenset() for _ in range(20)] + [frozenset(range(20))]
    started, _, limit = _run(waits, 4)
    assert sorted(started) == list(range(21)) and started[-1] == 20
    assert limit.peak == 4


def test_a_nearly_full_bucket_keeps_one_request_in_flight() -> None:
    waits = [frozenset() for _ in range(10)]
    _, done, limit = _run(waits, 8, remaining=20.0)
    assert sorted(done) == list(range(10))
    assert limit.peak == 1 and limit.low_water == 1


def test_zero_workers_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        InFlightLimit(0, lambda: None)


def test_the_tallest_ready_node_starts_first_when_there_is_room() -> None:
    lock = threading.Lock()
    started: list[int] = []

    def run_one(index: int) -> int:
        with lock:
            started.append(index)
        return index

    waits = [frozenset() for _ in range(4)]
    run_graph(waits, run_one, InFlightLimit(2, lambda: 20.0), lambda i, v: None, [1, 1, 9, 5])
    # The bucket allows one at a time, so the start order is the priority order.
    assert started == [2, 3, 0, 1]
    one = InFlightLimit(1, lambda: None)
    started.clear()
    run_graph(waits, run_one, one, lambda i, v: None, [1, 1, 9, 5])
    assert started == [0, 1, 2, 3]  # a limit of 1 keeps plan order


def test_a_stop_starts_nothing_more_and_lets_the_running_finish() -> None:
    stop = threading.Event()
    release = threading.Event()
    started: list[int] = []
    done: list[int] = []

    def run_one(index: int) -> int:
        started.append(index)
        if index == 1:
            stop.set()  # asked to stop while 0 and 1 are in flight
            release.set()
        release.wait(5)
        time.sleep(0.01)
        return index

    waits = [frozenset() for _ in range(6)]
    stopped = run_graph(
        waits, run_one, InFlightLimit(2, lambda: None), lambda i, _: done.append(i), stop=stop
    )
    assert stopped is True
    assert sorted(started) == sorted(done) == [0, 1]  # both finished; none of 2..5 began


def test_a_stop_after_the_last_start_is_not_a_stop() -> None:
    stop = threading.Event()

    def run_one(index: int) -> int:
        stop.set()
        return index

    done: list[int] = []
    stopped = run_graph(
        [frozenset()],
        run_one,
        InFlightLimit(1, lambda: None),
        lambda i, _: done.append(i),
        stop=stop,
    )
    assert stopped is False and done == [0]
