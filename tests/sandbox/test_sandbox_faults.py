"""Fault injection: failures change nothing; lost responses hide writes that did happen."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from canvasapi.exceptions import CanvasException

from pd_sync.sandbox import Sandbox

from .conftest import Http


def test_fail_next_answers_errors_without_doing_anything(sandbox: Sandbox, http: Http) -> None:
    sandbox.fail_next(2, status=503)

    first = http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "A"})
    second = http.get("/api/v1/courses/1")
    third = http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "A"})

    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.json() == {
        "errors": [{"message": "An error occurred.", "error_code": "service_unavailable"}]
    }
    assert [r["title"] for r in sandbox.store.rows("pages", 1)] == ["A"]
    assert [r.status for r in sandbox.requests()] == [503, 503, 200]


def test_fail_next_reaches_canvasapi_as_a_canvas_exception(sandbox: Sandbox, course: Any) -> None:
    sandbox.fail_next(1)
    with pytest.raises(CanvasException, match="status code 500"):
        course.create_page(wiki_page={"title": "A"})
    assert sandbox.store.rows("pages", 1) == []


def _statuses(sandbox: Sandbox, http: Http, seed: int) -> list[int]:
    sandbox.random_failures(0.3, seed=seed, status=502)
    return [http.get("/api/v1/courses/1").status_code for _ in range(40)]


def test_random_failures_are_seeded(sandbox: Sandbox, http: Http) -> None:
    first = _statuses(sandbox, http, seed=7)
    again = _statuses(sandbox, http, seed=7)
    other = _statuses(sandbox, http, seed=8)

    assert first == again
    assert first != other
    assert set(first) == {200, 502}
    sandbox.clear_faults()
    assert {http.get("/api/v1/courses/1").status_code for _ in range(10)} == {200}


def test_a_dropped_response_still_applies_the_write(sandbox: Sandbox, http: Http) -> None:
    sandbox.lose_next_write()
    with pytest.raises(requests.ConnectionError):
        http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "Lost"})

    assert [r["title"] for r in sandbox.store.rows("pages", 1)] == ["Lost"]
    logged = sandbox.requests()[-1]
    assert (logged.method, logged.status, logged.lost) == ("POST", 0, True)
    # The next request on a fresh connection works normally.
    assert http.get("/api/v1/courses/1/pages").json()[0]["title"] == "Lost"


def test_a_502_after_the_write_with_canvasapi(sandbox: Sandbox, course: Any) -> None:
    sandbox.lose_next_write(mode="502")
    with pytest.raises(CanvasException, match="status code 502"):
        course.create_assignment({"name": "Twice?"})
    assert [r["name"] for r in sandbox.store.rows("assignments", 1)] == ["Twice?"]
    assert sandbox.requests()[-1].lost is True


def test_reads_are_never_lost(sandbox: Sandbox, http: Http) -> None:
    sandbox.lose_responses(1.0, seed=1)
    assert http.get("/api/v1/courses/1").status_code == 200
    with pytest.raises(requests.ConnectionError):
        http.put("/api/v1/courses/1/pages/x", data={"wiki_page[title]": "X"})
    assert len(sandbox.store.rows("pages", 1)) == 1


def test_lost_responses_are_seeded(sandbox: Sandbox) -> None:
    def run(seed: int) -> list[str]:
        sandbox.reset()
        sandbox.ensure_course(1)
        sandbox.lose_responses(0.5, seed=seed, mode="502")
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {sandbox.token}"
            url = f"{sandbox.base_url}/api/v1/courses/1/pages"
            outcome = [
                str(session.post(url, data={"wiki_page[title]": f"P{n}"}, timeout=10).status_code)
                for n in range(12)
            ]
        assert len(sandbox.store.rows("pages", 1)) == 12  # every write was applied
        return outcome

    assert run(3) == run(3)
    assert set(run(3)) == {"200", "502"}


def test_bad_fault_settings_are_rejected(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError):
        sandbox.fail_next(1, status=200)
    with pytest.raises(ValueError):
        sandbox.random_failures(1.5, seed=1)
    with pytest.raises(ValueError):
        sandbox.lose_responses(0.5, seed=1, mode="vanish")
