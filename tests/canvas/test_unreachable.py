"""What no retry can fix is final at once: no backoff is slept before it is reported."""

from __future__ import annotations

import random
import socket

import pytest

from pd_sync.canvas import RetryPolicy, connect
from pd_sync.curriculum import Program
from pd_sync.errors import CanvasUnreachableError
from pd_sync.sync import plan_course


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "url", [f"http://127.0.0.1:{_closed_port()}", "https://canvas.pd-sync-test.invalid"]
)
def test_unreachable_canvas_is_final_without_waiting(program: Program, url: str) -> None:
    waits: list[float] = []
    policy = RetryPolicy(sleep=waits.append, jitter=random.Random(0))
    course = connect(url, "unreachable-token", 1)
    with pytest.raises(CanvasUnreachableError):
        plan_course(program, program.cohorts[0], course, policy=policy)
    assert waits == []
