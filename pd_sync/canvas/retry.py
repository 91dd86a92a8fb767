"""The one retry policy for every call to Canvas; the only importer of tenacity.

Exponential backoff with full jitter, Canvas's ``Retry-After`` honoured, a longer wait after a
throttle refusal, bounded attempts and total time, and an injectable ``sleep`` so tests of
backoff take milliseconds, and an ``on_retry`` callback the CLI uses to say, while it waits,
what is being retried and why. Only ``CanvasUnavailableError`` (classified as transient in
``canvas.classify``) is retried. A create whose outcome is unknown (the response was lost) is
re-checked before it is tried again, so a lost response never makes a duplicate.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
)

from pd_sync.errors import CanvasUnavailableError

_T = TypeVar("_T")


@dataclass(frozen=True)
class RetryNotice:
    """A retry about to happen: ``attempt`` of ``attempts`` will run after ``wait`` seconds."""

    what: str
    cause: str
    attempt: int
    attempts: int
    wait: float

    def __str__(self) -> str:
        return f"retrying {self.what} ({self.attempt}/{self.attempts}) after {self.cause}…"


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep trying a transient failure before reporting it.

    ``on_retry`` hears of every retry before its wait (from any worker thread).
    """

    attempts: int = 8
    total_seconds: float = 300.0
    base_seconds: float = 0.5
    max_wait_seconds: float = 30.0
    throttle_wait_seconds: float = 5.0
    slow_down_below: float = 150.0
    sleep: Callable[[float], None] = time.sleep
    jitter: random.Random = field(default_factory=random.Random, compare=False)
    on_retry: Callable[[RetryNotice], None] | None = field(default=None, compare=False)

    def wait(self, state: RetryCallState) -> float:
        """Backoff for the attempt that just failed; never less than ``Retry-After``."""
        error = state.outcome.exception() if state.outcome else None
        ceiling = min(self.max_wait_seconds, self.base_seconds * 2 ** (state.attempt_number - 1))
        wait = self.jitter.uniform(0, ceiling)
        if isinstance(error, CanvasUnavailableError):
            if error.throttled:
                wait = max(wait, self.throttle_wait_seconds * (0.5 + self.jitter.random()))
            if error.retry_after is not None:
                wait = max(wait, error.retry_after)
        return wait


class Retrier:
    """Runs calls under a ``RetryPolicy`` and counts the retries it made."""

    def __init__(
        self, policy: RetryPolicy, rate_limit_remaining: Callable[[], float | None]
    ) -> None:
        self.policy = policy
        self._remaining = rate_limit_remaining
        self.retries = 0

    def call(self, fn: Callable[[], _T]) -> _T:
        """Run one request, first slowing down if Canvas's throttle bucket is nearly full."""
        self._pace()
        for attempt in self._retrying():
            with attempt:
                return fn()
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover

    def create(self, make: Callable[[], _T], find: Callable[[], _T | None]) -> _T:
        """Create once: after an unknown outcome, ``find`` looks for the object first."""
        self._pace()
        uncertain = False
        for attempt in self._retrying():
            with attempt:
                if uncertain:
                    found = self.call(find)
                    if found is not None:
                        return found
                try:
                    return make()
                except CanvasUnavailableError as error:
                    uncertain = uncertain or error.unknown
                    raise
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover

    def _pace(self) -> None:
        # Canvas refuses once the bucket passes its high-water mark; waiting while it drains
        # (10 units/s by default) is cheaper than a refusal and a backoff.
        remaining = self._remaining()
        if remaining is not None and remaining < self.policy.slow_down_below:
            deficit = self.policy.slow_down_below - remaining
            self.policy.sleep(min(self.policy.max_wait_seconds, deficit / 10.0))

    def _retrying(self) -> Retrying:
        def before_sleep(state: RetryCallState) -> None:
            self.retries += 1  # throttle refusals are counted on the wire (canvas.ResponseSignals)
            if self.policy.on_retry is None:
                return
            error = state.outcome.exception() if state.outcome else None
            what = getattr(error, "what", "a Canvas request")
            cause = getattr(error, "cause", "a failure")
            wait = state.next_action.sleep if state.next_action else 0.0
            self.policy.on_retry(
                RetryNotice(what, cause, state.attempt_number + 1, self.policy.attempts, wait)
            )

        return Retrying(
            stop=stop_after_attempt(self.policy.attempts)
            | stop_after_delay(self.policy.total_seconds),
            wait=self.policy.wait,
            retry=retry_if_exception_type(CanvasUnavailableError),
            sleep=self.policy.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
