"""Running ``python -m pd_sync`` on a pseudo-terminal against the sandbox, for the tests."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
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


def apply_then_refuse_writes(
    sandbox: Sandbox, args: list[str], stdout_file: Path, env: dict[str, str]
) -> tuple[int, str]:
    """Run ``pd-sync apply ARGS`` with stdout to ``stdout_file`` and the question on a
    terminal; once asked, make Canvas refuse every request (422), then answer yes.

    Returns the exit code and what the terminal showed.
    """
    controller, terminal = pty.openpty()
    with stdout_file.open("wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "pd_sync", "apply", *args],
            stdin=terminal,
            stdout=stdout,
            stderr=terminal,
            env=env,
            cwd=ROOT,
        )
    os.close(terminal)
    seen = bytearray()
    try:
        read_until(controller, seen, lambda text: "Apply these changes?" in text)
        sandbox.fail_next(100_000, 422)
        os.write(controller, b"y\n")
        drain(controller, seen, process)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
        sandbox.fail_next(0)
    return code, seen.decode("utf-8", "replace")
