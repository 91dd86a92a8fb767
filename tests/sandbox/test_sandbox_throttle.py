"""The leaky-bucket throttle: the algorithm with a fake clock, and bursts over real HTTP."""

from __future__ import annotations

import threading
from typing import Any

import canvasapi
import pytest
import requests
from canvasapi.exceptions import Forbidden

from pd_sync.sandbox import Sandbox
from pd_sync.sandbox.throttle import Throttle, ThrottleConfig

from .conftest import Http


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_reservations_add_up_and_refusals_hand_theirs_back() -> None:
    clock = FakeClock()
    throttle = Throttle(clock)
    throttle.configure(ThrottleConfig(hwm=120, up_front_cost=50, request_cost=1.0))

    first, second = throttle.reserve("t"), throttle.reserve("t")
    assert first is not None and second is not None
    assert throttle.reserve("t") is None  # 150 >= 120 while two requests are in flight
    assert throttle.throttled_count == 1
    assert throttle.remaining("t") == 20.0

    assert throttle.settle(first, "GET") == (1.0, 69.0)
    assert throttle.settle(second, "GET") == (1.0, 118.0)


def test_the_bucket_leaks_at_outflow() -> None:
    clock = FakeClock()
    throttle = Throttle(clock)
    throttle.configure(
        ThrottleConfig(hwm=100, maximum=150, outflow=10, up_front_cost=50, request_cost=80)
    )
    reservation = throttle.reserve("t")
    assert reservation is not None
    assert throttle.settle(reservation, "PUT") == (80.0, 20.0)
    assert throttle.reserve("t") is None  # 80 + 50 >= 100
    clock.now += 3  # leaks 30 units
    assert throttle.remaining("t") == 50.0
    assert throttle.reserve("t") is None  # 50 + 50 is still at the high-water mark
    clock.now += 1
    assert throttle.reserve("t") is not None


def test_remaining_can_go_negative_down_to_the_maximum() -> None:
    throttle = Throttle(FakeClock())
    throttle.configure(ThrottleConfig(hwm=100, maximum=300, up_front_cost=50, request_cost=500))
    reservation = throttle.reserve("t")
    assert reservation is not None
    assert throttle.settle(reservation, "POST") == (500.0, -200.0)


def test_default_costs_differ_for_reads_and_writes() -> None:
    config = ThrottleConfig()
    assert (config.hwm, config.maximum, config.outflow, config.up_front_cost) == (600, 800, 10, 50)
    assert 0 < config.cost_for("GET") < config.cost_for("POST") < 1


def test_headers_on_every_api_response(sandbox: Sandbox, http: Http) -> None:
    sandbox.set_clock(FakeClock())
    first = http.get("/api/v1/courses/1")
    second = http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "T"})
    assert (first.headers["X-Request-Cost"], first.headers["X-Rate-Limit-Remaining"]) == (
        "0.05",
        "599.95",
    )
    assert (second.headers["X-Request-Cost"], second.headers["X-Rate-Limit-Remaining"]) == (
        "0.25",
        "599.7",
    )


def _burst(sandbox: Sandbox, n: int) -> list[requests.Response]:
    barrier = threading.Barrier(n)
    results: list[requests.Response] = []
    lock = threading.Lock()

    def one() -> None:
        with requests.Session() as session:
            barrier.wait()
            response = session.get(
                f"{sandbox.base_url}/api/v1/courses/1",
                headers={"Authorization": f"Bearer {sandbox.token}"},
                timeout=10,
            )
        with lock:
            results.append(response)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_parallel_burst_against_a_tight_bucket_is_refused(sandbox: Sandbox) -> None:
    sandbox.set_throttle(hwm=120)  # room for two in-flight reservations of 50
    sandbox.latency = 0.3

    results = _burst(sandbox, 6)

    refused = [r for r in results if r.status_code == 403]
    assert 1 <= len(refused) <= 4 and len(refused) + sum(r.ok for r in results) == 6
    for response in refused:
        assert response.text == "403 Forbidden (Rate Limit Exceeded)\n"
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert response.headers["X-Rate-Limit-Remaining"] == "0.0"
        assert "X-Request-Cost" not in response.headers
    assert sandbox.throttled_count == len(refused)
    assert sorted(r.status for r in sandbox.requests()).count(403) == len(refused)


def test_canvasapi_sees_the_refusal_as_forbidden(
    sandbox: Sandbox, canvas: canvasapi.Canvas
) -> None:
    clock = FakeClock()
    sandbox.set_clock(clock)
    sandbox.set_throttle(hwm=100, up_front_cost=50, request_cost=60)
    canvas.get_course(1)
    with pytest.raises(Forbidden) as err:
        canvas.get_course(1)
    assert "Rate Limit Exceeded" in str(err.value)
    clock.now += 10  # 100 units leak away
    assert canvas.get_course(1).id == 1


def test_each_token_has_its_own_bucket(sandbox: Sandbox) -> None:
    sandbox.set_clock(FakeClock())
    sandbox.set_throttle(hwm=100, up_front_cost=50, request_cost=60)
    sandbox.add_token("other")

    def get(token: str) -> int:
        url = f"{sandbox.base_url}/api/v1/courses/1"
        return requests.get(
            url, headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).status_code

    assert [get(sandbox.token), get(sandbox.token), get("other")] == [200, 403, 200]


def test_sequential_clients_are_not_throttled_by_default(sandbox: Sandbox, course: Any) -> None:
    for n in range(60):
        course.create_page(wiki_page={"title": f"P{n}"})
    assert len(list(course.get_pages())) == 60
    assert sandbox.throttled_count == 0


def test_throttle_can_be_disabled(sandbox: Sandbox, http: Http) -> None:
    sandbox.throttle_enabled = False
    sandbox.set_throttle(hwm=1)
    response = http.get("/api/v1/courses/1")
    assert response.status_code == 200
    assert "X-Rate-Limit-Remaining" not in response.headers


def test_the_throttle_runs_before_authentication(sandbox: Sandbox) -> None:
    sandbox.set_clock(FakeClock())
    sandbox.set_throttle(hwm=40)
    response = requests.get(
        f"{sandbox.base_url}/api/v1/courses/1", headers={"Authorization": "Bearer bad"}, timeout=10
    )
    assert response.status_code == 403
