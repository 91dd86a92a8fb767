"""Injected failures: what a flaky network or an overloaded Canvas does to a client.

Failures are decided before a request is handled (nothing changes); lost responses are decided
after a write has been applied, which is the case that duplicates content in naive clients.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from http import HTTPStatus

LOSS_MODES = ("drop", "502")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


def error_code(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _check_status(status: int) -> int:
    if not 400 <= status <= 599:
        raise ValueError(f"status must be an HTTP error status (400-599), got {status}")
    return status


def _check_mode(mode: str) -> str:
    if mode not in LOSS_MODES:
        raise ValueError(f"mode must be one of {LOSS_MODES}, got {mode!r}")
    return mode


def _check_rate(rate: float) -> float:
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, got {rate}")
    return rate


_PASS = "pass"  # a queued write whose response is delivered


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._fail_left = 0
            self._fail_status = 500
            self._random_rate = 0.0
            self._random_status = 500
            self._random_rng = random.Random(0)
            self._lose_rate = 0.0
            self._lose_mode = "drop"
            self._lose_rng = random.Random(0)
            self._lose_queue: deque[str] = deque()
            self._redirects: deque[tuple[int, str]] = deque()

    def fail_next(self, n: int, status: int = 500) -> None:
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._fail_left, self._fail_status = n, _check_status(status)

    def random_failures(self, rate: float, seed: int, status: int = 500) -> None:
        with self._lock:
            self._random_rate = _check_rate(rate)
            self._random_rng = random.Random(seed)
            self._random_status = _check_status(status)

    def lose_responses(self, rate: float, seed: int, mode: str = "drop") -> None:
        with self._lock:
            self._lose_rate = _check_rate(rate)
            self._lose_rng = random.Random(seed)
            self._lose_mode = _check_mode(mode)

    def lose_next_write(self, mode: str = "drop", skip: int = 0) -> None:
        """Lose the response of the next write, or of the one after ``skip`` more (the bytes
        of an upload are its second write)."""
        if skip < 0:
            raise ValueError("skip must be >= 0")
        with self._lock:
            self._lose_queue.extend([_PASS] * skip + [_check_mode(mode)])

    def redirect_next(self, location: str, n: int = 1, status: int = 302) -> None:
        """Answer the next ``n`` API requests with a redirect to ``location``, unhandled: what a
        Canvas whose domain moved, or a proxy in front of it, does."""
        if status not in REDIRECT_STATUSES:
            raise ValueError(f"status must be one of {REDIRECT_STATUSES}, got {status}")
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._redirects.extend([(status, location)] * n)

    def take_redirect(self) -> tuple[int, str] | None:
        """The (status, Location) to answer instead of handling this request, if any."""
        with self._lock:
            return self._redirects.popleft() if self._redirects else None

    def take_failure(self) -> int | None:
        """The status to answer instead of handling this request, if any."""
        with self._lock:
            if self._fail_left > 0:
                self._fail_left -= 1
                return self._fail_status
            if self._random_rate and self._random_rng.random() < self._random_rate:
                return self._random_status
            return None

    def take_loss(self) -> str | None:
        """How to lose the response of a write that has just been applied, if at all."""
        with self._lock:
            if self._lose_queue:
                taken = self._lose_queue.popleft()
                return None if taken == _PASS else taken
            if self._lose_rate and self._lose_rng.random() < self._lose_rate:
                return self._lose_mode
            return None
