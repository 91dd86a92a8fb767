"""plan / apply / cohorts through click's CliRunner, checking the sandbox's stored state."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PD_SYNC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CANVAS_API_TOKEN", raising=False)
    monkeypatch.delenv("CANVAS_API_URL", raising=False)
    return tmp_path / "data"


def _stored(data_dir: Path, table: str) -> list[dict[str, object]]:
    store = Sandbox(db_path=str(data_dir / "sandbox.sqlite3"))
    return [r for r in store.store.rows(table, 1) if r["workflow_state"] != "deleted"]


def _writes(sandbox: Sandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests() if r.method != "GET"]


def test_apply_sandbox_twice_second_reports_no_changes(data_dir: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["apply", CURRICULUM, "--sandbox", "--yes"])
    assert first.exit_code == 0, first.output
    assert "Applied" in first.output and "0 failed" in first.output
    pages = _stored(data_dir, "pages")
    assert len(pages) > 10

    second = runner.invoke(cli, ["apply", CURRICULUM, "--sandbox", "--yes"])
    assert second.exit_code == 0, second.output
    assert "No changes: the course matches the curriculum." in second.output
    assert "Applied" not in second.output
    assert _stored(data_dir, "pages") == pages


def test_plan_detailed_exitcode_and_json(data_dir: Path) -> None:
    runner = CliRunner()
    pending = runner.invoke(cli, ["plan", CURRICULUM, "--sandbox", "--detailed-exitcode"])
    assert pending.exit_code == 2, pending.output
    assert "+ page" in pending.output
    assert _stored(data_dir, "pages") == []  # plan writes nothing

    as_json = runner.invoke(cli, ["plan", CURRICULUM, "--sandbox", "--json"])
    assert as_json.exit_code == 0
    data = json.loads(as_json.output)
    assert data["schema_version"] == 1
    assert data["summary"]["writes"] == len([a for a in data["actions"] if a["writes"]])
    assert {a["action"] for a in data["actions"]} >= {"CreatePage", "CreateModule"}

    runner.invoke(cli, ["apply", CURRICULUM, "--sandbox", "--yes"])
    clean = runner.invoke(cli, ["plan", CURRICULUM, "--sandbox", "--detailed-exitcode"])
    assert clean.exit_code == 0, clean.output


def test_apply_dry_run_sends_no_write(sandbox: Sandbox, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(sandbox.token + "\n", encoding="utf-8")
    args = ["--url", sandbox.base_url, "--token-file", str(token_file)]
    result = CliRunner().invoke(cli, ["apply", CURRICULUM, *args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was sent to Canvas." in result.output
    assert sandbox.requests() and _writes(sandbox) == []


def test_apply_without_yes_off_a_terminal_refuses(sandbox: Sandbox) -> None:
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    result = CliRunner().invoke(cli, ["apply", CURRICULUM], env=env)
    assert result.exit_code == 1
    assert "pass --yes" in result.output
    assert _writes(sandbox) == []


def test_apply_with_env_credentials_and_course_override(sandbox: Sandbox) -> None:
    sandbox.ensure_course(77, "Other cohort", "America/Denver")
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    result = CliRunner().invoke(cli, ["apply", CURRICULUM, "--course", "77", "--yes"], env=env)
    assert result.exit_code == 0, result.output
    assert sandbox.store.rows("pages", 77) and not sandbox.store.rows("pages", 1)


def test_prune_flag_deletes_only_owned_orphans(sandbox: Sandbox, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "curriculum"
    shutil.copytree(CURRICULUM, copy)
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    assert CliRunner().invoke(cli, ["apply", str(copy), "--yes"], env=env).exit_code == 0
    module_file = next(copy.rglob("module.yml"))
    text = module_file.read_text(encoding="utf-8")
    # Drop the repeat plan: its page leaves the curriculum (kept without --prune).
    lines = [line for line in text.splitlines() if not line.strip().startswith("repeat_plan:")]
    module_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kept = CliRunner().invoke(cli, ["plan", str(copy)], env=env)
    assert kept.exit_code == 0, kept.output
    before = len([p for p in sandbox.store.rows("pages", 1) if p["workflow_state"] != "deleted"])
    pruned = CliRunner().invoke(cli, ["apply", str(copy), "--yes", "--prune"], env=env)
    assert pruned.exit_code == 0, pruned.output
    after = len([p for p in sandbox.store.rows("pages", 1) if p["workflow_state"] != "deleted"])
    assert after <= before


def test_bad_url_and_missing_token_are_config_errors(data_dir: Path) -> None:
    runner = CliRunner()
    no_token = runner.invoke(cli, ["plan", CURRICULUM, "--url", "https://canvas.example.edu"])
    assert no_token.exit_code == 1
    assert "CANVAS_API_TOKEN" in no_token.output
    plain_http = runner.invoke(
        cli, ["plan", CURRICULUM, "--url", "http://canvas.example.edu", "--token", "abc"]
    )
    assert plain_http.exit_code == 1
    assert "https://" in plain_http.output


def test_cohorts_json_is_a_matrix() -> None:
    result = CliRunner().invoke(cli, ["cohorts", CURRICULUM, "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert rows and {"cohort", "course_id", "start_date"} <= set(rows[0])


def test_missing_course_is_one_clear_line(sandbox: Sandbox) -> None:
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    result = CliRunner().invoke(cli, ["plan", CURRICULUM, "--course", "999"], env=env)
    assert result.exit_code == 1
    assert "course 999 not found" in result.output
    assert "not visible to this token" in result.output
    assert "Traceback" not in result.output


def test_apply_with_a_quiz_submission_type_sends_nothing(sandbox: Sandbox, tmp_path: Path) -> None:
    curriculum = tmp_path / "curriculum"
    shutil.copytree(CURRICULUM, curriculum)
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    module = curriculum / "modules" / "mod1" / "module.yml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("[online_text_entry]", "[online_quiz]", 1), "utf-8")
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}

    result = CliRunner().invoke(cli, ["apply", str(curriculum), "--yes"], env=env)

    assert result.exit_code == 1
    (problem,) = [line for line in result.stderr.splitlines() if "online_quiz" in line]
    assert "module.yml:" in problem and "unsupported submission type 'online_quiz'" in problem
    assert "use online_text_entry" in problem
    assert sandbox.requests() == []
