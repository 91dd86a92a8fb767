"""``--json`` on validate, plan and apply: one JSON object on stdout whatever happens, errors
included, with the exit code unchanged (docs/plan-json.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox
from tests.cli.terminal import apply_then_refuse_writes, env_for, writes

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")
LOAD_TESTS = ROOT / "tests" / "curriculum"
MALFORMED = str(LOAD_TESTS / "cases" / "many_problems_sorted")


@pytest.fixture
def env(sandbox: Sandbox) -> dict[str, str]:
    return {
        "CANVAS_API_URL": sandbox.base_url,
        "CANVAS_API_TOKEN": sandbox.token,
        "GITHUB_ACTIONS": "",
    }


def test_validate_json_when_valid() -> None:
    result = CliRunner().invoke(cli, ["validate", CURRICULUM, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert document["summary"].startswith("1 module, 6 weeks")


@pytest.mark.parametrize("command", ["validate", "plan", "apply"])
def test_a_malformed_curriculum_is_a_json_error_with_every_problem(
    sandbox: Sandbox, env: dict[str, str], command: str
) -> None:
    result = CliRunner().invoke(cli, [command, MALFORMED, "--json"], env=env)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    error = document["error"]
    assert error["kind"] == "CurriculumError"
    assert error["message"].endswith("4 problems found; nothing was sent to Canvas.")
    assert len(error["problems"]) == 4
    first = error["problems"][0]
    assert set(first) == {"file", "line", "column", "message"}
    assert first["file"].endswith(".yml") and first["line"] >= 1 and first["column"] >= 1
    assert "4 problems found" in result.stderr  # the person still reads it on stderr
    assert sandbox.requests() == []


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_rejected_token_is_a_json_error(env: dict[str, str], command: str) -> None:
    args = [command, CURRICULUM, "--json", "--yes"][: 3 if command == "plan" else 4]
    result = CliRunner().invoke(cli, args, env={**env, "CANVAS_API_TOKEN": "wrong-token"})
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document == {
        "ok": False,
        "error": {
            "kind": "CanvasAuthError",
            "message": document["error"]["message"],
            "problems": [],
        },
    }
    assert "wrong-token" not in result.stdout


def test_a_usage_error_inside_the_command_is_json_too(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["plan", CURRICULUM, "--json", "--markdown"], env=env)
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "UsageError"
    assert "--json and --markdown are alternatives" in error["message"]


def test_apply_json_reports_every_write(sandbox: Sandbox, env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["apply", CURRICULUM, "--json", "--yes"], env=env)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)  # nothing but the one object on stdout
    assert document["ok"] is True and document["dry_run"] is False
    assert document["plan"]["schema_version"] == 1
    outcome = document["result"]
    assert outcome["applied"] == outcome["planned"] == document["plan"]["summary"]["writes"]
    assert outcome["failed"] == 0 and outcome["interrupted"] is False
    assert {a["status"] for a in outcome["actions"]} == {"done"}
    assert len(writes(sandbox)) >= outcome["applied"]
    assert "done: " in result.stderr  # the per-action lines moved off stdout


def test_apply_json_when_writes_fail(sandbox: Sandbox, tmp_path: Path) -> None:
    """Asked on the terminal, answered after Canvas starts refusing: the JSON says which."""
    out = tmp_path / "out.json"
    code, seen = apply_then_refuse_writes(sandbox, [CURRICULUM, "--json"], out, env_for(sandbox))
    assert code == 1, seen
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["ok"] is False
    assert document["error"]["kind"] == "ApplyError"
    assert document["result"]["failed"] >= 1
    assert "failed" in {a["status"] for a in document["result"]["actions"]}
