"""An address nothing answers at fails at once in one line; a retry says so on stderr."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

CURRICULUM = str(Path(__file__).resolve().parents[2] / "curriculum")
TOKEN = "fail-fast-token"


@pytest.fixture(autouse=True)
def no_canvas_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANVAS_API_TOKEN", raising=False)
    monkeypatch.delenv("CANVAS_API_URL", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_refused_loopback_port_is_one_line_and_no_retry() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = CliRunner().invoke(cli, ["plan", CURRICULUM, "--url", url, "--token", TOKEN])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "retrying" not in result.stderr
    assert f"nothing is listening at {url} (connection refused" in lines[0]
    assert "pd-sync sandbox serve" in lines[0]
    assert result.stdout == ""


def test_host_name_that_does_not_resolve_is_one_line() -> None:
    url = "https://canvas.pd-sync-test.invalid"  # .invalid never resolves (RFC 6761)
    result = CliRunner().invoke(cli, ["plan", CURRICULUM, "--url", url, "--token", TOKEN])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "the host name canvas.pd-sync-test.invalid does not resolve" in lines[0]
    assert "retrying" not in result.stderr


def test_a_503_is_retried_and_each_retry_is_a_line_on_stderr(sandbox: Sandbox) -> None:
    sandbox.fail_next(2, 503)
    args = ["plan", CURRICULUM, "--url", sandbox.base_url, "--token", sandbox.token]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    retries = [line for line in result.stderr.splitlines() if line.startswith("retrying")]
    assert 1 <= len(retries) <= 2, result.stderr
    for line in retries:
        assert re.fullmatch(r"retrying list [a-z ]+ of course 1 \([23]/8\) after 503…", line)
    assert "retrying" not in result.stdout
    statuses = [r.status for r in sandbox.requests()]
    assert statuses.count(503) == 2
