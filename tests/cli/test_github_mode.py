"""GitHub mode (``GITHUB_ACTIONS=true``): the pure builders in pd_sync.cli.github, then the real CLI
against the sandbox with ``GITHUB_STEP_SUMMARY`` and ``GITHUB_OUTPUT`` pointing at temp files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pd_sync.cli import cli, github
from pd_sync.errors import Problem
from pd_sync.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")
MARKER = "<!-- pd-sync-plan cohort=2701-example -->"


# -- pure builders ---------------------------------------------------------------------------


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert github.escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_error_annotation_places_the_problem() -> None:
    problem = Problem("cur,ric:ulum/module.yml", 14, 5, "duplicate key 'key'\nremove one")
    assert github.error_annotation(problem, {}) == (
        "::error file=cur%2Cric%3Aulum/module.yml,line=14,col=5::duplicate key 'key'%0Aremove one"
    )
    inside = Problem("/home/runner/work/repo/curriculum/a.yml", 1, 2, "m")
    env = {"GITHUB_WORKSPACE": "/home/runner/work/repo"}
    assert github.error_annotation(inside, env).startswith("::error file=curriculum/a.yml,")
    outside = Problem("/elsewhere/a.yml", 1, 2, "m")
    assert github.error_annotation(outside, env).startswith("::error file=/elsewhere/a.yml,")


def test_mode_is_on_only_for_github_actions_true() -> None:
    assert github.enabled({"GITHUB_ACTIONS": "true"})
    assert not github.enabled({"GITHUB_ACTIONS": "false"}) and not github.enabled({})
    assert github.mask_command("to%ken") == "::add-mask::to%25ken"


def test_outputs_and_summary_are_appended(tmp_path: Path) -> None:
    env = {"GITHUB_OUTPUT": str(tmp_path / "out"), "GITHUB_STEP_SUMMARY": str(tmp_path / "sum")}
    assert github.write_outputs(env, {"changes": True, "writes": 3})
    assert github.write_outputs(env, {"note": "two\nlines"})
    text = (tmp_path / "out").read_text(encoding="utf-8")
    first, delimiter_line, *rest = text.splitlines()
    assert (first, delimiter_line) == ("changes=true", "writes=3")
    start, value1, value2, end = rest
    assert start.startswith("note<<") and end == start.removeprefix("note<<")
    assert (value1, value2) == ("two", "lines")
    assert github.append_summary(env, "# one")
    assert github.append_summary(env, "two\n")
    assert (tmp_path / "sum").read_text(encoding="utf-8") == "# one\ntwo\n"
    assert not github.write_outputs({}, {"x": 1}) and not github.append_summary({}, "x")


# -- the CLI in GitHub mode ------------------------------------------------------------------


@pytest.fixture
def gh_env(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "CANVAS_API_URL": sandbox.base_url,
        "CANVAS_API_TOKEN": sandbox.token,
        "NO_COLOR": "",
    }


def _outputs(env: dict[str, str]) -> list[str]:
    path = Path(env["GITHUB_OUTPUT"])
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _summary(env: dict[str, str]) -> str:
    path = Path(env["GITHUB_STEP_SUMMARY"])
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _check_token_masked_first(result: Result, token: str, stream: str = "stdout") -> None:
    masked = getattr(result, stream)
    assert masked.splitlines()[0] == f"::add-mask::{token}"
    everything = result.stdout + result.stderr
    assert everything.count(token) == 1, "the token appears only in the mask command"


def _run(args: list[str], env: dict[str, str]) -> Result:
    return CliRunner().invoke(cli, [*args, CURRICULUM], env=env)


def test_plan_then_apply_then_plan_in_github_mode(sandbox: Sandbox, gh_env: dict[str, str]) -> None:
    plan = _run(["plan"], gh_env)
    assert plan.exit_code == 0, plan.output
    _check_token_masked_first(plan, sandbox.token)
    assert _outputs(gh_env) == ["changes=true", "writes=63"]
    summary = _summary(gh_env)
    assert summary.startswith(MARKER + "\n")
    assert "| **total** | **60** | **3** | **0** | **0** |" in summary
    # The 60 creates are rows and lines, no bodies; only the module's publish unfolds (its
    # field change), the ownership record's two writes are one line each.
    assert summary.count("<details>") == 1
    assert "**Pages to create** (17)" in summary and "**Assignments to create** (2)" in summary
    assert summary.count("- `~` ownership record ") == 2
    assert sandbox.token not in summary
    assert not sandbox.store.rows("pages", 1)  # plan wrote nothing

    Path(gh_env["GITHUB_OUTPUT"]).unlink()
    applied = _run(["apply", "--yes"], gh_env)
    assert applied.exit_code == 0, applied.output
    _check_token_masked_first(applied, sandbox.token)
    assert _outputs(gh_env) == ["changes=true", "applied=63", "failed=0"]
    assert _summary(gh_env).count(MARKER) == 2  # appended after the plan's
    assert (
        _summary(gh_env)
        .rstrip()
        .endswith("**Applied 63 of 63 changes (0 failed; 0 retries; 0 throttle responses).**")
    )
    assert len([p for p in sandbox.store.rows("pages", 1) if p["workflow_state"] != "deleted"])

    Path(gh_env["GITHUB_OUTPUT"]).unlink()
    again = _run(["plan", "--detailed-exitcode"], gh_env)
    assert again.exit_code == 0, again.output
    assert _outputs(gh_env) == ["changes=false", "writes=0"]
    assert "**No changes: the course matches the curriculum.**" in _summary(gh_env)


def test_apply_dry_run_outputs_nothing_applied(sandbox: Sandbox, gh_env: dict[str, str]) -> None:
    result = _run(["apply", "--dry-run"], gh_env)
    assert result.exit_code == 0, result.output
    assert _outputs(gh_env) == ["changes=true", "applied=0", "failed=0"]
    assert "**Dry run: nothing was sent to Canvas.**" in _summary(gh_env)
    assert [r for r in sandbox.requests() if r.method != "GET"] == []


def test_markdown_on_stdout_stays_clean_and_the_mask_goes_to_stderr(
    sandbox: Sandbox, gh_env: dict[str, str]
) -> None:
    result = _run(["plan", "--markdown"], gh_env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(MARKER + "\n")
    assert result.stdout == _summary(gh_env)  # stdout is exactly the Markdown plan
    _check_token_masked_first(result, sandbox.token, stream="stderr")


def test_token_file_is_masked_too(sandbox: Sandbox, gh_env: dict[str, str], tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(sandbox.token + "\n", encoding="utf-8")
    env = {**gh_env, "CANVAS_API_TOKEN": ""}
    result = _run(["plan", "--token-file", str(token_file)], env)
    assert result.exit_code == 0, result.output
    _check_token_masked_first(result, sandbox.token)


def test_outside_github_actions_nothing_extra_happens(
    sandbox: Sandbox, gh_env: dict[str, str]
) -> None:
    env = {**gh_env, "GITHUB_ACTIONS": ""}
    result = _run(["plan"], env)
    assert result.exit_code == 0, result.output
    assert "::" not in result.output and sandbox.token not in result.output
    assert _outputs(env) == [] and _summary(env) == ""


def _broken_curriculum(base: Path) -> Path:
    copy = base / "cur,ric:ulum"
    shutil.copytree(CURRICULUM, copy)
    module = copy / "modules" / "mod1" / "module.yml"
    text = module.read_text(encoding="utf-8")
    text = text.replace("    key: mod1-week2\n", "    key: mod1-week2\n    key: again\n", 1)
    module.write_text(text, encoding="utf-8")
    return copy


@pytest.mark.parametrize("command", [["validate"], ["plan", "--sandbox"]])
def test_curriculum_problems_become_error_annotations(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = _broken_curriculum(tmp_path)
    lines = (broken / "modules/mod1/module.yml").read_text(encoding="utf-8").splitlines()
    line = lines.index("    key: again") + 1
    monkeypatch.chdir(tmp_path)
    env = {"GITHUB_ACTIONS": "true", "PD_SYNC_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(cli, [*command, broken.name], env=env)
    assert result.exit_code == 1
    annotation = (
        f"::error file=cur%2Cric%3Aulum/modules/mod1/module.yml,line={line},col=5::"
        "duplicate key 'key' at pages[3]"
    )
    assert [a for a in result.stdout.splitlines() if a.startswith("::error ")] == [
        f"{annotation} (first written at cur,ric:ulum/modules/mod1/module.yml:{line - 1}:5); "
        "remove one of them"
    ]
    assert f"cur,ric:ulum/modules/mod1/module.yml:{line}:5: duplicate key" in result.stderr
    assert result.stderr.rstrip().endswith("1 problem found; nothing was sent to Canvas.")
