"""observe() reads Canvas's ``unpublishable`` flag into each assignment's state."""

from __future__ import annotations

from pd_sync.canvas import CanvasCourse
from pd_sync.curriculum import Program
from pd_sync.sandbox import Sandbox
from tests.sync.conftest import Sync


def test_an_assignment_with_submissions_is_observed_as_not_unpublishable(
    sandbox: Sandbox, program: Program, sync: Sync, course: CanvasCourse
) -> None:
    sync(program)
    first, *others = course.observe().assignments
    assert first.assignment_id is not None and first.unpublishable
    sandbox.add_submission(first.assignment_id)

    observed = {a.assignment_id: a for a in course.observe().assignments}

    assert not observed[first.assignment_id].unpublishable
    assert others and all(observed[a.assignment_id].unpublishable for a in others)
