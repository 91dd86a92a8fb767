"""A state the planner has no rule for is a PlanError that says so, never an AssertionError."""

from __future__ import annotations

import pytest

from pd_sync.desired import CourseState, PageState
from pd_sync.errors import PdSyncError, PlanError
from pd_sync.plan import make_plan


def test_a_page_without_a_key_is_a_clear_plan_error_not_an_assertion() -> None:
    desired = CourseState(course_id=1, time_zone="UTC", pages=(PageState("A", "<p>a</p>", True),))
    with pytest.raises(PlanError) as raised:
        make_plan(desired, CourseState(course_id=1, time_zone="UTC"))
    assert isinstance(raised.value, PdSyncError)
    message = str(raised.value)
    assert "a curriculum page has no key" in message and "--debug" in message
    assert "nothing was sent to Canvas" in message
