"""The flow in one place: loaded program + cohort + Canvas → plan → (apply).

A top-level module because it is the one place where the stages meet (desired, canvas, plan,
apply); it is the library API the CLI, the benchmarks and the tests call, and no stage imports it.

``apply_saved_plan`` applies a reviewed plan from a file exactly, after checking against one
fresh observation that nothing it touches changed (no follow-up pass: that would send writes
nobody reviewed).

``plan_course`` is what ``plan``, ``apply --dry-run`` and ``apply`` share; ``apply_course``
executes the plan it is given; when that plan created objects, or something it was to update
had been deleted meanwhile, it looks once more and, if the course still differs — a slug Canvas
chose differently, a second copy a concurrent run made, an object to make again — applies a
follow-up plan (at most ``FOLLOW_UP_PASSES``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from pd_sync.apply import ActionResult, ApplyReport, apply_plan
from pd_sync.canvas import DEFAULT_WORKERS, CanvasPort, Retrier, RetryPolicy
from pd_sync.curriculum import CohortSpec, Program
from pd_sync.desired import CourseState, build_desired
from pd_sync.errors import StalePlanError
from pd_sync.plan import NO_PRUNE, Plan, PlanOptions, RecordOwnership, make_plan
from pd_sync.saved import SavedPlan, curriculum_digest, stale_reasons

FOLLOW_UP_PASSES = 5


@dataclass(frozen=True)
class CoursePlan:
    """A plan with the observed state it was made from (apply needs both)."""

    plan: Plan
    observed: CourseState
    desired: CourseState
    # What reading the course for this plan absorbed; apply's report counts it too.
    read_throttled: int = 0
    read_retries: int = 0


def observe(
    port: CanvasPort,
    time_zone: str,
    policy: RetryPolicy | None = None,
    retrier: Retrier | None = None,
) -> CourseState:
    """Read the course under the retry policy (the GETs are safe to repeat)."""
    retrier = retrier or Retrier(policy or RetryPolicy(), port.rate_limit_remaining)
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
    reads = Retrier(policy or RetryPolicy(), port.rate_limit_remaining)
    refused_before = port.throttled_responses()
    observed = observe(port, cohort.time_zone, retrier=reads)
    plan = make_plan(desired, observed, options)
    refused = port.throttled_responses() - refused_before
    return CoursePlan(plan, observed, desired, refused, reads.retries)


def _keeping_record_pages(plan: Plan) -> Plan:
    """``plan`` with its record writes deleting no record page.

    A follow-up runs when a concurrent run may be live, and that run's record page may be
    read here before it writes its ids and deleted after: its ids would be lost, and its
    objects left as unproven copies. So follow-ups only add record pages; the next plain run
    merges them (record pages hold a union, so several are harmless).
    """
    actions = tuple(
        replace(a, supersede=()) if isinstance(a, RecordOwnership) else a for a in plan.actions
    )
    return replace(plan, actions=actions)


def apply_course(
    planned: CoursePlan,
    port: CanvasPort,
    options: PlanOptions = NO_PRUNE,
    policy: RetryPolicy | None = None,
    on_result: Callable[[ActionResult], None] | None = None,
    workers: int = DEFAULT_WORKERS,
    stop: threading.Event | None = None,
) -> list[ApplyReport]:
    """Apply ``planned``; after creates, look once more and apply what still differs.

    ``workers`` bounds the requests in flight (``concurrency.DEFAULT_WORKERS`` by default).
    Once ``stop`` is set no write starts and no follow-up pass runs; the last report is
    ``stopped`` when writes were left unsent (the next apply plans and sends them).
    """
    stop = stop or threading.Event()
    refused_before = port.throttled_responses()
    report = apply_plan(planned.plan, port, planned.observed, policy, on_result, workers, stop)
    reports = [report]
    looks = Retrier(policy or RetryPolicy(), port.rate_limit_remaining)
    # A run that created nothing (its record's announcement was refused, say) has no second
    # copy to look for.
    created = any(
        type(r.action).__name__.startswith("Create") and r.status == "done" for r in report.results
    )
    # Creates are where a concurrent run can leave a second copy; look once more and converge.
    look_again = created or report.slugs_differ or report.vanished
    for _ in range(FOLLOW_UP_PASSES if look_again else 0):
        if stop.is_set():
            break
        observed = observe(port, planned.desired.time_zone, retrier=looks)
        follow_up = _keeping_record_pages(make_plan(planned.desired, observed, options))
        if not follow_up.writes:
            break
        report = apply_plan(follow_up, port, observed, policy, on_result, workers, stop)
        reports.append(report)
    # The plan's read and the follow-up reads are part of this run: count what they absorbed.
    # Refusals are counted on the wire (parallel reads can meet several in one attempt).
    refused = port.throttled_responses() - refused_before + planned.read_throttled
    reports[-1] = replace(
        reports[-1],
        throttled=refused - sum(r.throttled for r in reports[:-1]),
        retries=reports[-1].retries + looks.retries + planned.read_retries,
    )
    return reports


def check_saved_plan(
    saved: SavedPlan,
    program: Program,
    cohort: CohortSpec,
    port: CanvasPort,
    *,
    now: dt.datetime,
    max_age: dt.timedelta,
    retrier: Retrier,
) -> CourseState:
    """Observe the course once and return what was observed, or raise ``StalePlanError``
    (having sent only GETs) when the curriculum, the plan's age or anything it touches changed."""
    observed = observe(port, saved.plan.time_zone, retrier=retrier)
    digest = curriculum_digest(build_desired(program, cohort))
    reasons = stale_reasons(saved, now=now, max_age=max_age, digest=digest, observed=observed)
    if reasons:
        raise StalePlanError(reasons)
    return observed


def apply_saved_plan(
    saved: SavedPlan,
    program: Program,
    cohort: CohortSpec,
    port: CanvasPort,
    *,
    now: dt.datetime,
    max_age: dt.timedelta,
    policy: RetryPolicy | None = None,
    on_result: Callable[[ActionResult], None] | None = None,
    workers: int = DEFAULT_WORKERS,
    stop: threading.Event | None = None,
) -> ApplyReport:
    """``check_saved_plan``, then apply ``saved``'s actions exactly: no follow-up pass, since
    its writes would be ones nobody reviewed (the next plan shows what, if anything, is left)."""
    reads = Retrier(policy or RetryPolicy(), port.rate_limit_remaining)
    refused_before = port.throttled_responses()
    observed = check_saved_plan(
        saved, program, cohort, port, now=now, max_age=max_age, retrier=reads
    )
    report = apply_plan(saved.plan, port, observed, policy, on_result, workers, stop)
    refused = port.throttled_responses() - refused_before
    return replace(report, throttled=refused, retries=report.retries + reads.retries)
