"""Files end to end: the real sync through canvasapi to the sandbox, checked in its stored rows
and request log (issue 16's must-shows)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pd_sync.canvas import CanvasCourse, Retrier, RetryPolicy, connect
from pd_sync.curriculum import load_curriculum
from pd_sync.plan import Conflict, CreateFile, Notice, PlanOptions, UpdateFile, object_type_of
from pd_sync.sandbox import Sandbox
from pd_sync.sync import CoursePlan, apply_course, plan_course
from tests.files.curricula import PNG, write_curriculum


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_curriculum(tmp_path / "curriculum")


@pytest.fixture
def course(sandbox: Sandbox) -> CanvasCourse:
    return connect(sandbox.base_url, sandbox.token, 1)


def _sync(course: CanvasCourse, root: Path, prune: bool = False) -> CoursePlan:
    program = load_curriculum(root)
    options = PlanOptions(prune=prune)
    planned = plan_course(program, program.cohorts[0], course, options)
    reports = apply_course(planned, course, options)
    assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]
    return planned


def _live_files(sandbox: Sandbox) -> dict[str, dict[str, Any]]:
    folders = {r["id"]: r["full_name"] for r in sandbox.store.rows("folders", 1)}
    return {
        f"{folders[r['folder_id']]}/{r['display_name']}": r
        for r in sandbox.store.rows("attachments", 1)
        if r["file_state"] == "available"
    }


def _body(sandbox: Sandbox, title: str) -> str:
    [page] = [
        p
        for p in sandbox.store.rows("pages", 1)
        if p["title"] == title and p["workflow_state"] != "deleted"
    ]
    return str(page["body"])


def _writes(sandbox: Sandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests() if r.method != "GET"]


NO_WAIT = RetryPolicy(sleep=lambda s: None)
IMAGE = "course files/pd-sync/pages/images/diagram.png"
PDF = "course files/pd-sync/pages/files/plan.pdf"


def test_a_page_with_an_image_and_a_pdf_makes_two_owned_files_referenced_by_id(
    sandbox: Sandbox, course: CanvasCourse, root: Path
) -> None:
    _sync(course, root)
    files = _live_files(sandbox)
    assert sorted(files) == [PDF, IMAGE]
    assert files[IMAGE]["data"] == PNG
    image, pdf = files[IMAGE]["id"], files[PDF]["id"]
    body = _body(sandbox, "Overview")
    assert f'<img src="/courses/1/files/{image}/preview" alt="The diagram">' in body
    assert f'<a href="/courses/1/files/{pdf}/download">the plan</a>' in body
    assert "pd-sync-file" not in body
    [assignment] = sandbox.store.rows("assignments", 1)
    assert f'href="/courses/1/files/{pdf}/download"' in str(assignment["description"])
    # Each file is uploaded once, through Canvas's three steps.
    assert _writes(sandbox).count("POST /api/v1/courses/1/files") == 2
    assert _writes(sandbox).count("POST /api/v1/files_api") == 2


def test_a_resync_sends_no_write_and_one_extra_read(
    sandbox: Sandbox, course: CanvasCourse, root: Path
) -> None:
    _sync(course, root)
    sandbox.clear_requests()
    planned = _sync(course, root)
    assert not planned.plan.has_changes
    assert _writes(sandbox) == []
    gets = [r.path for r in sandbox.requests()]
    # The course and its five lists, as before files, and the files list: one read more.
    assert len(gets) == 7
    assert gets.count("/api/v1/courses/1/files") == 1


def test_a_changed_image_is_uploaded_once_and_leaves_no_second_copy(
    sandbox: Sandbox, course: CanvasCourse, root: Path
) -> None:
    _sync(course, root)
    old = _live_files(sandbox)[IMAGE]["id"]
    (root / "pages" / "images" / "diagram.png").write_bytes(PNG + b"v2")
    sandbox.clear_requests()
    planned = _sync(course, root)
    assert [type(a) for a in planned.plan.writes if a.object_type == "file"] == [UpdateFile]
    assert _writes(sandbox).count("POST /api/v1/courses/1/files") == 1
    files = _live_files(sandbox)
    assert sorted(files) == [PDF, IMAGE]
    new = files[IMAGE]["id"]
    assert new != old and files[IMAGE]["data"] == PNG + b"v2"
    stored = {r["id"]: r for r in sandbox.store.rows("attachments", 1)}
    assert stored[old]["file_state"] == "deleted"
    body = _body(sandbox, "Overview")
    assert f"/courses/1/files/{new}/preview" in body and f"/files/{old}/" not in body
    sandbox.clear_requests()
    assert not _sync(course, root).plan.has_changes
    assert _writes(sandbox) == []


def test_a_removed_file_is_deleted_only_with_prune(
    sandbox: Sandbox, course: CanvasCourse, root: Path
) -> None:
    _sync(course, root)
    overview = root / "pages" / "overview.md"
    overview.write_text("# Overview\n\nDownload [the plan](files/plan.pdf).\n", "utf-8")
    (root / "pages" / "images" / "diagram.png").unlink()
    kept = _sync(course, root)
    [notice] = [a for a in kept.plan.actions if object_type_of(a) == "file"]
    assert isinstance(notice, Notice) and "--prune" in notice.reason
    assert IMAGE in _live_files(sandbox)
    image_id = _live_files(sandbox)[IMAGE]["id"]
    assert f"files/{image_id}" not in _body(sandbox, "Overview")
    sandbox.clear_requests()
    _sync(course, root, prune=True)
    assert _writes(sandbox) == [f"DELETE /api/v1/files/{image_id}"]
    assert sorted(_live_files(sandbox)) == [PDF]


def test_hand_uploaded_files_are_never_touched(
    sandbox: Sandbox, canvas: Any, course: CanvasCourse, root: Path, tmp_path: Path
) -> None:
    _sync(course, root)
    by_hand = canvas.get_course(1)
    for name, folder in (("diagram.png", "handouts"), ("notes.pdf", "pd-sync/pages/images")):
        local = tmp_path / name
        local.write_bytes(b"made by hand")
        ok, _ = by_hand.upload(str(local), parent_folder_path=folder)
        assert ok
    hand_rows = {
        r["id"]: dict(r)
        for r in sandbox.store.rows("attachments", 1)
        if r["data"] == b"made by hand"
    }
    # A curriculum file that would land on a hand-made one is a conflict, not an overwrite.
    overview = root / "pages" / "overview.md"
    overview.write_text(overview.read_text("utf-8") + "\n![notes](images/notes.pdf)\n", "utf-8")
    (root / "pages" / "images" / "notes.pdf").write_bytes(b"curriculum notes")
    (root / "pages" / "images" / "diagram.png").write_bytes(PNG + b"v2")
    planned = _sync(course, root, prune=True)
    conflicts = [a for a in planned.plan.actions if isinstance(a, Conflict)]
    assert [(c.kind, c.object_name) for c in conflicts] == [("file", "pages/images/notes.pdf")]
    assert not any(
        isinstance(a, CreateFile) and a.path.endswith("notes.pdf") for a in planned.plan.actions
    )
    after = {r["id"]: dict(r) for r in sandbox.store.rows("attachments", 1)}
    assert {i: after[i] for i in hand_rows} == hand_rows
    # The reference to the file in conflict is left out rather than guessed.
    assert '<p><img alt="notes"></p>' in _body(sandbox, "Overview")


@pytest.mark.parametrize(("skip", "mode"), [(0, "drop"), (1, "drop"), (1, "502")])
def test_a_lost_upload_response_is_sent_again_and_leaves_one_copy(
    sandbox: Sandbox, course: CanvasCourse, skip: int, mode: str
) -> None:
    """Canvas stored the preflight (skip 0) or the bytes (skip 1) but its answer never came:
    the retry policy sends the whole upload again, and one live copy is left."""
    sandbox.lose_next_write(mode, skip=skip)
    made = Retrier(NO_WAIT, course.rate_limit_remaining).call(
        lambda: course.upload_file("images/x.png", PNG)
    )
    files = _live_files(sandbox)
    assert list(files) == ["course files/pd-sync/images/x.png"]
    assert files["course files/pd-sync/images/x.png"]["id"] == made.file_id
    assert [r.lost for r in sandbox.requests() if r.method == "POST"].count(True) == 1
