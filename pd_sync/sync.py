"""The flow in one place: load'd program + cohort + Canvas → plan → (apply).

``plan_course`` is what ``plan``, ``apply --dry-run`` and ``apply`` share; ``apply_course``
executes the plan it is given, then runs one follow-up pass only when Canvas chose a slug the
planner could not predict (links to that page are then rewritten).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pd_sync.actions import Plan
from pd_sync.apply import ActionResult, ApplyReport, CanvasPort, apply_plan
from pd_sync.desired import build_desired
from pd_sync.model import CohortSpec, Program
from pd_sync.plan import NO_PRUNE, PlanOptions, make_plan
from pd_sync.retry import Retrier, RetryPolicy
from pd_sync.state import CourseState


@dataclass(frozen=True)
class CoursePlan:
    """A plan with the observed state it was made from (apply needs both)."""

    plan: Plan
    observed: CourseState
    desired: CourseState


def observe(port: CanvasPort, time_zone: str, policy: RetryPolicy | None = None) -> CourseState:
    """Read the course under the retry policy (the GETs are safe to repeat)."""
    retrier = Retrier(policy or RetryPolicy(), port.rate_limit_remaining)
    return retrier.call(lambda: port.observe(time_zone))


def plan_course(
    program: Program,
    cohort: CohortSpec,
    port: CanvasPort,
    options: PlanOptions = NO_PRUNE,
    policy: RetryPolicy | None = None,
) -> CoursePlan:
    """Observe the course (retrying transient failures) and plan; sends only GETs."""
    desired = build_desired(program, cohort)
    observed = observe(port, cohort.time_zone, policy)
    return CoursePlan(make_plan(desired, observed, options), observed, desired)


def apply_course(
    planned: CoursePlan,
    port: CanvasPort,
    options: PlanOptions = NO_PRUNE,
    policy: RetryPolicy | None = None,
    on_result: Callable[[ActionResult], None] | None = None,
) -> list[ApplyReport]:
    """Apply ``planned``; if a slug differed from the prediction, plan once more and apply."""
    report = apply_plan(planned.plan, port, planned.observed, policy, on_result)
    reports = [report]
    if report.ok and report.slugs_differ:
        observed = observe(port, planned.desired.time_zone, policy)
        follow_up = make_plan(planned.desired, observed, options)
        reports.append(apply_plan(follow_up, port, observed, policy, on_result))
    return reports
