"""Ordinary mistakes are one line naming the fix and exit 1, never an "internal error"; and
``--debug`` / ``-h`` are accepted wherever a person types them."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")


@pytest.fixture
def env(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    return {
        "CANVAS_API_URL": sandbox.base_url,
        "CANVAS_API_TOKEN": sandbox.token,
        "PD_SYNC_DATA_DIR": str(tmp_path / "data"),
        "GITHUB_ACTIONS": "",
    }


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def _one_line(result: Result, *said: str) -> str:
    assert result.exit_code == 1, result.output
    line = result.stderr.strip()
    assert "\n" not in line and "internal error" not in line, line
    for words in said:
        assert words in line, line
    return line


def test_busy_port(busy_port: int, tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--port", str(busy_port), "--db", db])
    line = _one_line(result, f"127.0.0.1:{busy_port}", "pass another --port, or --port 0")
    assert "in use" in line


def test_bad_port(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--port", "70000", "--db", db])
    assert result.exit_code == 1
    assert "'--port': 70000 is not in the range 0<=x<=65535" in result.stderr
    assert "internal error" not in result.stderr


def test_unwritable_db(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    db = str(blocker / "c.sqlite3")
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--db", db])
    _one_line(result, f"cannot open the sandbox database {db}", "pass --db FILE in a folder")


@pytest.mark.parametrize(
    "args", [["sandbox", "serve"], ["apply", CURRICULUM, "--sandbox", "--yes"]]
)
def test_unwritable_data_dir(tmp_path: Path, args: list[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, args, env={"PD_SYNC_DATA_DIR": str(blocker / "data")})
    _one_line(result, f"cannot make the data directory {blocker / 'data'}", "set PD_SYNC_DATA_DIR")


def test_html_into_a_missing_folder_is_refused_before_planning(
    sandbox: Sandbox, env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "no-such-dir" / "r.html"
    result = CliRunner().invoke(cli, ["plan", CURRICULUM, "--html", str(target)], env=env)
    _one_line(result, f"cannot write --html {target}: the folder", "does not exist; create it")
    assert result.stdout == ""
    assert sandbox.requests() == []


def test_empty_token_file(sandbox: Sandbox, env: dict[str, str], tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("\n", encoding="utf-8")
    args = ["plan", CURRICULUM, "--token-file", str(token_file)]
    result = CliRunner().invoke(cli, args, env=env)
    _one_line(result, f"--token-file {token_file} is empty: put the Canvas API token in it")
    assert sandbox.requests() == []


def test_a_course_url_as_url(sandbox: Sandbox, env: dict[str, str]) -> None:
    args = ["plan", CURRICULUM, "--url", "https://x.instructure.com/courses/12"]
    result = CliRunner().invoke(cli, args, env=env)
    _one_line(
        result,
        "is a course's address: pass the Canvas base URL 'https://x.instructure.com' as --url",
        "--course 12",
    )


def test_sandbox_with_url(env: dict[str, str], tmp_path: Path) -> None:
    args = ["apply", CURRICULUM, "--sandbox", "--url", "https://canvas.example.edu", "--yes"]
    result = CliRunner().invoke(cli, args, env=env)
    _one_line(result, "--sandbox and --url are alternatives")
    assert not (tmp_path / "data").exists()  # no sandbox was started


def test_concurrency_from_the_environment_must_be_a_number(
    sandbox: Sandbox, env: dict[str, str]
) -> None:
    result = CliRunner().invoke(
        cli, ["apply", CURRICULUM, "--yes"], env={**env, "PD_SYNC_CONCURRENCY": "abc"}
    )
    _one_line(result, "PD_SYNC_CONCURRENCY='abc' is not a whole number from 1 to 12: set it")
    assert sandbox.requests() == []


def test_debug_after_the_command() -> None:
    result = CliRunner().invoke(cli, ["validate", CURRICULUM, "--debug"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


def _every_command(group: click.Group, path: list[str]) -> Iterator[list[str]]:
    yield path
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _every_command(command, [*path, name])
        else:
            yield [*path, name]


def test_dash_h_is_help_everywhere() -> None:
    for path in _every_command(cli, []):
        result = CliRunner().invoke(cli, [*path, "-h"], prog_name="pd-sync")
        assert result.exit_code == 0, (path, result.output)
        assert result.stdout.startswith(f"Usage: pd-sync {' '.join(path)}".rstrip()), path
