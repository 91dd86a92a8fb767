"""What each job of the flows does: the saved plan handed from plan to apply, the approval
environment only on apply and checked first, a manual apply off main failing loudly, prune from
the input or the label, the PR comment's footer, and the drift watch's one issue."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.workflow_files import (
    DRIFT_REUSABLE_WORKFLOW,
    DRIFT_WORKFLOW,
    FLOWS,
    PD_SYNC_WORKFLOW,
    REUSABLE_WORKFLOW,
    jobs,
    load,
)


@pytest.mark.parametrize(
    ("own_flow", "reusable_flow"),
    [(PD_SYNC_WORKFLOW, REUSABLE_WORKFLOW), (DRIFT_WORKFLOW, DRIFT_REUSABLE_WORKFLOW)],
    ids=["flow", "drift"],
)
def test_the_reusable_flow_has_the_same_jobs_as_this_repositorys(
    own_flow: Path, reusable_flow: Path
) -> None:
    """The same graph, conditions and permissions: an edit to one flow must reach the other."""
    own, reusable = jobs(own_flow), jobs(reusable_flow)
    assert set(own) == set(reusable)
    for job_id, job in own.items():
        for key in ("needs", "if", "permissions", "strategy", "concurrency", "timeout-minutes"):
            if key == "concurrency" and job_id == "issue" and own_flow == DRIFT_WORKFLOW:
                continue  # the drift watch here groups the whole workflow instead
            assert reusable[job_id].get(key) == job.get(key), f"{job_id}: {key}"
        ran = [s.get("name", s.get("uses")) for s in job["steps"]]
        assert [s.get("name", s.get("uses")) for s in reusable[job_id]["steps"]] == ran, job_id


def test_a_manual_apply_off_main_fails_loudly() -> None:
    for flow in FLOWS:
        refuse = jobs(flow)["refuse-branch-apply"]
        (step,) = refuse["steps"]
        assert "::error title=" in step["run"] and step["run"].rstrip().endswith("exit 1")
        assert refuse["permissions"] == {}


def test_a_missing_or_unprotected_environment_stops_the_apply() -> None:
    for flow in FLOWS:
        check = jobs(flow)["check-environment"]
        assert check["permissions"] == {"actions": "read"}
        assert "environment" not in check and "secrets." not in json.dumps(check)
        script = check["steps"][0]["run"]
        assert 'gh api "repos/$REPO/environments/$ENVIRONMENT"' in script
        assert "HTTP 404" in script and "required_reviewers" in script
        assert script.count("exit 1") == 2
        assert "check-environment" in jobs(flow)["apply"]["needs"]


def test_only_apply_names_an_environment_and_it_applies_the_plan_jobs_saved_plan() -> None:
    for flow in FLOWS:
        with_environment = {j for j, job in jobs(flow).items() if "environment" in job}
        assert with_environment == {"apply"}, flow.name
        upload = next(
            s for s in jobs(flow)["plan"]["steps"] if "upload-artifact" in s.get("uses", "")
        )
        steps = jobs(flow)["apply"]["steps"]
        download = next(s for s in steps if "download-artifact" in s.get("uses", ""))
        assert download["with"]["name"] == upload["with"]["name"]
        applied = next(s for s in steps if s.get("with", {}).get("command") == "apply")
        assert applied["with"]["plan-file"] == download["with"]["path"] + "/plan.json"
        assert "cohort" not in applied["with"] and "path" not in applied["with"]
        assert steps.index(download) < steps.index(applied)
        gather = next(
            s for s in jobs(flow)["plan"]["steps"] if s.get("name", "").startswith("Gather")
        )
        assert 'cp "$PLAN_FILE" "$keep/plan.json"' in gather["run"]


def test_the_comment_says_how_to_apply_and_whether_prune_is_on() -> None:
    own = load(PD_SYNC_WORKFLOW)
    script = own["jobs"]["comment"]["steps"][-1]["run"]
    assert 'echo "Merge to apply; approval in \\`$ENVIRONMENT\\` required."' in script
    assert own["env"]["ENVIRONMENT"] == own["jobs"]["apply"]["environment"]["name"]
    assert "Prune is on" in script
    reusable = load(REUSABLE_WORKFLOW)
    assert reusable["env"]["ENVIRONMENT"] == "${{ inputs.environment }}"
    assert reusable["jobs"]["apply"]["environment"]["name"] == "${{ inputs.environment }}"


@pytest.mark.parametrize(
    ("event_name", "inputs", "labels", "expected"),
    [
        ("pull_request", {}, [], "false"),
        ("pull_request", {}, ["docs", "pd-sync:prune"], "true"),
        ("workflow_dispatch", {"prune": "true"}, [], "true"),
        ("workflow_dispatch", {"prune": "false"}, [], "false"),
        ("push", {}, [], "false"),
    ],
)
def test_prune_comes_from_the_input_or_the_label(
    tmp_path: Path, event_name: str, inputs: dict[str, str], labels: list[str], expected: str
) -> None:
    workflow = load(PD_SYNC_WORKFLOW)
    step = next(s for s in jobs()["validate"]["steps"] if s.get("id") == "prune")
    output = tmp_path / "output"
    env = {
        "PATH": "/usr/bin:/bin",
        "GITHUB_OUTPUT": str(output),
        "PRUNE_LABEL": workflow["env"]["PRUNE_LABEL"],
        "EVENT": event_name,
        "INPUT_PRUNE": inputs.get("prune", ""),
        "LABELS": json.dumps(labels if event_name == "pull_request" else None),
    }
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", step["run"]], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert output.read_text() == f"prune={expected}\n"
    plan = next(s for s in jobs()["plan"]["steps"] if s.get("id") == "plan")
    assert plan["with"]["prune"] == "${{ needs.validate.outputs.prune }}"


def test_the_drift_watch_runs_daily_and_keeps_one_issue() -> None:
    drift = load(DRIFT_WORKFLOW)
    assert set(drift["on"]) == {"schedule", "workflow_dispatch"}
    assert len(drift["on"]["schedule"]) == 1
    assert drift["concurrency"]["cancel-in-progress"] is False
    plan = drift["jobs"]["plan"]
    assert "environment" not in plan and plan["strategy"]["fail-fast"] is False
    issue = drift["jobs"]["issue"]
    assert issue["needs"] == ["cohorts", "plan"] and issue["if"].startswith("always()")
    script = issue["steps"][-1]["run"]
    assert '--label "$LABEL" --state open' in script
    for verb in ("gh issue close", "gh issue edit", "gh issue create"):
        assert verb in script
    assert drift["env"]["LABEL"] == "pd-sync-drift"
