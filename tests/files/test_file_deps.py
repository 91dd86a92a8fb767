"""Uploads run in the same dependency graph as every other write: a page or description that
shows a file waits for its upload, and nothing else does."""

from __future__ import annotations

from pathlib import Path

from pd_sync.apply.deps import dependency_graph
from pd_sync.curriculum import load_curriculum
from pd_sync.desired import CourseState, build_desired
from pd_sync.plan import CreateAssignment, CreateFile, CreatePage, make_plan
from tests.files.curricula import write_curriculum


def test_what_shows_a_file_waits_for_its_upload_and_nothing_else_does(tmp_path: Path) -> None:
    program = load_curriculum(write_curriculum(tmp_path / "c"))
    desired = build_desired(program, program.cohorts[0])
    writes = make_plan(desired, CourseState(course_id=1, time_zone=desired.time_zone)).writes
    waits = dependency_graph(writes)
    index = {getattr(a, "path", None) or a.name: i for i, a in enumerate(writes)}
    uploads = {i for i, a in enumerate(writes) if isinstance(a, CreateFile)}
    image, pdf = index["pages/images/diagram.png"], index["pages/files/plan.pdf"]
    overview = next(
        i for i, a in enumerate(writes) if isinstance(a, CreatePage) and a.key == "overview"
    )
    week = next(i for i, a in enumerate(writes) if isinstance(a, CreatePage) and a.key == "week1")
    plan = next(i for i, a in enumerate(writes) if isinstance(a, CreateAssignment))
    assert {image, pdf} <= waits[overview]
    assert pdf in waits[plan] and image not in waits[plan]
    assert not uploads & waits[week]
    # The two uploads wait only for the record's announcement, not for each other.
    assert waits[image] == waits[pdf] == frozenset({0})
