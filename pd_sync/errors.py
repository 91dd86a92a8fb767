"""The one error tree of pd-sync.

Every failure a user can act on is a ``PdSyncError``; its message names the fix. The CLI turns
the tree into one line and an exit code in one place (``cli.commands``); anything that is not a
``PdSyncError`` is a bug and keeps its traceback under ``--debug``.

::

    PdSyncError
    ├── CurriculumError          the curriculum on disk is malformed (carries every Problem found)
    ├── ConfigError              flags / environment / token file are unusable
    ├── CanvasError              Canvas answered, and the answer is final
    │   ├── CanvasAuthError      401: the token was rejected
    │   ├── CanvasPermissionError 403 (not throttling): the token may not do this
    │   ├── CanvasNotFoundError  404: course or object missing / not visible
    │   ├── CanvasRejectedError  400 / 409 / 422: Canvas refused the request's content
    │   ├── CanvasOriginError    Canvas pointed at another origin (redirect, next-page link)
    │   └── CanvasUnreachableError nothing to retry: the name does not resolve, loopback refused
    ├── CanvasUnavailableError   transient failures that outlasted the retry policy
    ├── PlanError                the planner met a state it has no rule for (a pd-sync bug)
    ├── ApplyError               one or more planned actions failed (carries the report)
    ├── ApplyInterrupted         apply was asked to stop (Ctrl-C) and stopped between writes
    ├── SavedPlanError           a saved plan file cannot be read, or is not for this target
    │   └── StalePlanError       what a saved plan was made from changed: it is not applied
    ├── SiteError                a Jekyll site to import is missing or malformed (every Problem)
    └── OverwriteError           an import would overwrite files edited since (pass --force)

Imports nothing from pd_sync.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the curriculum, located at ``file:line:column`` (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class PdSyncError(Exception):
    """Base of every error pd-sync reports to a person."""


class CurriculumError(PdSyncError):
    """The curriculum is malformed; ``problems`` lists every problem found, sorted by place."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(sorted(problems))
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        body = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{body}\n{count} {noun} found; nothing was sent to Canvas.")


class ConfigError(PdSyncError):
    """Options, environment or files needed to reach Canvas are unusable."""


class CanvasError(PdSyncError):
    """Canvas gave a final (non-retryable) answer."""


class CanvasAuthError(CanvasError):
    """Canvas rejected the token (HTTP 401)."""


class CanvasPermissionError(CanvasError):
    """The token is valid but may not perform this action (HTTP 403 without throttling)."""


class CanvasNotFoundError(CanvasError):
    """The course or object does not exist or is not visible to this token (HTTP 404)."""


class CanvasRejectedError(CanvasError):
    """Canvas refused the content of a request (HTTP 400, 409 or 422)."""


class CanvasOriginError(CanvasError):
    """A request would have left the configured Canvas origin (a redirect or a next-page link
    elsewhere); it was not sent, so the token stayed with that origin. Final: not retried."""


class CanvasUnreachableError(CanvasError):
    """No Canvas can answer at this address: its host name does not resolve, or a loopback port
    refused the connection (nothing listens there). Final: trying again cannot succeed."""


class CanvasUnavailableError(PdSyncError):
    """A transient failure (5xx, throttling, network, timeout): retried by policy, reported
    when it outlasts the policy.

    ``throttled``: Canvas refused for rate limiting (nothing happened). ``unknown``: a write may
    or may not have been applied (the response was lost), so a create must be re-checked before
    it is retried. ``retry_after``: seconds Canvas asked us to wait, when it said. ``what``: the
    call that failed (``list pages``) and ``cause``: what went wrong, in a word or two (``503``,
    ``a timeout``), for the line shown while retrying.
    """

    def __init__(
        self,
        message: str,
        *,
        throttled: bool = False,
        unknown: bool = False,
        retry_after: float | None = None,
        what: str = "a Canvas request",
        cause: str = "a failure",
    ) -> None:
        super().__init__(message)
        self.throttled = throttled
        self.unknown = unknown
        self.retry_after = retry_after
        self.what = what
        self.cause = cause


class PlanError(PdSyncError):
    """The planner met a state it has no rule for (a pd-sync bug, not a curriculum mistake)."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"cannot plan: {what}. This is a bug in pd-sync, not in the curriculum; nothing was "
            "sent to Canvas. Run again with --debug and report the output"
        )


class ApplyError(PdSyncError):
    """Some planned actions failed; the report says which and why.

    ``result``: what apply did, as plain JSON-ready data, for ``--json`` (``None`` without).
    """

    def __init__(self, message: str, result: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.result = result


class ApplyInterrupted(PdSyncError):
    """Apply stopped starting writes when asked to (Ctrl-C); the writes in flight finished, so
    the next apply plans from a course that is whole and finishes the rest."""

    def __init__(self, applied: int, planned: int, result: dict[str, object] | None = None) -> None:
        super().__init__(
            f"Interrupted after {applied} of {planned} changes; run apply again to finish"
        )
        self.applied = applied
        self.planned = planned
        self.result = result


class SavedPlanError(PdSyncError):
    """A saved plan (``pd-sync plan --out``) cannot be read, or was made for another target."""


class StalePlanError(SavedPlanError):
    """What a saved plan was computed from changed since (Canvas objects it touches, the
    curriculum, its age): applying it could do something nobody reviewed, so nothing is sent.
    ``changed`` names each difference, one line each."""

    def __init__(self, changed: list[str] | tuple[str, ...]) -> None:
        self.changed = tuple(changed)
        body = "\n".join(f"  {line}" for line in self.changed)
        super().__init__(
            f"the saved plan is stale; nothing was sent to Canvas:\n{body}\n"
            "Plan again (pd-sync plan --out FILE), review it, and apply the new file"
        )


class SiteError(PdSyncError):
    """The site to import cannot be read; ``problems`` lists every problem found, by place."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(sorted(problems))
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        body = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{body}\n{count} {noun} found in the site; nothing was written.")


class OverwriteError(PdSyncError):
    """An import would replace files whose content differs from what it would write."""
