"""The /_sandbox/ controls, a database shared across processes, and the foreground server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import requests

from pd_sync.sandbox import Sandbox

from .conftest import Http

REPO = Path(__file__).resolve().parents[2]


def _control(sandbox: Sandbox, method: str, path: str, **kwargs: object) -> requests.Response:
    return requests.request(method, f"{sandbox.base_url}/_sandbox/{path}", timeout=10, **kwargs)  # type: ignore[arg-type]


def test_reset_requests_and_state(sandbox: Sandbox, http: Http) -> None:
    http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "T"})

    logged = _control(sandbox, "GET", "requests").json()
    assert [(r["method"], r["path"], r["status"]) for r in logged] == [
        ("POST", "/api/v1/courses/1/pages", 200)
    ]
    state = _control(sandbox, "GET", "state/pages", params={"course_id": 1}).json()
    assert [(p["title"], p["workflow_state"]) for p in state] == [("T", "unpublished")]
    assert _control(sandbox, "GET", "state/nope").status_code == 400

    assert _control(sandbox, "POST", "reset").json() == {"ok": True}
    assert sandbox.store.rows("pages") == [] and sandbox.requests() == []
    assert _control(sandbox, "DELETE", "requests").json() == {"ok": True}


def test_courses_tokens_and_config(sandbox: Sandbox) -> None:
    _control(sandbox, "POST", "courses", json={"id": 5, "name": "Cohort 5", "time_zone": "UTC"})
    _control(sandbox, "POST", "tokens", json={"token": "remote"})
    _control(sandbox, "POST", "config", json={"latency": 0.0, "manage_sis": True})

    response = requests.get(
        f"{sandbox.base_url}/api/v1/courses/5",
        headers={"Authorization": "Bearer remote"},
        timeout=10,
    )
    assert response.json()["name"] == "Cohort 5"
    assert sandbox.manage_sis is True


def test_faults_over_http(sandbox: Sandbox, http: Http) -> None:
    assert _control(sandbox, "POST", "faults", json={"kind": "fail_next", "n": 1, "status": 504}).ok
    assert http.get("/api/v1/courses/1").status_code == 504
    _control(sandbox, "POST", "faults", json={"kind": "lose_next_write", "mode": "502"})
    assert http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "T"}).status_code == 502
    _control(sandbox, "POST", "faults", json={"kind": "random_failures", "rate": 1.0, "seed": 1})
    assert http.get("/api/v1/courses/1").status_code == 500
    _control(sandbox, "POST", "faults", json={"kind": "clear"})
    assert http.get("/api/v1/courses/1").status_code == 200
    bad = _control(sandbox, "POST", "faults", json={"kind": "meteor"})
    assert bad.status_code == 400 and "meteor" in bad.json()["errors"][0]["message"]
    assert _control(sandbox, "POST", "faults", data="{oops").status_code == 400


def test_throttle_over_http(sandbox: Sandbox, http: Http) -> None:
    state = _control(sandbox, "POST", "throttle", json={"hwm": 40, "enabled": True}).json()
    assert (state["hwm"], state["up_front_cost"], state["enabled"]) == (40.0, 50, True)
    assert http.get("/api/v1/courses/1").status_code == 403
    assert _control(sandbox, "GET", "throttle").json()["throttled_count"] == 1
    _control(sandbox, "POST", "throttle", json={"enabled": False})
    assert http.get("/api/v1/courses/1").status_code == 200


def test_unknown_control_is_404(sandbox: Sandbox) -> None:
    assert _control(sandbox, "GET", "nothing").status_code == 404


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_a_second_process_shares_the_database_file(tmp_path: Path) -> None:
    db = str(tmp_path / "canvas.sqlite")
    first = Sandbox(db_path=db)
    first.start()
    try:
        first.ensure_course(1, "Shared", "America/Denver")
        headers = {"Authorization": f"Bearer {first.token}"}
        pages = f"{first.base_url}/api/v1/courses/1/pages"
        requests.post(pages, data={"wiki_page[title]": "From First"}, headers=headers, timeout=10)

        child = _python(
            """
            import sys, requests
            from pd_sync.sandbox import Sandbox
            with Sandbox(db_path=sys.argv[1]) as second:
                url = second.base_url + "/api/v1/courses/1/pages"
                auth = {"Authorization": "Bearer " + second.token}
                seen = [p["title"] for p in requests.get(url, headers=auth, timeout=10).json()]
                assert seen == ["From First"], seen
                form = {"wiki_page[title]": "From Second"}
                requests.post(url, data=form, headers=auth, timeout=10)
            print("ok")
            """,
            db,
        )
        assert child.returncode == 0, child.stderr
        assert child.stdout.strip() == "ok"

        titles = [p["title"] for p in requests.get(pages, headers=headers, timeout=10).json()]
        assert titles == ["From First", "From Second"]
        assert [r["id"] for r in first.store.rows("pages", 1)] == [1, 2]
    finally:
        first.stop()
        first.store.close()


def test_run_foreground_announces_and_stops_on_interrupt() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = textwrap.dedent(
        """
        from pd_sync.sandbox import run_foreground
        run_foreground(0, None, False, 0.0, "fg-token", lambda line: print(line, flush=True))
        print("stopped", flush=True)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        listening = proc.stdout.readline().strip()
        token_line = proc.stdout.readline().strip()
        base_url = listening.rsplit(" ", 1)[1]
        assert base_url.startswith("http://127.0.0.1:")
        assert token_line == "API token: fg-token"
        response = requests.get(
            f"{base_url}/api/v1/courses", headers={"Authorization": "Bearer fg-token"}, timeout=10
        )
        assert (response.status_code, response.json()) == (200, [])
        proc.send_signal(signal.SIGINT)
        remaining, _ = proc.communicate(timeout=20)
        assert "stopped" in remaining
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
