"""``plan --markdown / --html / --json``, terminal colour and apply's progress, through the CLI
(CliRunner, and a real pseudo-terminal for what only a TTY shows)."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from pd_sync.apply import ActionResult
from pd_sync.cli import cli
from pd_sync.cli.progress import ApplyProgress, result_line
from pd_sync.plan import CreatePage
from pd_sync.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")
ANSI_COLOUR = re.compile(r"\x1b\[(3\d|9\d)m")


@pytest.fixture
def env(sandbox: Sandbox) -> dict[str, str]:
    return {
        "CANVAS_API_URL": sandbox.base_url,
        "CANVAS_API_TOKEN": sandbox.token,
        "GITHUB_ACTIONS": "",
        "NO_COLOR": "",
    }


def test_plan_markdown_and_html_report(env: dict[str, str], tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli, ["plan", CURRICULUM, "--markdown", "--html", str(report)], env=env
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!-- pd-sync-plan cohort=2701-example -->\n")
    # Creates listed compactly; the module's publish unfolds, the record's writes are lines.
    assert result.stdout.count("<details>") == 1
    assert "| Module 1 Week 1: Kickoff and Understanding Your Strengths | yes |" in result.stdout
    assert f"HTML report written to {report}" in result.stderr
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<section class='action") == 63
    assert "Module 1 Week 1: Kickoff and Understanding Your Strengths" in html
    assert env["CANVAS_API_TOKEN"] not in html + result.output


def test_plan_html_beside_the_text_plan(env: dict[str, str], tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["plan", CURRICULUM, "--html", str(report)], env=env)
    assert result.exit_code == 0, result.output
    first, times = result.stdout.splitlines()[:2]
    assert first.startswith("Canvas 127.0.0.1:") and first.endswith(" · cohort 2701-example")
    assert times == "Times in America/Denver."
    assert report.stat().st_size > 10_000


def test_json_and_markdown_are_alternatives(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["plan", CURRICULUM, "--json", "--markdown"], env=env)
    assert result.exit_code == 1  # a usage error; 2 is --detailed-exitcode's "changes pending"
    assert "--json and --markdown are alternatives" in result.output


def test_cli_json_validates_against_the_schema(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["plan", CURRICULUM, "--json"], env=env)
    assert result.exit_code == 0, result.output
    schema = json.loads((ROOT / "docs" / "plan-json.schema.json").read_text(encoding="utf-8"))
    data = json.loads(result.stdout)
    jsonschema.validate(data, schema)
    assert data["summary"]["drift"] == 0


def test_colour_only_for_a_terminal_and_never_with_no_color(env: dict[str, str]) -> None:
    args = ["plan", CURRICULUM]
    coloured = CliRunner().invoke(cli, args, env=env, color=True)
    assert coloured.exit_code == 0
    assert "\x1b[32m+ page 'Module 1: Learning Goals'" in coloured.stdout
    plain = CliRunner().invoke(cli, args, env=env, color=False)
    assert plain.exit_code == 0 and not ANSI_COLOUR.search(plain.stdout)
    no_color = CliRunner().invoke(cli, args, env={**env, "NO_COLOR": "1"}, color=True)
    assert no_color.exit_code == 0 and not ANSI_COLOUR.search(no_color.stdout)
    assert plain.stdout == no_color.stdout


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run ``python -m pd_sync`` with stdin, stdout and stderr on a pseudo-terminal."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pd_sync", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "COLUMNS": "120", "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=120) == 0, b"".join(chunks).decode()
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("no_color", ["", "1"])
def test_apply_on_a_terminal_shows_a_progress_bar(
    env: dict[str, str], sandbox: Sandbox, no_color: str
) -> None:
    shown = _run_in_terminal(["apply", CURRICULUM, "--yes"], {**env, "NO_COLOR": no_color})
    assert "Applying" in shown and "63/63" in shown and "\r" in shown
    assert "done: " not in shown  # the bar replaces the per-action lines
    assert "Applied 63 of 63 changes" in shown
    assert bool(ANSI_COLOUR.search(shown)) is (no_color == "")
    pages = [p for p in sandbox.store.rows("pages", 1) if p["workflow_state"] != "deleted"]
    assert len(pages) > 10


def test_apply_off_a_terminal_prints_one_line_per_action(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["apply", CURRICULUM, "--yes"], env=env)
    assert result.exit_code == 0, result.output
    done = [line for line in result.stdout.splitlines() if line.startswith("done: ")]
    assert len(done) == 63 and "\r" not in result.stdout
    assert "done: + page 'Module 1: Learning Goals': new in the curriculum" in done


def test_progress_prints_failures_and_grows_past_the_plan(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = CreatePage(key="k", title="T", body="", published=True, url="t")
    failed = ActionResult(page, "failed", "Canvas said 422")
    assert result_line(failed) == "FAILED: + page 'T': new in the curriculum — Canvas said 422"
    with ApplyProgress(1, bar=False) as progress:
        progress(ActionResult(page, "done"))
        progress(failed)
    assert capsys.readouterr().out.splitlines() == [
        "done: + page 'T': new in the curriculum",
        result_line(failed),
    ]
    with ApplyProgress(1, bar=True) as progress:  # stderr is not a terminal: the bar is hidden
        progress(ActionResult(page, "done"))
        progress(failed)  # a follow-up pass: one more result than planned
    assert progress.counts == {"done": 1, "failed": 1}
    assert result_line(failed) in capsys.readouterr().out
