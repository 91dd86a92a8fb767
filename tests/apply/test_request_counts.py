"""Regression guard: exact request counts for fixed curricula (deterministic; no timing).

A change that adds a per-object GET, a redundant publish, or a second request per create shows
up here as a changed number. Counts come from the sandbox's request log.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from pd_sync.canvas import DEFAULT_WORKERS, connect
from pd_sync.curriculum import Program, load_curriculum
from pd_sync.desired import build_desired
from pd_sync.sandbox import Sandbox
from pd_sync.sync import apply_course, plan_course

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from large_curriculum import Size, write_curriculum  # noqa: E402

from tests.files.curricula import write_curriculum as write_files_curriculum  # noqa: E402


def _counts(sandbox: Sandbox) -> tuple[int, int]:
    log = sandbox.requests()
    reads = sum(1 for r in log if r.method == "GET")
    return reads, len(log) - reads


def _sync(sandbox: Sandbox, program: Program, workers: int = DEFAULT_WORKERS) -> tuple[int, int]:
    cohort = program.cohorts[0]
    sandbox.ensure_course(cohort.course_id, cohort.name, cohort.time_zone)
    course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
    sandbox.clear_requests()
    planned = plan_course(program, cohort, course)
    if planned.plan.has_changes:
        reports = apply_course(planned, course, workers=workers)
        assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]
    return _counts(sandbox)


def _edit_week1(root: Path) -> None:
    week = next(root.rglob("week1.md"))
    week.write_text(week.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    shutil.copytree(ROOT / "curriculum", tmp_path / "curriculum")
    write_curriculum(tmp_path / "large", Size(course_id=7))
    return tmp_path


@pytest.mark.parametrize(
    ("name", "first", "noop", "one_change"),
    [
        # curriculum/: 60 objects -> 61 writes (one per object + the module publish), and 2 for
        # the ownership record (its announcement before the creates, the ids after them); a
        # no-op writes no record. 7 reads to plan (the course itself, for the name the plan
        # shows, and its six lists, files included, all sent at once), 7 more for the look
        # after creating.
        ("curriculum", (14, 63), (7, 0), (7, 1)),
        # 4 modules, 200 pages, 40 assignments, 2 x 8 groups (539 objects and publishes, + 2 for
        # the record): the empty course reads in 7 requests; 200 pages and the record page
        # then take 3 requests of 100 (the record is read with the pages, never on its own).
        ("large", (16, 541), (9, 0), (9, 1)),
    ],
)
def test_request_counts(
    sandbox: Sandbox,
    copies: Path,
    name: str,
    first: tuple[int, int],
    noop: tuple[int, int],
    one_change: tuple[int, int],
) -> None:
    program = load_curriculum(copies / name)
    assert _sync(sandbox, program) == first
    assert _sync(sandbox, program) == noop
    _edit_week1(copies / name)
    assert _sync(sandbox, load_curriculum(copies / name)) == one_change


def test_concurrency_one_sends_the_same_requests_in_plan_order(
    sandbox: Sandbox, copies: Path
) -> None:
    program = load_curriculum(copies / "curriculum")
    serial = replace(program, cohorts=(replace(program.cohorts[0], course_id=2),))
    assert _sync(sandbox, serial, workers=1) == (14, 63)
    order = [f"{r.method} {r.path.split('/')[5]}" for r in sandbox.requests() if r.method != "GET"]
    # Plan order: the record's announcement, the assignment group, group sets and groups,
    # pages, assignments, the module and its items, the publish, then the record's ids.
    assert order[:2] == ["POST pages", "POST assignment_groups"]
    assert order[-2:] == ["PUT modules", "PUT pages"]
    kinds = [entry.split()[1] for entry in order[1:]]
    assert kinds.index("pages") < kinds.index("assignments") < kinds.index("modules")


def test_request_counts_on_a_canvas_whose_pages_list_has_no_bodies(
    sandbox: Sandbox, copies: Path
) -> None:
    sandbox.canvas_version = "old"
    program = load_curriculum(copies / "curriculum")
    pages = len(program.pages) + 1  # 17, and the ownership record's page
    # Older Canvas ignores include[]=body on the pages list, and the marker that proves a page
    # is pd-sync's is in its body: every read of a course that has pages adds one GET per page.
    # First sync: the empty course reads in 7 (the course and its six lists); the look after
    # creating reads 7 + one per page.
    assert _sync(sandbox, program) == (14 + pages, 63)
    assert _sync(sandbox, program) == (7 + pages, 0)
    _edit_week1(copies / "curriculum")
    assert _sync(sandbox, load_curriculum(copies / "curriculum")) == (7 + pages, 1)


def test_request_counts_when_a_published_module_holds_an_unpublished_page(
    sandbox: Sandbox, copies: Path
) -> None:
    module = copies / "curriculum" / "modules" / "mod1" / "module.yml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("key: mod1-week6\n", "key: mod1-week6\n    published: false\n"))
    program = load_curriculum(copies / "curriculum")
    headers = sum(
        1
        for i in build_desired(program, program.cohorts[0]).modules[0].items
        if i.kind == "SubHeader"
    )  # 8
    # Publishing the module must not cascade to the week 6 page, so it is sent with
    # skip_content_tags, and each SubHeader (created unpublished, and no longer published by the
    # cascade) takes one publish of its own: 61 + 8 writes. Nothing is ever published and then
    # unpublished again, so no follow-up pass is needed (7 + 7 reads, as for curriculum/); and
    # the ownership record's 2 writes.
    assert _sync(sandbox, program) == (14, 63 + headers)
    assert _sync(sandbox, program) == (7, 0)


def test_request_counts_with_an_image_and_a_pdf(sandbox: Sandbox, tmp_path: Path) -> None:
    """Files cost one read on every sync (the course's files list, with the other lists), and
    three requests per upload (Canvas's preflight, the bytes, the confirmation)."""
    root = write_files_curriculum(tmp_path / "files")
    program = load_curriculum(root)
    # 2 pages, 1 assignment, 1 group, 1 module, 4 items, the publish: 10 writes; 2 uploads of 2
    # writes each (the preflight and the bytes; the confirmation is a GET); 2 record writes.
    # Reads: 7 to plan, 2 upload confirmations, 7 for the look after creating.
    assert _sync(sandbox, program) == (16, 16)
    assert _sync(sandbox, program) == (7, 0)
    image = root / "pages" / "images" / "diagram.png"
    image.write_bytes(image.read_bytes() + b"changed")
    # One upload (2 writes + its confirmation) and the page that shows it; the record three: its
    # announcement of the upload (a new record page, and the delete of the one it supersedes),
    # so a run killed before recording the new id still proves it, and the id at the end.
    assert _sync(sandbox, load_curriculum(root)) == (8, 6)
