"""Two applies against one course at once leave no duplicates: each run converges.

Canvas offers no lock, so pd-sync converges instead of refusing: Canvas keeps group-set names
unique (the loser adopts the winner's set), and after a run that created objects it looks once
more and deletes second copies of its own objects (same marker key, or a same-name module that
holds only pd-sync's items), keeping the first.
"""

from __future__ import annotations

import threading

import pytest

from pd_sync.apply import ApplyReport
from pd_sync.canvas import connect
from pd_sync.curriculum import Program, load_curriculum
from pd_sync.sandbox import Sandbox
from pd_sync.sync import apply_course, plan_course
from tests.reliability.test_faults import CURRICULUM, NO_WAIT, _assert_converged


@pytest.fixture(scope="module")
def program() -> Program:
    return load_curriculum(CURRICULUM)


@pytest.mark.parametrize("latency", [0.0, 0.003, 0.01])
def test_two_concurrent_applies_leave_no_duplicates(
    sandbox: Sandbox, program: Program, latency: float
) -> None:
    cohort = program.cohorts[0]
    sandbox.ensure_course(cohort.course_id, cohort.name, cohort.time_zone)
    sandbox.latency = latency
    start = threading.Barrier(2)
    reports: list[list[ApplyReport]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
            planned = plan_course(program, cohort, course, policy=NO_WAIT)
            start.wait(timeout=30)
            # Two runs share one token: 2 x 4 requests in flight x 50 units stays under the
            # 600-unit throttle mark (README, "Concurrency"); NO_WAIT cannot wait out a refusal.
            reports.append(apply_course(planned, course, policy=NO_WAIT, workers=4))
        except BaseException as error:  # surfaced below, with the thread's failure
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(reports) == 2
    sandbox.latency = 0.0
    _assert_converged(sandbox, program)
    # Both runs wrote; neither reports a failure the other caused, in any pass.
    every = [report for run_reports in reports for report in run_reports]
    assert all(report.ok for report in every), [
        (f.action.name, f.detail) for r in every for f in r.failed
    ]
