"""`pd-sync init` writes a curriculum repository that validates and syncs as written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync import __version__, starter
from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

EXPECTED = [
    ".github/workflows/pd-sync-drift.yml",
    ".github/workflows/pd-sync.yml",
    ".gitignore",
    "README.md",
    "curriculum/cohorts.yml",
    "curriculum/modules/first-steps/deliverables/goal_statement.md",
    "curriculum/modules/first-steps/module.yml",
    "curriculum/modules/first-steps/overview.md",
    "curriculum/modules/first-steps/week1.md",
    "curriculum/modules/first-steps/week2.md",
    "curriculum/program.yml",
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PD_SYNC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CANVAS_API_TOKEN", raising=False)
    monkeypatch.delenv("CANVAS_API_URL", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_init_then_validate_and_apply_into_the_sandbox_twice(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["init", "my-curriculum"])
    assert made.exit_code == 0, made.output
    assert made.stdout.splitlines() == [
        "Wrote a new curriculum repository to my-curriculum (11 files).",
        "Next:",
        "  cd my-curriculum",
        "  pd-sync validate",
        "  pd-sync apply --sandbox --yes",
        "Then set the cohort's course_id in curriculum/cohorts.yml and see README.md.",
    ]
    assert _files(workdir / "my-curriculum") == EXPECTED
    # The repository itself validates, from outside it too.
    outside = runner.invoke(cli, ["validate", "my-curriculum"])
    assert outside.exit_code == 0, outside.output

    monkeypatch.chdir(workdir / "my-curriculum")
    valid = runner.invoke(cli, ["validate"])
    assert valid.exit_code == 0, valid.output
    assert valid.stdout == (
        "curriculum: valid — 1 module, 2 weeks, 3 pages, 1 deliverable, 0 group sets, 1 cohort\n"
    )
    first = runner.invoke(cli, ["apply", "--sandbox", "--yes"])
    assert first.exit_code == 0, first.output
    assert "Applied 15 of 15 changes (0 failed;" in first.output
    second = runner.invoke(cli, ["apply", "--sandbox", "--yes"])
    assert second.exit_code == 0, second.output
    assert "No changes: the course matches the curriculum." in second.output

    stored = Sandbox(db_path=str(workdir / "data" / "sandbox.sqlite3")).store
    titles = sorted(r["title"] for r in stored.rows("pages", 101))
    assert titles[:3] == [
        "First Steps, Week 1: Getting Oriented",
        "First Steps, Week 2: Setting a Goal",
        "First Steps: Overview",
    ]
    assert [r["name"] for r in stored.rows("assignments", 101)] == ["Goal Statement"]


def test_init_writes_the_workflow_and_gitignore(workdir: Path) -> None:
    assert CliRunner().invoke(cli, ["init", "repo"]).exit_code == 0
    workflow = (workdir / "repo" / ".github" / "workflows" / "pd-sync.yml").read_text()
    assert f'pd-sync-version: "{__version__}"' in workflow
    assert (
        f"uses: {starter.GITHUB_REPOSITORY}/.github/workflows/pd-sync-reusable.yml"
        f"@{starter.WORKFLOW_COMMIT} # pd-sync {__version__}\n"
    ) in workflow
    assert "@PD_SYNC_" not in workflow
    drift = (workdir / "repo" / ".github" / "workflows" / "pd-sync-drift.yml").read_text()
    assert (
        f"uses: {starter.GITHUB_REPOSITORY}/.github/workflows/pd-sync-drift-reusable.yml"
        f"@{starter.WORKFLOW_COMMIT} # pd-sync {__version__}\n"
    ) in drift
    assert "@PD_SYNC_" not in drift
    assert "*.sqlite3" in (workdir / "repo" / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize(
    "linter",
    [
        ["actionlint", ".github/workflows/pd-sync.yml", ".github/workflows/pd-sync-drift.yml"],
        ["zizmor", "--offline", "--no-progress", "--persona=auditor", ".github/"],
    ],
    ids=["actionlint", "zizmor-auditor"],
)
def test_the_written_workflow_passes_the_linters(workdir: Path, linter: list[str]) -> None:
    """The linters .ci/run uses on this repository's workflows, on the one a course gets."""
    assert CliRunner().invoke(cli, ["init", "repo"]).exit_code == 0
    tool = shutil.which(linter[0])
    assert tool, f"{linter[0]} is in the test extra: pip install -e '.[test]'"
    checked = subprocess.run(
        [tool, *linter[1:]], cwd=workdir / "repo", capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_init_here_in_an_empty_directory(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (workdir / "empty").mkdir()
    monkeypatch.chdir(workdir / "empty")
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert "  cd " not in result.stdout
    assert _files(workdir / "empty") == EXPECTED


def test_init_refuses_a_directory_that_is_not_empty(workdir: Path) -> None:
    (workdir / "taken").mkdir()
    (workdir / "taken" / "notes.txt").write_text("mine\n")
    result = CliRunner().invoke(cli, ["init", "taken"])
    assert result.exit_code == 1
    assert result.stderr == (
        "taken is not empty; pd-sync init writes only into a new or empty directory "
        "(pick another name, e.g. pd-sync init my-curriculum)\n"
    )
    assert _files(workdir / "taken") == ["notes.txt"]


def test_without_a_curriculum_the_error_says_how_to_start(workdir: Path) -> None:
    for command in (["validate"], ["plan", "--sandbox"], ["cohorts"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, command
        assert "start a new curriculum repository with `pd-sync init DIR`" in result.stderr
