"""Asked to stop mid-apply (``apply_course``'s ``stop``), the engine starts no more writes,
reports what it did, and the next apply converges."""

from __future__ import annotations

import threading

from pd_sync.apply import ActionResult
from pd_sync.canvas import CanvasCourse
from pd_sync.curriculum import Program
from pd_sync.sandbox import Sandbox
from pd_sync.sync import apply_course, plan_course
from tests.sync.conftest import writes


def test_a_stop_leaves_the_rest_for_the_next_apply(
    sandbox: Sandbox, program: Program, course: CanvasCourse
) -> None:
    cohort = program.cohorts[0]
    planned = plan_course(program, cohort, course)
    stop = threading.Event()
    seen: list[ActionResult] = []

    def on_result(result: ActionResult) -> None:
        seen.append(result)
        if len(seen) == 3:
            stop.set()

    reports = apply_course(planned, course, on_result=on_result, workers=1, stop=stop)
    assert len(reports) == 1  # no follow-up pass after a stop
    report = reports[0]
    assert report.stopped and report.planned == len(planned.plan.writes)
    assert [r.status for r in report.results] == ["done"] * 3
    assert len(writes(sandbox)) == 3

    again = plan_course(program, cohort, course)
    finished = apply_course(again, course)
    assert not finished[-1].stopped and all(r.ok for r in finished)
    assert not plan_course(program, cohort, course).plan.has_changes
