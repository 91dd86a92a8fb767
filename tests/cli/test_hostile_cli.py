"""A hostile curriculum (and hand edits in Canvas) through the real CLI against the sandbox:
``plan``, ``plan --json/--markdown/--html`` and ``apply``, in GitHub mode and on a terminal.

The runner's rules (hostile_checks.runner_commands) read the whole output: the only workflow
commands in it must be the ones pd-sync meant (the token's ``::add-mask::``).
"""

from __future__ import annotations

from pathlib import Path

import canvasapi
import pytest
from click.testing import CliRunner, Result
from hostile_checks import (
    HOSTILE_TITLE,
    Command,
    html_problems,
    markdown_problems,
    runner_commands,
    terminal_controls,
)

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

BODY = (
    "::error::body\n\n  ::warning file=a::b\n\n##[group]x\n\ncr\rhere \x1b[31mred\x1b]0;t\x07\n\n"
    "@user hi\n\n</details>\n\n<!-- pd-sync-plan cohort=x -->\n\n[j](javascript:alert(1))\n\n"
    "````\n```\nfence\n```\n````\n"
)


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar for ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\r", "\\r").replace("\x1b", "\\e").replace("\x07", "\\a") + '"'


def hostile_curriculum(directory: Path) -> Path:
    directory.mkdir()
    (directory / "evil.md").write_text(BODY, encoding="utf-8", newline="")
    (directory / "week.md").write_text("---\ntitle: Week\n---\n##[group]w\n", encoding="utf-8")
    group = _yaml("PD ::error::ag @team")
    title, module = _yaml(HOSTILE_TITLE), _yaml("Module ::error::m\n##[group]m")
    week, deliverable = _yaml("Week ::error::w"), _yaml("Deliverable ::error::d\n::warning::d")
    description = _yaml("::error::desc\n\n  ::warning file=a::b\n\n##[group]d")
    (directory / "curriculum.yml").write_text(
        f"""program:
  name: Example PD
  time_zone: America/Denver
cohorts:
  - name: c1
    course_id: 1
    start_date: 2027-01-04
    time_zone: America/Denver
assignment_groups:
  - name: {group}
pages:
  - source: evil.md
    key: evil
    title: {title}
  - source: week.md
    key: week
modules:
  - key: mod1
    title: {module}
    overview: evil
    weeks:
      - number: 1
        title: {week}
        page: week
    deliverables:
      - key: networking
        title: {deliverable}
        description: {description}
        due: Friday of week 1 at 23:59
        points: 10
        submission_types: [online_text_entry]
        assignment_group: {group}
""",
        encoding="utf-8",
    )
    return directory


@pytest.fixture
def env(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "CANVAS_API_URL": sandbox.base_url,
        "CANVAS_API_TOKEN": sandbox.token,
        "NO_COLOR": "",
    }


def _run(args: list[str], env: dict[str, str], *, color: bool = False) -> Result:
    return CliRunner().invoke(cli, args, env=env, color=color)


def _only_the_mask(result: Result, token: str) -> None:
    assert runner_commands(result.output) == [Command("add-mask", token)], result.output


def _edit_in_canvas(canvas: canvasapi.Canvas) -> None:
    """A teacher edits pd-sync's page by hand: Canvas-side hostile title and body lines."""
    course = canvas.get_course(1)
    page = next(p for p in course.get_pages() if p.title.startswith("Evil"))
    full = course.get_page(page.url)
    hand = "<p>::error::canvas</p><p>##[group]canvas</p><p>@user \x1b[31m</p>"
    full.edit(wiki_page={"title": "Canvas ::error::title", "body": full.body + hand})


def test_plan_and_apply_in_github_mode_print_no_command_of_the_content(
    sandbox: Sandbox, env: dict[str, str], tmp_path: Path, canvas: canvasapi.Canvas
) -> None:
    curriculum = str(hostile_curriculum(tmp_path / "cur"))
    for args in (["plan"], ["plan", "--json"], ["apply", "--yes"]):
        result = _run([*args, curriculum], env)
        assert result.exit_code == 0, result.output
        _only_the_mask(result, sandbox.token)
        assert terminal_controls(result.output) == []
    # Changed in the curriculum and edited in Canvas: diffs with hostile context lines, old
    # (Canvas) and new (curriculum) titles in field changes.
    with (tmp_path / "cur" / "evil.md").open("a", encoding="utf-8") as file:
        file.write("\none more paragraph\n")
    _edit_in_canvas(canvas)
    for args in (["plan"], ["apply", "--dry-run"], ["apply", "--yes"]):
        result = _run([*args, curriculum], env)
        assert result.exit_code == 0, result.output
        assert "canvas" in result.output and " title: " in result.output
        _only_the_mask(result, sandbox.token)
        assert terminal_controls(result.output) == []


def test_markdown_summary_and_html_report_of_a_hostile_plan(
    sandbox: Sandbox, env: dict[str, str], tmp_path: Path, canvas: canvasapi.Canvas
) -> None:
    curriculum = str(hostile_curriculum(tmp_path / "cur"))
    assert _run(["apply", "--yes", curriculum], env).exit_code == 0
    _edit_in_canvas(canvas)
    Path(env["GITHUB_STEP_SUMMARY"]).unlink()
    report = tmp_path / "plan.html"
    result = _run(["plan", "--markdown", "--html", str(report), curriculum], env)
    assert result.exit_code == 0, result.output
    _only_the_mask(result, sandbox.token)  # the Markdown on stdout is in the log too
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary == result.stdout
    actions = summary.count("<details><summary>")
    assert actions > 0 and markdown_problems(summary, actions) == []
    assert html_problems(report.read_text(encoding="utf-8")) == []


def test_terminal_gets_only_pd_syncs_own_escape_codes(
    sandbox: Sandbox, env: dict[str, str], tmp_path: Path, canvas: canvasapi.Canvas
) -> None:
    curriculum = str(hostile_curriculum(tmp_path / "cur"))
    terminal = {**env, "GITHUB_ACTIONS": ""}
    first = _run(["apply", "--yes", curriculum], terminal, color=True)
    assert first.exit_code == 0, first.output
    _edit_in_canvas(canvas)
    again = _run(["plan", curriculum], terminal, color=True)
    assert again.exit_code == 0, again.output
    for result in (first, again):
        assert "\x1b[3" in result.output  # colour is still there: pd-sync's own
        assert terminal_controls(result.output) == [], result.output
    assert "\\x1b[31m" in again.output  # the content's ESC, shown


def test_curriculum_problems_quoting_hostile_text_stay_inert(tmp_path: Path) -> None:
    curriculum = hostile_curriculum(tmp_path / "cur")
    text = (curriculum / "curriculum.yml").read_text(encoding="utf-8")
    bad = text.replace("page: week", 'page: "nowhere ::error::k\\r##[group]k\\e[2J"')
    (curriculum / "curriculum.yml").write_text(bad, encoding="utf-8")
    result = _run(["validate", str(curriculum)], {"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    # pd-sync's annotations (one per problem), and nothing from the quoted text.
    assert [c.name for c in runner_commands(result.output)] == ["error", "error"]
    assert terminal_controls(result.output) == []
