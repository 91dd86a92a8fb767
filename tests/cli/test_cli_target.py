"""Every plan opens by saying what it would change: Canvas host, course id and name (as Canvas
reports it), cohort, and "sandbox" for the embedded sandbox; in text, Markdown, HTML and JSON."""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")
COURSE = 2701
NAME = "PD Inning 2701"


@pytest.fixture
def env(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    sandbox.ensure_course(COURSE, NAME, "America/Denver")
    return {
        "CANVAS_API_URL": sandbox.base_url,
        "CANVAS_API_TOKEN": sandbox.token,
        "GITHUB_ACTIONS": "",
        "PD_SYNC_DATA_DIR": str(tmp_path / "data"),
    }


def _course_reads(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.requests() if r.path == f"/api/v1/courses/{COURSE}")


def test_plan_names_host_course_and_cohort_first_in_every_view(
    sandbox: Sandbox, env: dict[str, str], tmp_path: Path
) -> None:
    host = urlsplit(sandbox.base_url).netloc
    line = f'Canvas {host} · course {COURSE} "{NAME}" · cohort 2701-example'
    runner = CliRunner()
    report = tmp_path / "plan.html"
    sandbox.clear_requests()
    args = ["plan", CURRICULUM, "--course", str(COURSE)]
    text = runner.invoke(cli, [*args, "--html", str(report)], env=env)
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines()[0] == line
    assert _course_reads(sandbox) == 1  # the name comes from one read, sent with the lists
    assert f"<p class='target'>{html.escape(line)}</p>" in report.read_text(encoding="utf-8")

    markdown = runner.invoke(cli, [*args, "--markdown"], env=env)
    assert markdown.exit_code == 0, markdown.output
    assert markdown.stdout.splitlines()[3] == line

    as_json = runner.invoke(cli, [*args, "--json"], env=env)
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["target"] == {
        "url": sandbox.base_url,
        "host": host,
        "course_id": COURSE,
        "course_name": NAME,
        "cohort": "2701-example",
        "sandbox": False,
        "line": line,
    }


def test_apply_names_the_target_before_the_plan_and_the_prompt(
    sandbox: Sandbox, env: dict[str, str]
) -> None:
    result = CliRunner().invoke(
        cli, ["apply", CURRICULUM, "--course", str(COURSE), "--dry-run"], env=env
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Canvas {urlsplit(sandbox.base_url).netloc} · course ")
    assert f'course {COURSE} "{NAME}" · cohort 2701-example\n' in result.stdout


def test_the_embedded_sandbox_says_so(env: dict[str, str]) -> None:
    del env["CANVAS_API_URL"], env["CANVAS_API_TOKEN"]
    runner = CliRunner()
    text = runner.invoke(cli, ["plan", CURRICULUM, "--sandbox"], env=env)
    assert text.exit_code == 0, text.output
    first = text.stdout.splitlines()[0]
    assert first.startswith("Canvas 127.0.0.1:") and " (sandbox) · course 1 " in first
    assert first.endswith(' "2701-example" · cohort 2701-example')  # the course it made
    as_json = runner.invoke(cli, ["plan", CURRICULUM, "--sandbox", "--json"], env=env)
    assert json.loads(as_json.stdout)["target"]["sandbox"] is True


def test_a_course_name_carrying_terminal_controls_is_shown_inert(
    sandbox: Sandbox, env: dict[str, str]
) -> None:
    sandbox.ensure_course(COURSE + 1, "Evil\x1b]0;owned\x07 course", "America/Denver")
    args = ["plan", CURRICULUM, "--course", str(COURSE + 1)]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert "\x1b" not in first and "\x07" not in first
    assert first.startswith("Canvas ") and ' "Evil' in first
    assert first.endswith(' course" · cohort 2701-example')
