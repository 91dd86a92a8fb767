"""Transport and cross-cutting behaviour: auth, error bodies, params, keep-alive, the log."""

from __future__ import annotations

import json
import socket
import warnings

import canvasapi
import pytest
import requests
from canvasapi.exceptions import InvalidAccessToken, ResourceDoesNotExist

from pd_sync.sandbox import Sandbox

from .conftest import Http

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}


def test_course_json(sandbox: Sandbox, canvas: canvasapi.Canvas) -> None:
    course = canvas.get_course(1)
    assert (course.id, course.name, course.time_zone) == (1, "PD Sandbox Course", "America/Denver")
    assert str(course) == "PD Sandbox Course PD Sandbox Course (1)"
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_course(2)


def test_ensure_course_is_idempotent(sandbox: Sandbox, canvas: canvasapi.Canvas) -> None:
    sandbox.ensure_course(1, "PD Sandbox Course", "America/Denver")
    sandbox.ensure_course(7, "Other", "Europe/Paris")
    sandbox.ensure_course(7, "Other", "Europe/Paris")
    assert [c["id"] for c in sandbox.store.rows("courses")] == [1, 7]
    assert canvas.get_course(7).time_zone == "Europe/Paris"


def test_bad_token_is_401_with_www_authenticate(sandbox: Sandbox) -> None:
    response = requests.get(
        f"{sandbox.base_url}/api/v1/courses/1", headers={"Authorization": "Bearer nope"}, timeout=10
    )
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "Invalid access token."}]}
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        client = canvasapi.Canvas(sandbox.base_url, "nope")
    with pytest.raises(InvalidAccessToken):
        client.get_course(1)


def test_missing_credentials_shape(sandbox: Sandbox) -> None:
    response = requests.get(f"{sandbox.base_url}/api/v1/courses/1", timeout=10)
    assert response.status_code == 401
    assert response.json() == {
        "status": "unauthenticated",
        "errors": [{"message": "user authorization required"}],
    }
    assert "WWW-Authenticate" in response.headers


def test_added_tokens_work(sandbox: Sandbox) -> None:
    sandbox.add_token("second-token")
    response = requests.get(
        f"{sandbox.base_url}/api/v1/courses/1",
        headers={"Authorization": "Bearer second-token"},
        timeout=10,
    )
    assert response.status_code == 200
    hashes = {r.token_hash for r in sandbox.requests()}
    assert len(hashes) == 1 and "second-token" not in next(iter(hashes))


def test_unknown_routes_are_404_json(sandbox: Sandbox, http: Http) -> None:
    for method, path in [
        ("GET", "/api/v1/courses/1/quizzes"),
        ("PATCH", "/api/v1/courses/1/pages/x"),
        ("GET", "/api/v1/nothing"),
        ("GET", "/courses/1/files/x"),  # a page's address is its HTML view (page_view)
        ("GET", "/"),
    ]:
        response = http(method, path)
        assert response.status_code == 404, path
        assert response.json() == NOT_FOUND
        assert response.headers["Content-Type"].startswith("application/json")


def test_malformed_form_data_is_400_json(http: Http) -> None:
    for body in ["wiki_page[title]=%zz", "wiki_page=1&wiki_page[title]=x", "a=%FF%FE"]:
        response = http.post(
            "/api/v1/courses/1/pages",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["message"].startswith("Invalid request parameters")


def test_json_bodies_are_accepted_and_checked(sandbox: Sandbox, http: Http) -> None:
    created = http.post(
        "/api/v1/courses/1/assignments",
        json={
            "assignment": {
                "name": "J",
                "points_possible": 3,
                "published": True,
                "submission_types": ["online_url"],
            }
        },
    )
    assert created.status_code == 201
    assert (created.json()["points_possible"], created.json()["published"]) == (3.0, True)
    broken = http.post(
        "/api/v1/courses/1/assignments",
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert "errors" in broken.json()


def test_duplicate_scalar_params_keep_the_last(http: Http) -> None:
    response = http.get("/api/v1/courses/1/pages?per_page=2&per_page=7")
    assert "per_page=7>" in response.headers["Link"]


def test_internal_errors_are_500_json(sandbox: Sandbox, http: Http, course: object) -> None:
    http.post("/api/v1/courses/1/assignments", data={"assignment[name]": "A"})
    with sandbox.store.transaction(write=True) as conn:
        conn.execute("UPDATE assignments SET integration_data = 'not json'")
    response = http.get("/api/v1/courses/1/assignments")
    assert response.status_code == 500
    assert response.json()["errors"][0]["error_code"] == "internal_server_error"
    assert http.get("/api/v1/courses/1").status_code == 200  # and the sandbox lives on


def test_keep_alive_reuses_one_connection(sandbox: Sandbox) -> None:
    host, port = sandbox.base_url.removeprefix("http://").split(":")
    request = (
        f"GET /api/v1/courses/1 HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {sandbox.token}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        reader = conn.makefile("rb")
        for _ in range(3):
            conn.sendall(request)
            status = reader.readline()
            headers = {}
            while (line := reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.lower()] = value.strip()
            body = reader.read(int(headers["content-length"]))
            assert status.startswith(b"HTTP/1.1 200")
            assert json.loads(body)["id"] == 1


def test_request_log(sandbox: Sandbox, http: Http) -> None:
    sandbox.clear_requests()
    http.get("/api/v1/courses/1/pages", params={"sort": "title"})
    http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "T"})
    http.get("/_sandbox/requests")  # control traffic is not logged

    log = sandbox.requests()
    assert [(r.method, r.path, r.query, r.status) for r in log] == [
        ("GET", "/api/v1/courses/1/pages", "sort=title", 200),
        ("POST", "/api/v1/courses/1/pages", "", 200),
    ]
    assert all(r.duration >= 0 and r.token_hash and not r.lost for r in log)
    sandbox.clear_requests()
    assert sandbox.requests() == []


def test_latency_is_added(sandbox: Sandbox, http: Http) -> None:
    sandbox.latency = 0.2
    response = http.get("/api/v1/courses/1")
    assert response.elapsed.total_seconds() >= 0.2
    assert sandbox.requests()[-1].duration >= 0.2


def test_head_is_routed_like_get(http: Http) -> None:
    response = http("HEAD", "/api/v1/courses/1")
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) > 0 and response.content == b""


def test_unknown_time_zones_are_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        sandbox.ensure_course(3, "Nowhere", "Mars/Olympus_Mons")


def test_a_stopped_sandbox_stops_answering() -> None:
    sb = Sandbox(tokens=("t",))
    sb.start()
    session = requests.Session()
    url = f"{sb.base_url}/api/v1/courses"
    assert session.get(url, headers={"Authorization": "Bearer t"}, timeout=5).json() == []
    sb.stop()
    with pytest.raises(requests.ConnectionError):
        session.get(url, headers={"Authorization": "Bearer t"}, timeout=5)
    session.close()
