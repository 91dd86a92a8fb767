"""Running ``python -m pd_sync`` on a pseudo-terminal against the sandbox, for the tests."""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from pd_sync.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def env_for(sandbox: Sandbox) -> dict[str, str]:
    return {
        **os.environ,
        "CANVAS_API_URL": sandbox.base_url,
        "CANVAS_API_TOKEN": sandbox.token,
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "120",
        "GITHUB_ACTIONS": "",
    }


def writes(sandbox: Sandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests() if r.method != "GET"]


def read_until(controller: int, seen: bytearray, done: Callable[[str], bool]) -> str:
    """Read the terminal into ``seen`` until ``done(text)`` or 60 s pass; the text read."""
    deadline = time.monotonic() + 60
    while not done(seen.decode("utf-8", "replace")) and time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen.extend(chunk)
    return seen.decode("utf-8", "replace")


def drain(controller: int, seen: bytearray, process: subprocess.Popen[bytes]) -> str:
    """Everything up to the child's exit: the terminal reads until it is closed (EIO)."""
    text = read_until(controller, seen, lambda _: False)
    process.wait(timeout=60)
    return text
