"""Saved plans through the real CLI against the sandbox: ``plan --out`` → ``apply FILE`` sends
exactly the saved actions, and refuses (exit 1, no write) when Canvas, the curriculum, the
target or the plan's age changed; ``show`` renders the file without reaching Canvas."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import requests
from click.testing import CliRunner, Result
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox
from tests.cli.terminal import apply_then_refuse_writes, env_for

ROOT = Path(__file__).resolve().parents[2]
WEEK1 = "modules/mod1/week1.md"


@pytest.fixture
def curriculum(tmp_path: Path) -> Path:
    root = tmp_path / "curriculum"
    shutil.copytree(ROOT / "curriculum", root)
    return root


@pytest.fixture
def args(sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.delenv("PD_SYNC_PLAN_MAX_AGE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    token = tmp_path / "token"
    token.write_text(sandbox.token, encoding="utf-8")
    return ["--url", sandbox.base_url, "--token-file", str(token)]


def run(*words: str) -> Result:
    return CliRunner().invoke(cli, list(words))


def writes(sandbox: Sandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests() if r.method != "GET"]


def synced_with_one_change(sandbox: Sandbox, curriculum: Path, args: list[str]) -> Path:
    """The curriculum applied, then week 1 edited: the next plan is one page update."""
    first = run("apply", str(curriculum), *args, "--yes")
    assert first.exit_code == 0, first.output
    page = curriculum / WEEK1
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    sandbox.clear_requests()
    return page


def saved_one_change(sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path) -> Path:
    """``synced_with_one_change``, then that one change planned into a saved plan."""
    synced_with_one_change(sandbox, curriculum, args)
    saved = tmp_path / "plan.json"
    planned = run("plan", str(curriculum), *args, "--out", str(saved))
    assert planned.exit_code == 0, planned.output
    return saved


def week1_url(sandbox: Sandbox) -> str:
    pages = [p for p in sandbox.store.rows("pages", 1) if p["workflow_state"] != "deleted"]
    return str(next(p["url"] for p in pages if "Week 1" in str(p["title"])))


def test_apply_file_sends_exactly_the_saved_actions(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    synced_with_one_change(sandbox, curriculum, args)
    saved = tmp_path / "plan.json"
    planned = run("plan", str(curriculum), *args, "--out", str(saved))
    assert planned.exit_code == 0, planned.output
    assert writes(sandbox) == []  # planning sends only GETs
    document = json.loads(saved.read_text(encoding="utf-8"))
    actions = [a for a in document["plan"]["actions"] if a["writes"]]
    assert [a["action"] for a in actions] == ["UpdatePage"]

    reads_to_plan = len(sandbox.requests())
    sandbox.clear_requests()
    applied = run("apply", str(saved), *args, "--yes")
    assert applied.exit_code == 0, applied.output
    url = week1_url(sandbox)
    assert writes(sandbox) == [f"PUT /api/v1/courses/1/pages/{url}"]
    # One observation to check the fingerprints (as many reads as the plan took), no more.
    reads = [r for r in sandbox.requests() if r.method == "GET"]
    assert len(reads) == reads_to_plan
    body = next(p["body"] for p in sandbox.store.rows("pages", 1) if p["url"] == url)
    assert "One more line." in str(body)
    again = run("plan", str(curriculum), *args, "--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_a_first_sync_from_a_file_makes_what_the_file_lists(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    assert run("plan", str(curriculum), *args, "--out", str(saved)).exit_code == 0
    document = json.loads(saved.read_text(encoding="utf-8"))
    creates = [a["title"] for a in document["plan"]["actions"] if a["action"] == "CreatePage"]
    applied = run("apply", str(saved), *args, "--yes")
    assert applied.exit_code == 0, applied.output
    titles = sorted(
        str(p["title"])
        for p in sandbox.store.rows("pages", 1)
        if p["workflow_state"] != "deleted" and "ownership record" not in str(p["title"])
    )
    assert titles == sorted(creates)
    assert run("plan", str(curriculum), *args, "--detailed-exitcode").exit_code == 0


def test_a_page_edited_in_canvas_between_plan_and_apply_is_refused(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    saved = saved_one_change(sandbox, curriculum, args, tmp_path)
    url = week1_url(sandbox)
    edit = requests.put(
        f"{sandbox.base_url}/api/v1/courses/1/pages/{url}",
        headers={"Authorization": f"Bearer {sandbox.token}"},
        data={"wiki_page[body]": "<p>edited by hand</p>"},
        timeout=10,
    )
    assert edit.status_code == 200
    sandbox.clear_requests()
    refused = run("apply", str(saved), *args, "--yes")
    assert refused.exit_code == 1, refused.output
    assert f"page url={url}: changed in Canvas since the plan" in refused.output
    assert "nothing was sent to Canvas" in refused.output
    assert writes(sandbox) == []
    body = next(p["body"] for p in sandbox.store.rows("pages", 1) if p["url"] == url)
    assert "edited by hand" in str(body)


def test_an_edit_to_a_page_the_plan_does_not_touch_does_not_void_it(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    saved = saved_one_change(sandbox, curriculum, args, tmp_path)
    made = requests.post(
        f"{sandbox.base_url}/api/v1/courses/1/pages",
        headers={"Authorization": f"Bearer {sandbox.token}"},
        data={"wiki_page[title]": "A teacher's page", "wiki_page[body]": "<p>hi</p>"},
        timeout=10,
    )
    assert made.status_code == 200
    sandbox.clear_requests()
    applied = run("apply", str(saved), *args, "--yes")
    assert applied.exit_code == 0, applied.output
    assert len(writes(sandbox)) == 1


def test_a_curriculum_edit_between_plan_and_apply_is_refused(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    saved = saved_one_change(sandbox, curriculum, args, tmp_path)
    page = curriculum / WEEK1
    page.write_text(page.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    sandbox.clear_requests()
    refused = run("apply", str(saved), *args, "--yes")
    assert refused.exit_code == 1, refused.output
    assert "asks for something else than when the plan was made" in refused.output
    assert writes(sandbox) == []


def test_an_old_plan_is_refused_and_the_age_is_configurable(
    sandbox: Sandbox,
    curriculum: Path,
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = saved_one_change(sandbox, curriculum, args, tmp_path)
    text = saved.read_text(encoding="utf-8")
    two_days_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    saved.write_text(
        re.sub(r'"created_at": "[^"]+"', f'"created_at": "{two_days_ago}"', text),
        encoding="utf-8",
    )
    sandbox.clear_requests()
    refused = run("apply", str(saved), *args, "--yes")
    assert refused.exit_code == 1, refused.output
    assert "made 2 days ago, longer than the 1 day allowed" in refused.output
    assert writes(sandbox) == []
    monkeypatch.setenv("PD_SYNC_PLAN_MAX_AGE", "nonsense")
    bad = run("apply", str(saved), *args, "--yes")
    assert bad.exit_code == 1 and "PD_SYNC_PLAN_MAX_AGE 'nonsense' is not a duration" in bad.output
    applied = run("apply", str(saved), *args, "--yes", "--max-age", "3d")
    assert applied.exit_code == 0, applied.output
    assert len(writes(sandbox)) == 1


def test_a_saved_plan_fixes_its_target(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    assert run("plan", str(curriculum), *args, "--out", str(saved)).exit_code == 0
    sandbox.clear_requests()
    for flag in (["--cohort", "2701-example"], ["--prune"], ["--course", "1"]):
        mistaken = run("apply", str(saved), *args, "--yes", *flag)
        assert mistaken.exit_code == 1
        assert f"{flag[0]} does not go with a saved plan" in mistaken.output
    other = run("apply", str(saved), "--sandbox", "--yes")
    assert other.exit_code == 1
    assert "the saved plan is for Canvas at http://127.0.0.1" in other.output
    assert sandbox.requests() == []


def test_apply_file_dry_run_checks_and_sends_nothing(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    saved = saved_one_change(sandbox, curriculum, args, tmp_path)
    checked = run("apply", str(saved), *args, "--dry-run")
    assert checked.exit_code == 0, checked.output
    assert "The saved plan still applies" in checked.output
    assert "Dry run: nothing was sent to Canvas." in checked.output
    assert writes(sandbox) == []


def test_show_renders_the_file_in_every_format_without_canvas(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    synced_with_one_change(sandbox, curriculum, args)
    saved = tmp_path / "plan.json"
    planned = run("plan", str(curriculum), *args, "--out", str(saved), "--json")
    assert planned.exit_code == 0
    sandbox.clear_requests()
    text = run("show", str(saved))
    assert text.exit_code == 0, text.output
    assert "Saved plan made" in text.output and "~ page" in text.output
    as_json = run("show", str(saved), "--json")
    assert json.loads(as_json.stdout) == json.loads(planned.stdout)
    markdown = run("show", str(saved), "--markdown", "--limit", "3000")
    assert markdown.output.startswith("<!-- pd-sync-plan cohort=2701-example -->")
    assert len(markdown.output) <= 3000
    html = tmp_path / "plan.html"
    assert run("show", str(saved), "--html", str(html)).exit_code == 0
    assert "<html" in html.read_text(encoding="utf-8")
    assert sandbox.requests() == []


def test_show_and_apply_say_what_is_wrong_with_a_file(tmp_path: Path) -> None:
    broken = tmp_path / "plan.json"
    broken.write_text('{"format": "pd-sync saved plan", "format_version": 9}', encoding="utf-8")
    shown = run("show", str(broken))
    assert shown.exit_code == 1
    assert "format version 9; this pd-sync reads version 1" in shown.output
    not_json = tmp_path / "notes.txt"
    not_json.write_text("hello", encoding="utf-8")
    applied = run("apply", str(not_json), "--sandbox", "--yes")
    assert applied.exit_code == 1 and "notes.txt:1:1: not JSON" in applied.output


def test_fail_on_drift_exits_3_only_when_the_course_differs(
    sandbox: Sandbox, curriculum: Path, args: list[str]
) -> None:
    drifted = run("plan", str(curriculum), *args, "--fail-on-drift")
    assert drifted.exit_code == 3, drifted.output
    assert "Drift: the course differs from the curriculum" in drifted.output
    assert run("apply", str(curriculum), *args, "--yes").exit_code == 0
    clean = run("plan", str(curriculum), *args, "--fail-on-drift")
    assert clean.exit_code == 0, clean.output


def test_a_stale_plan_in_github_mode_is_an_annotation_and_a_summary_line(
    sandbox: Sandbox,
    curriculum: Path,
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = saved_one_change(sandbox, curriculum, args, tmp_path)
    (curriculum / WEEK1).write_text("# Week 1\n\nRewritten.\n", encoding="utf-8")
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    refused = run("apply", str(saved), *args, "--yes")
    assert refused.exit_code == 1
    annotation = next(
        line for line in refused.output.splitlines() if line.startswith("::error title=")
    )
    assert annotation.startswith("::error title=pd-sync plan is stale::")
    assert "re-run the workflow to plan again" in annotation
    text = summary.read_text(encoding="utf-8")
    assert "**pd-sync plan is stale: nothing was sent to Canvas.**" in text
    assert "asks for something else" in text


def test_each_failed_write_is_an_annotation_and_a_summary_row(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Canvas starts refusing after the question is answered: every write fails with 422, and
    the job gets one ``::error::`` per write and a table of them in its summary."""
    summary, stdout_file = tmp_path / "summary.md", tmp_path / "stdout"
    env = {
        **env_for(sandbox),
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(tmp_path / "outputs"),
    }
    code, seen = apply_then_refuse_writes(sandbox, [str(ROOT / "curriculum")], stdout_file, env)
    assert code == 1, seen
    lines = stdout_file.read_text(encoding="utf-8").splitlines()
    errors = [line for line in lines if line.startswith("::error title=pd-sync could not")]
    # Canvas refused the record's announcement, so nothing else was sent: one error for the
    # refused write (naming it and quoting Canvas), one warning for all that was skipped.
    assert len(errors) == 1
    assert errors[0].startswith(
        "::error title=pd-sync could not write an ownership record::~ ownership record"
    )
    assert "Canvas rejected create page" in errors[0] and "unprocessable_entity" in errors[0]
    warnings = [line for line in lines if line.startswith("::warning title=pd-sync skipped")]
    assert len(warnings) == 1 and re.search(r"::\d+ changes were not sent", warnings[0])
    table = summary.read_text(encoding="utf-8")
    assert "#### Failed changes" in table
    failed_rows = [
        row for row in table.splitlines() if row.startswith("| ") and "| failed |" in row
    ]
    assert len(failed_rows) >= 1
    outputs = (tmp_path / "outputs").read_text(encoding="utf-8")
    assert re.search(r"^failed=[1-9]", outputs, re.M)


