"""``pd-sync validate`` and ``pd-sync schema``, and how the CLI reports errors, via CliRunner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pd_sync import __version__
from pd_sync.cli.commands import PdSyncGroup, cli
from pd_sync.curriculum import curriculum_schema
from pd_sync.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
LOAD_TESTS = REPO / "tests" / "curriculum"


@pytest.fixture
def in_load_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LOAD_TESTS)


@pytest.mark.usefixtures("in_load_tests")
def test_validate_valid_curriculum_prints_one_summary_line() -> None:
    result = CliRunner().invoke(cli, ["validate", "fixtures/valid"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "fixtures/valid: valid — 1 module, 3 weeks, 8 pages, 2 deliverables, 2 group sets, "
        "1 cohort\n"
    )
    assert result.stderr == ""


@pytest.mark.usefixtures("in_load_tests")
def test_validate_malformed_curriculum_prints_every_problem_and_the_count() -> None:
    result = CliRunner().invoke(cli, ["validate", "cases/many_problems_sorted"])
    assert result.exit_code == 1
    assert result.stdout == ""
    expected = (LOAD_TESTS / "cases/many_problems_sorted/expected.txt").read_text("utf-8")
    lines = ["cases/many_problems_sorted/" + line for line in expected.splitlines()]
    assert result.stderr.splitlines() == [
        *lines,
        "4 problems found; nothing was sent to Canvas.",
    ]


@pytest.mark.usefixtures("in_load_tests")
def test_validate_single_problem_uses_singular_count() -> None:
    result = CliRunner().invoke(cli, ["validate", "cases/dangling_group_set"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "1 problem found; nothing was sent to Canvas."


@pytest.mark.usefixtures("in_load_tests")
def test_validate_missing_directory_is_a_located_problem() -> None:
    result = CliRunner().invoke(cli, ["validate", "no/such/dir"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "no/such/dir:1:1: no curriculum directory found"
    )


def test_validate_defaults_to_the_curriculum_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 1
    assert result.stderr.startswith("curriculum:1:1: no curriculum directory found")


def test_schema_prints_the_json_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == curriculum_schema()
    assert result.stdout == (REPO / "schema/curriculum.schema.json").read_text("utf-8")


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"pd-sync, version {__version__}\n"


def test_every_command_has_help_text() -> None:
    for name, command in cli.commands.items():
        assert command.help, f"pd-sync {name} has no help text"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name


def _group_raising(error: Exception) -> click.Group:
    """A group built like ``cli`` whose one command raises ``error``."""

    @click.group(cls=PdSyncGroup)
    @click.option("--debug", is_flag=True)
    def group(debug: bool) -> None:
        """Test group."""

    @group.command()
    def boom() -> None:
        """Raise."""
        raise error

    return group


def test_pd_sync_error_becomes_its_message_and_exit_1() -> None:
    group = _group_raising(ConfigError("no Canvas URL: set CANVAS_API_URL"))
    result = CliRunner().invoke(group, ["boom"])
    assert result.exit_code == 1
    assert result.stderr == "no Canvas URL: set CANVAS_API_URL\n"
    assert result.stdout == ""


def test_unexpected_error_is_an_internal_error_with_a_hint() -> None:
    result = CliRunner().invoke(_group_raising(KeyError("x")), ["boom"])
    assert result.exit_code == 1
    assert result.stderr == (
        "internal error: KeyError: 'x'; rerun with --debug to see the traceback\n"
    )


def test_unexpected_error_shows_the_traceback_under_debug() -> None:
    result = CliRunner().invoke(_group_raising(KeyError("x")), ["--debug", "boom"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.endswith("internal error: KeyError: 'x'; this is a bug in pd-sync\n")


def test_usage_errors_stay_click_usage_errors_and_exit_1() -> None:
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 1  # 2 is --detailed-exitcode's "changes pending"
    assert "No such command" in result.stderr


def test_python_dash_m_pd_sync_help() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "pd_sync", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "validate" in result.stdout
    assert "schema" in result.stdout


def test_python_dash_m_pd_sync_validate_exit_code() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "pd_sync", "validate", "cases/dangling_group_set"],
        capture_output=True,
        text=True,
        cwd=LOAD_TESTS,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("cases/dangling_group_set/curriculum.yml:29:27: unknown")


def test_validate_refuses_a_page_linked_to_the_environment_without_printing_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The pull-request attack: a page whose Markdown is a link to the plan job's environment.
    curriculum = tmp_path / "curriculum"
    shutil.copytree(LOAD_TESTS / "fixtures/valid", curriculum)
    networking = curriculum / "supplemental" / "networking.md"
    networking.unlink()
    networking.symlink_to("/proc/self/environ")
    monkeypatch.setenv("CANVAS_API_TOKEN", "secret-sentinel")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "curriculum"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "curriculum/supplemental/pages.yml:3:13: 'networking.md' resolves outside the "
        "curriculum directory at pages[0].source; replace the symbolic link with the file "
        "itself, inside the curriculum directory",
        "1 problem found; nothing was sent to Canvas.",
    ]
    assert "secret-sentinel" not in result.output
    assert "CANVAS_API_TOKEN" not in result.output
