"""Fixtures for the sync engine: the real curriculum, a connected course, and request counting."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pd_sync.apply import ApplyReport
from pd_sync.canvas import CanvasCourse, connect
from pd_sync.curriculum import Program, load_curriculum
from pd_sync.plan import PlanOptions
from pd_sync.sandbox import Sandbox
from pd_sync.sync import CoursePlan, apply_course, plan_course

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def curriculum(tmp_path: Path) -> Path:
    """A private copy of curriculum/ that a test may edit."""
    target = tmp_path / "curriculum"
    shutil.copytree(ROOT / "curriculum", target)
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return target


@pytest.fixture
def program(curriculum: Path) -> Program:
    return load_curriculum(curriculum)


@pytest.fixture
def course(sandbox: Sandbox, program: Program) -> CanvasCourse:
    cohort = program.cohorts[0]
    sandbox.ensure_course(cohort.course_id, cohort.name, cohort.time_zone)
    return connect(sandbox.base_url, sandbox.token, cohort.course_id)


Sync = Callable[..., tuple[CoursePlan, list[ApplyReport]]]


@pytest.fixture
def sync(course: CanvasCourse) -> Sync:
    """Plan and apply ``program``'s first cohort; returns the plan and the apply reports."""

    def run(program: Program, prune: bool = False) -> tuple[CoursePlan, list[ApplyReport]]:
        options = PlanOptions(prune=prune)
        planned = plan_course(program, program.cohorts[0], course, options)
        reports = apply_course(planned, course, options)
        assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]
        return planned, reports

    return run


def writes(sandbox: Sandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests() if r.method != "GET"]


def active(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [r for r in rows if r.get("workflow_state") not in ("deleted",)]
