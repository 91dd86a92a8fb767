"""Shared fixtures: one sandbox Canvas for the whole session, reset before every test."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator

import canvasapi
import pytest

from pd_sync.sandbox import Sandbox

SANDBOX_COURSE_ID = 1
SANDBOX_TIME_ZONE = "America/Denver"


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    """The running sandbox; tests should use `sandbox`, which also resets it."""
    server = Sandbox()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Iterator[Sandbox]:
    """An empty sandbox holding course 1 (America/Denver), default config (current Canvas),
    no faults."""
    sb = sandbox_server
    sb.reset()
    sb.latency = 0.0
    sb.manage_sis = False
    sb.canonical_url = None
    sb.canvas_version = "current"
    sb.throttle_enabled = True
    sb.set_throttle()
    sb.set_clock(time.monotonic)
    sb.ensure_course(SANDBOX_COURSE_ID, "PD Sandbox Course", SANDBOX_TIME_ZONE)
    yield sb
    sb.clear_faults()
    sb.latency = 0.0


@pytest.fixture
def canvas(sandbox: Sandbox) -> Iterator[canvasapi.Canvas]:
    """The real canvasapi client pointed at the sandbox over HTTP."""
    with warnings.catch_warnings():
        # canvasapi warns about plain-HTTP base URLs; the sandbox is loopback-only.
        warnings.filterwarnings("ignore", "Canvas may respond unexpectedly", UserWarning)
        client = canvasapi.Canvas(sandbox.base_url, sandbox.token)
    yield client
    # One keep-alive connection per test; close it so idle server threads do not pile up.
    client._Canvas__requester._session.close()