def test_the_file_follows_its_documented_schema(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    assert run("plan", str(curriculum), *args, "--out", str(saved)).exit_code == 0
    docs = ROOT / "docs"
    plan_schema = json.loads((docs / "plan-json.schema.json").read_text(encoding="utf-8"))
    schema = json.loads((docs / "saved-plan.schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(
        "plan-json.schema.json",
        Resource.from_contents(plan_schema, default_specification=DRAFT202012),
    )
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    document = json.loads(saved.read_text(encoding="utf-8"))
    validator.validate(document)
    document["fingerprints"]["page url=x"] = "not a digest"
    assert not validator.is_valid(document)


def test_show_cuts_to_the_limit_and_links_the_full_report(
    sandbox: Sandbox, curriculum: Path, args: list[str], tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    assert run("plan", str(curriculum), *args, "--out", str(saved)).exit_code == 0
    url = "https://github.example/org/course/actions/runs/42"
    whole = run("show", str(saved), "--markdown", "--report-url", url)
    assert whole.exit_code == 0 and url not in whole.stdout  # nothing cut: no link needed
    cut = run("show", str(saved), "--markdown", "--limit", "2000", "--report-url", url)
    assert cut.exit_code == 0, cut.output
    assert len(cut.stdout) <= 2000 < len(whole.stdout)
    assert f"]({url})" in cut.stdout
