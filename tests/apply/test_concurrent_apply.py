"""Concurrent apply against the sandbox: requests really overlap, the result is the same
course, and the in-flight bound comes down when Canvas reports the bucket filling."""

from __future__ import annotations

import random
from pathlib import Path

import canvasapi

from pd_sync.apply.runner import VANISHED, ActionResult, ApplyReport
from pd_sync.canvas import RetryPolicy, connect
from pd_sync.curriculum import is_reserved_title, load_curriculum
from pd_sync.plan import CreateModuleItem, MoveModuleItem, RecordOwnership
from pd_sync.sandbox import Sandbox
from pd_sync.sync import apply_course, plan_course

ROOT = Path(__file__).resolve().parents[2]
FAST = RetryPolicy(base_seconds=0.01, throttle_wait_seconds=0.05, jitter=random.Random(1))


def _apply(sandbox: Sandbox, workers: int) -> list[ApplyReport]:
    program = load_curriculum(ROOT / "curriculum")
    cohort = program.cohorts[0]
    sandbox.ensure_course(cohort.course_id, cohort.name, cohort.time_zone)
    course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
    planned = plan_course(program, cohort, course, policy=FAST)
    reports = apply_course(planned, course, policy=FAST, workers=workers)
    assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]
    # Whatever the interleaving, the course ends as the curriculum says.
    assert plan_course(program, cohort, course, policy=FAST).plan.writes == ()
    return reports


def test_writes_overlap_up_to_the_bound(sandbox: Sandbox) -> None:
    sandbox.latency = 0.02
    reports = _apply(sandbox, workers=6)
    assert reports[0].peak_in_flight == 6
    assert len(reports[0].results) == 63  # 61 objects and publishes + the record's 2 writes


def test_one_worker_never_overlaps(sandbox: Sandbox) -> None:
    sandbox.latency = 0.005
    reports = _apply(sandbox, workers=1)
    assert reports[0].peak_in_flight == 1


def test_the_bound_falls_when_the_bucket_fills(sandbox: Sandbox) -> None:
    # A bucket half Canvas's size: 8 reservations alone would pass its mark.
    sandbox.set_throttle(hwm=300, maximum=400, outflow=10, up_front_cost=50)
    sandbox.latency = 0.02
    reports = _apply(sandbox, workers=8)
    assert reports[0].lowest_limit < 8
    assert reports[0].peak_in_flight <= 8


def test_a_refused_write_names_the_permission_it_needs(sandbox: Sandbox) -> None:
    program = load_curriculum(ROOT / "curriculum")
    cohort = program.cohorts[0]
    course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
    planned = plan_course(program, cohort, course, policy=FAST)

    def refuse_after_the_record(result: ActionResult) -> None:
        if isinstance(result.action, RecordOwnership) and result.action.stage == "begin":
            sandbox.fail_next(1, 403)  # a 403 without "Rate Limit Exceeded": a permission refusal

    reports = apply_course(
        planned, course, policy=FAST, on_result=refuse_after_the_record, workers=1
    )
    failed = [f for f in reports[0].results if f.status == "failed"]
    assert [f.action.name for f in failed] == ["Professional Development"]
    # What needed the group was skipped, not sent.
    skipped = {f.action.name for f in reports[0].results if f.status == "skipped"}
    assert {"Networking Activity", "LinkedIn Rough Draft"} <= skipped
    assert '"Assignments and Quizzes - add" (manage_assignments_add)' in failed[0].detail
    assert failed[0].detail.startswith('Canvas refused to create assignment group "Profess')


def test_a_refused_record_write_stops_the_run_before_anything_is_created(
    sandbox: Sandbox,
) -> None:
    program = load_curriculum(ROOT / "curriculum")
    cohort = program.cohorts[0]
    course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
    planned = plan_course(program, cohort, course, policy=FAST)
    sandbox.fail_next(1, 403)  # the first write is the record's announcement
    sandbox.clear_requests()
    reports = apply_course(planned, course, policy=FAST, workers=1)
    [failed] = [r for r in reports[0].results if r.status == "failed"]
    assert isinstance(failed.action, RecordOwnership)
    assert '"Pages - create" (manage_wiki_create)' in failed.detail
    # Nothing pd-sync could not prove it made was created: one refused request, no other write.
    assert [r.method for r in sandbox.requests() if r.method != "GET"] == ["POST"]
    assert all(r.status == "skipped" for r in reports[0].results if r is not failed)


def test_a_move_whose_item_vanished_is_planned_again(sandbox: Sandbox) -> None:
    program = load_curriculum(ROOT / "curriculum")
    cohort = program.cohorts[0]
    course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
    apply_course(plan_course(program, cohort, course, policy=FAST), course, policy=FAST)
    [module] = course.observe(cohort.time_zone).modules
    last = max(module.items, key=lambda i: i.position or 0)
    assert module.module_id is not None and last.item_id is not None
    course.update_module_item(module.module_id, last.item_id, {"position": 1})  # by hand
    planned = plan_course(program, cohort, course, policy=FAST)
    moves = [a for a in planned.plan.writes if isinstance(a, MoveModuleItem)]
    assert moves
    course.delete_module_item(module.module_id, moves[0].item_id)  # gone before apply

    reports = apply_course(planned, course, policy=FAST, workers=1)

    gone = [r for r in reports[0].results if r.action == moves[0]]
    assert [r.detail for r in gone] == [VANISHED] and reports[0].vanished
    assert any(isinstance(r.action, CreateModuleItem) for r in reports[1].results)
    assert all(r.ok for r in reports)
    assert plan_course(program, cohort, course, policy=FAST).plan.writes == ()


def test_a_record_page_deleted_by_another_run_is_written_again_as_a_record(
    sandbox: Sandbox, canvas: canvasapi.Canvas
) -> None:
    program = load_curriculum(ROOT / "curriculum")
    cohort = program.cohorts[0]
    course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
    planned = plan_course(program, cohort, course, policy=FAST)

    def superseded_meanwhile(result: ActionResult) -> None:
        # A concurrent run merges the record pages it read into its own and deletes them.
        if isinstance(result.action, RecordOwnership) and result.action.stage == "begin":
            for page in canvas.get_course(cohort.course_id).get_pages():
                if is_reserved_title(page.title):
                    page.delete()

    reports = apply_course(planned, course, policy=FAST, on_result=superseded_meanwhile, workers=1)
    assert all(r.ok for r in reports)
    record = course.observe(cohort.time_zone).ownership
    made = {r.action.name for r in reports[0].results if type(r.action).__name__ == "CreatePage"}
    assert len(made) == len(program.pages)
    pages = [p for p in sandbox.store.rows("pages", 1) if p["workflow_state"] != "deleted"]
    ids = {int(p["id"]) for p in pages if p["title"] in made}
    assert {("page", i) for i in ids} <= record.ids
    # Objects without a marker are proven by the record alone: modules, groups and sets too.
    kinds = {kind for kind, _ in record.ids}
    assert {"module", "group set", "group", "assignment group", "module item"} <= kinds
    # Nothing to write, and no conflict: pd-sync still knows everything it made.
    assert plan_course(program, cohort, course, policy=FAST).plan.actions == ()
