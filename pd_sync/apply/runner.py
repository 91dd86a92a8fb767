"""Execute exactly the plan given — never re-derive it — and report per action.

Writes that share no Canvas resource run in parallel on a bounded number of worker threads
(``action_deps`` says which must wait; ``concurrency`` bounds how many are in flight, and lowers
the bound as Canvas's ``X-Rate-Limit-Remaining`` falls). Each worker has its own canvasapi
client (``CanvasPort.fork``). Results reach ``on_result`` on the calling thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from pd_sync.apply.concurrency import InFlightLimit, PerThread, run_graph
from pd_sync.apply.deps import dependency_graph, heights
from pd_sync.apply.execute import VANISHED, Run, Skipped, execute
from pd_sync.canvas import DEFAULT_WORKERS, CanvasPort, Retrier, RetryPolicy
from pd_sync.desired import CourseState
from pd_sync.errors import CanvasError, CanvasNotFoundError, CanvasUnavailableError
from pd_sync.plan import (
    Action,
    CreateModuleItem,
    DeleteAssignment,
    DeleteAssignmentGroup,
    DeleteFile,
    DeleteGroup,
    DeleteGroupSet,
    DeleteModule,
    DeleteModuleItem,
    DeletePage,
    MoveModuleItem,
    Plan,
    RecordOwnership,
    UpdateAssignment,
    UpdateAssignmentGroup,
    UpdateGroupSet,
    UpdateModule,
    UpdateModuleItem,
    UpdatePage,
)

__all__ = ["ActionResult", "ApplyReport", "CanvasPort", "apply_plan"]

Status = Literal["done", "failed", "skipped"]


@dataclass(frozen=True)
class ActionResult:
    """The outcome of one planned write."""

    action: Action
    status: Status
    detail: str = ""


@dataclass(frozen=True)
class ApplyReport:
    """What happened to each write (in plan order), and what the run absorbed from Canvas."""

    results: tuple[ActionResult, ...]
    throttled: int = 0
    retries: int = 0
    slugs_differ: bool = False
    # Something it was to update had been deleted meanwhile: only a fresh look can tell what the
    # course needs now, so ``sync.apply_course`` looks again.
    vanished: bool = False
    peak_in_flight: int = 0
    lowest_limit: int = 0
    # Asked to stop (``apply_plan``'s ``stop``), it started no more writes: ``results`` holds
    # those that ran, of ``planned``.
    stopped: bool = False
    planned: int = 0

    @property
    def failed(self) -> tuple[ActionResult, ...]:
        return tuple(r for r in self.results if r.status != "done")

    @property
    def ok(self) -> bool:
        return not self.failed


_UPDATES = (
    UpdatePage,
    UpdateAssignment,
    UpdateAssignmentGroup,
    UpdateGroupSet,
    UpdateModule,
    UpdateModuleItem,
    MoveModuleItem,
)

_DELETES = (
    DeletePage,
    DeleteAssignment,
    DeleteAssignmentGroup,
    DeleteFile,
    DeleteGroup,
    DeleteGroupSet,
    DeleteModule,
    DeleteModuleItem,
)


def apply_plan(
    plan: Plan,
    port: CanvasPort,
    observed: CourseState,
    policy: RetryPolicy | None = None,
    on_result: Callable[[ActionResult], None] | None = None,
    workers: int = DEFAULT_WORKERS,
    stop: threading.Event | None = None,
    contents: Mapping[str, bytes] | None = None,
) -> ApplyReport:
    """Execute ``plan``'s writes; ``observed`` is the state the plan was made from.

    ``workers`` bounds the requests in flight (1 runs the writes one by one, in plan order).
    Once ``stop`` is set, no further write starts; those in flight finish and are reported.
    ``contents`` holds the bytes of the curriculum's files by digest, for the uploads.
    """
    policy = policy or RetryPolicy()
    spare = [port]  # the caller's own client serves the first worker thread

    def new_worker() -> tuple[CanvasPort, Retrier]:
        own = spare.pop() if spare else port.fork()
        return own, Retrier(policy, own.rate_limit_remaining)

    per_thread: PerThread[tuple[CanvasPort, Retrier]] = PerThread(new_worker)
    run = Run(observed, per_thread.get, contents)
    writes = plan.writes
    results: list[ActionResult | None] = [None] * len(writes)

    def run_one(index: int) -> ActionResult:
        return _outcome(writes[index], run)

    def done(index: int, result: ActionResult) -> None:
        results[index] = result
        if on_result is not None:
            on_result(result)

    limit = InFlightLimit(workers, port.rate_limit_remaining)
    refused_before = port.throttled_responses()
    waits = dependency_graph(writes)
    stopped = run_graph(waits, run_one, limit, done, priority=heights(waits), stop=stop)
    retriers = [retrier for _, retrier in per_thread.made]
    return ApplyReport(
        results=tuple(r for r in results if r is not None),
        throttled=port.throttled_responses() - refused_before,
        retries=sum(r.retries for r in retriers),
        slugs_differ=run.slugs_differ,
        vanished=any(r.detail == VANISHED for r in results if r is not None),
        peak_in_flight=limit.peak,
        lowest_limit=limit.low_water,
        stopped=stopped,
        planned=len(writes),
    )


NO_RECORD = (
    "not sent: the ownership record could not be written first, and pd-sync creates nothing "
    "it could not later prove it made"
)


def _outcome(action: Action, run: Run) -> ActionResult:
    if run.record_failed:
        return ActionResult(action, "skipped", NO_RECORD)
    result = _attempt(action, run)
    if isinstance(action, RecordOwnership) and action.stage == "begin" and result.status != "done":
        # Every other write waits for "begin" (apply.deps), so none has started yet.
        run.record_failed = True
    return result


def _attempt(action: Action, run: Run) -> ActionResult:
    try:
        return ActionResult(action, "done", execute(action, run))
    except Skipped as skipped:
        return ActionResult(action, "skipped", str(skipped))
    except CanvasNotFoundError as error:
        # Another run deleted it first: the course is as the plan wants.
        if isinstance(action, _DELETES):
            return ActionResult(action, "done", "already gone")
        if isinstance(action, (*_UPDATES, CreateModuleItem)):
            # Deleted by hand or by a concurrent run since the plan was made (for a new item:
            # the page or assignment it points at); the look that follows (``vanished``) plans
            # again from what is there now.
            return ActionResult(action, "done", VANISHED)
        return ActionResult(action, "failed", str(error))
    except (CanvasError, CanvasUnavailableError) as error:
        return ActionResult(action, "failed", str(error))
