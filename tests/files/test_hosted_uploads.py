"""Uploads to a file service on another origin, as Instructure-hosted Canvas answers the preflight
(canvas-lms lib/inst_fs.rb): the bytes go there once per preflight and never with the token; a
redirect from it is followed only back to Canvas; any other request off the origin is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pd_sync.canvas import CanvasCourse, connect
from pd_sync.canvas.origin import upload_origin
from pd_sync.curriculum import load_curriculum
from pd_sync.errors import CanvasOriginError
from pd_sync.sandbox import Sandbox
from pd_sync.sandbox.file_service import FileService
from pd_sync.sync import apply_course, plan_course
from tests.cli.recording_server import recording_server
from tests.files.curricula import PNG, write_curriculum

TOKEN = "hosted-canvas-secret-token-1234"


@pytest.fixture(params=["created", "capture", "redirect"])
def hosted(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A sandbox whose uploads go to its file service: 201 + the file, 201 + ``{}`` and the
    file at its Location, or a 302 to Canvas's confirmation."""
    sandbox = Sandbox(tokens=[TOKEN], file_service=request.param)
    sandbox.start()
    sandbox.ensure_course(1, "Hosted", "America/Denver")
    yield sandbox
    sandbox.stop()


def _service(sandbox: Sandbox) -> FileService:
    assert sandbox.file_service is not None
    return sandbox.file_service


def test_a_sync_uploads_to_the_file_service_without_the_token_and_converges(
    hosted: Sandbox, tmp_path: Path
) -> None:
    program = load_curriculum(write_curriculum(tmp_path / "curriculum"))
    course = connect(hosted.base_url, hosted.token, 1)
    reports = apply_course(plan_course(program, program.cohorts[0], course), course)
    assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]

    service = _service(hosted)
    received = service.requests()
    assert service.url.rsplit(":", 1)[1] != hosted.base_url.rsplit(":", 1)[1]  # another origin
    assert len(received) == len(program.files)
    for seen in received:
        assert (seen.method, seen.target.split("?", 1)[0]) == ("POST", "/files")
        assert "authorization" not in seen.headers
        everything = seen.target + repr(seen.headers)
        assert TOKEN not in everything and TOKEN.encode() not in seen.body
    # The same-origin upload path of Canvas's own storage was never used.
    assert not [r for r in hosted.requests() if r.path == "/api/v1/files_api"]

    live = {
        r["display_name"]: r
        for r in hosted.store.rows("attachments", 1)
        if r["file_state"] == "available"
    }
    wanted = {f.path.rsplit("/", 1)[-1]: f.data for f in program.files}
    assert {name: bytes(row["data"]) for name, row in live.items()} == wanted
    bodies = " ".join(str(p["body"]) for p in hosted.store.rows("pages", 1))
    bodies += " ".join(str(a["description"]) for a in hosted.store.rows("assignments", 1))
    shown = {int(i) for i in re.findall(r"/courses/1/files/(\d+)/(?:preview|download)", bodies)}
    assert shown == {row["id"] for row in live.values()}

    service.clear_requests()
    hosted.clear_requests()
    again = plan_course(program, program.cohorts[0], course)
    assert not again.plan.has_changes
    assert service.requests() == []
    assert {r.method for r in hosted.requests()} == {"GET"}


def test_a_redirect_from_the_file_service_to_a_third_host_is_not_followed(
    hosted: Sandbox,
) -> None:
    course = connect(hosted.base_url, hosted.token, 1)
    with recording_server() as elsewhere:
        _service(hosted).redirect_next(f"{elsewhere.url}/api/v1/files/1/create_success")
        with pytest.raises(CanvasOriginError, match=f"redirected the upload to {elsewhere.url}"):
            course.upload_file("pages/files/logo.png", PNG)
        assert elsewhere.seen == []
    assert not [r for r in hosted.store.rows("attachments", 1) if r["file_state"] == "available"]


def test_only_the_one_upload_its_preflight_named_may_leave_the_canvas_origin(
    hosted: Sandbox,
) -> None:
    course = connect(hosted.base_url, hosted.token, 1)
    requester = course._course._requester  # the real client's requester, as canvasapi uses it
    with recording_server() as elsewhere:
        answer = requester.request("POST", "courses/1/files", name="a.png", size=len(PNG)).json()
        upload_url = answer["upload_url"]
        assert upload_url.startswith(_service(hosted).url + "/files?token=")
        # An unrelated request to another host, right after the preflight: still refused.
        with pytest.raises(CanvasOriginError, match="refused to send a request"):
            requester.request("GET", _url=f"{elsewhere.url}/api/v1/courses")
        # Not the upload either: a GET to the upload URL, or the POST with the token.
        with pytest.raises(CanvasOriginError):
            requester.request("GET", _url=upload_url, use_auth=False)
        with pytest.raises(CanvasOriginError, match="Authorization header"):
            requester.request("POST", _url=upload_url, file=("a.png", PNG))
        # The grant is used up by that refused try: even a correct POST is refused now.
        with pytest.raises(CanvasOriginError):
            requester.request("POST", _url=upload_url, use_auth=False, file=("a.png", PNG))
        assert elsewhere.seen == []
    assert _service(hosted).requests() == []


def test_an_upload_url_over_plain_http_off_loopback_or_with_a_user_name_is_never_allowed() -> None:
    assert upload_origin("https://inst-fs-iad-prod.inscloudgate.net/files?token=x") is not None
    assert upload_origin("http://127.0.0.1:8123/files?token=x") is not None
    for url in (
        "http://inst-fs.example.net/files?token=x",
        "https://user:pw@inst-fs.example.net/files",
        "https://inst-fs.example.net\\@127.0.0.1/files",
        "ftp://inst-fs.example.net/files",
    ):
        assert upload_origin(url) is None, url


def test_the_file_service_refuses_a_request_that_carries_a_token(hosted: Sandbox) -> None:
    import requests  # the service itself, spoken to directly: what a leaking client would send

    course: CanvasCourse = connect(hosted.base_url, hosted.token, 1)
    answer = course._course._requester.request("POST", "courses/1/files", name="b.png").json()
    sent = requests.post(
        answer["upload_url"],
        data=answer["upload_params"],
        files={"file": ("b.png", PNG)},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert sent.status_code == 401
    assert not [r for r in hosted.store.rows("attachments", 1) if r["data"] is not None]
