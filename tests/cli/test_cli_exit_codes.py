"""Exit codes: 0 done, 1 every error (click's usage errors too), 2 changes pending, 130
interrupted — and where they are written down (``--help``, README)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["apply", CURRICULUM, "--no-such-option"], "No such option"),
        (["plan", CURRICULUM, "--course", "twelve"], "is not a valid integer"),
        (["apply", CURRICULUM, "--concurrency", "99"], "not in the range"),
        (["plan", CURRICULUM, "--cohort"], "requires an argument"),
        (["import", "jekyll"], "Missing argument"),
        (["--no-such-option", "plan"], "No such option"),
        (["no-such-command"], "No such command"),
    ],
)
def test_usage_errors_exit_1_not_2(sandbox: Sandbox, args: list[str], said: str) -> None:
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 1, result.output
    assert said in result.stderr
    assert result.stdout == ""
    assert sandbox.requests() == []


def test_ctrl_c_outside_apply_exits_130() -> None:
    @click.group(cls=type(cli))
    def group() -> None:
        """Test group."""

    @group.command()
    def wait() -> None:
        """Be interrupted."""
        raise KeyboardInterrupt

    result = CliRunner().invoke(group, ["wait"])
    assert result.exit_code == 130
    assert "Interrupted." in result.stderr


def test_help_and_readme_list_the_exit_codes() -> None:
    shown = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    assert (
        "Exit codes: 0 done or no changes; 1 error (usage errors too); 2 changes pending "
        "(plan --detailed-exitcode); 3 drift (plan --fail-on-drift); 130 interrupted (Ctrl-C)."
        in shown
    )
    section = README.split("## Exit codes", 1)[1].split("\n#", 1)[0]
    for code in ("`0`", "`1`", "`2`", "`3`", "`130`"):
        assert code in section, code
    assert "usage error" in section
