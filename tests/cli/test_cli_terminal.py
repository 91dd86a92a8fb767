"""What a person at a terminal meets: the question on the terminal while stdout is a file, and
Ctrl-C during apply. Real pseudo-terminals and a real ``python -m pd_sync`` process."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox
from tests.cli.terminal import drain, env_for, read_until, writes

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")
WRITES_IN_THE_PLAN = 63


def _converges(sandbox: Sandbox) -> None:
    """A second apply finishes the course, and the plan after it has nothing to do."""
    sandbox.latency = 0.0
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    again = CliRunner().invoke(cli, ["apply", CURRICULUM, "--yes"], env=env)
    assert again.exit_code == 0, again.output
    assert "0 failed" in again.stdout
    clean = CliRunner().invoke(cli, ["plan", CURRICULUM, "--detailed-exitcode"], env=env)
    assert clean.exit_code == 0, clean.output
    assert "No changes: the course matches the curriculum." in clean.stdout


def test_the_question_goes_to_the_terminal_when_stdout_is_a_file(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    log = tmp_path / "log.txt"
    controller, terminal = pty.openpty()
    with log.open("wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "pd_sync", "apply", CURRICULUM],
            stdin=terminal,
            stdout=stdout,
            stderr=terminal,
            env=env_for(sandbox),
            cwd=ROOT,
        )
    os.close(terminal)
    seen = bytearray()
    try:
        shown = read_until(controller, seen, lambda text: "Apply these changes?" in text)
        assert "Apply these changes? [y/N]" in shown, shown
        assert writes(sandbox) == []  # it waits for the answer
        os.write(controller, b"y\n")
        drain(controller, seen, process)
        assert process.wait(timeout=60) == 0, seen.decode()
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    written = log.read_text(encoding="utf-8")
    assert "Apply these changes?" not in written
    assert "+ page 'Module 1: Learning Goals'" in written  # the plan is the log's
    assert f"Applied {WRITES_IN_THE_PLAN} of {WRITES_IN_THE_PLAN} changes" in written
    assert len(writes(sandbox)) >= WRITES_IN_THE_PLAN


def _apply_in_terminal(sandbox: Sandbox, *args: str) -> tuple[subprocess.Popen[bytes], int]:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pd_sync", "apply", CURRICULUM, "--yes", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env_for(sandbox),
        cwd=ROOT,
    )
    os.close(terminal)
    return process, controller


def _wait_for_the_first_write(sandbox: Sandbox, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not writes(sandbox) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert writes(sandbox), "apply never wrote"


def test_ctrl_c_during_apply_finishes_what_is_in_flight_and_exits_130(sandbox: Sandbox) -> None:
    sandbox.latency = 0.05
    process, controller = _apply_in_terminal(sandbox, "--concurrency", "2")
    seen = bytearray()
    try:
        _wait_for_the_first_write(sandbox, process)
        process.send_signal(signal.SIGINT)
        shown = drain(controller, seen, process)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    assert code == 130, shown
    assert "Stopping: letting the changes in flight finish" in shown
    stopped = re.search(
        r"Interrupted after (\d+) of (\d+) changes; run apply again to finish", shown
    )
    assert stopped, shown
    applied, planned = int(stopped[1]), int(stopped[2])
    assert planned == WRITES_IN_THE_PLAN
    assert 1 <= applied < planned
    assert len(writes(sandbox)) == applied  # the ones in flight finished; none started after
    assert "Traceback" not in shown
    _converges(sandbox)


def _settle(sandbox: Sandbox, quiet: float) -> int:
    """Wait until no write has been logged for ``quiet`` seconds; how many there are."""
    count, since = len(writes(sandbox)), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.02)
        if len(writes(sandbox)) != count:
            count, since = len(writes(sandbox)), time.monotonic()
    return count


def test_a_second_ctrl_c_exits_at_once(sandbox: Sandbox) -> None:
    sandbox.latency = 0.05
    process, controller = _apply_in_terminal(sandbox, "--concurrency", "1")
    seen = bytearray()
    try:
        _wait_for_the_first_write(sandbox, process)
        sandbox.latency = 2.0  # the write now in flight takes 2 s
        before = _settle(sandbox, 0.3)
        process.send_signal(signal.SIGINT)
        read_until(controller, seen, lambda text: "Stopping:" in text)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        shown = drain(controller, seen, process)
        code = process.wait(timeout=60)
        took = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    assert code == 130, shown
    assert "Interrupted again: exiting now; run apply again to finish" in shown
    assert "Interrupted after" not in shown
    assert took < 1.5  # it did not wait for the write in flight
    assert len(writes(sandbox)) == before  # that write was still in flight when it exited
    deadline = time.monotonic() + 5  # the sandbox finishes it; then the next apply runs
    while len(writes(sandbox)) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    _converges(sandbox)
