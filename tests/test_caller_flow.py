"""The commands a course repository's workflow runs, run as scripts against the sandbox.

The workflow `pd-sync init` writes calls the reusable workflow, whose steps run the composite
action: validate -> plan (a saved plan) -> show -> apply (that saved plan). The chain is
followed through its pinned references (caller -> reusable workflow at its commit -> action at
its commit), and the order of the action's commands is read from the reusable workflow's jobs.
Each test here runs both that pinned action and this repository's own: it takes the action's
`run:` script out of action.yml, fills its `env:` from the inputs the workflows
pass (as the runner would), and runs it with bash in GitHub mode, with GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY and RUNNER_TEMP in a temp dir, against a sandbox Canvas started in this
process (one port for every step; the token comes in through the canvas-token input as in CI).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox
from tests.workflow_files import git_show, load_text

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / ".github" / "actions" / "pd-sync" / "action.yml"
COURSE = 101  # the starter's one cohort
COHORT = "first-cohort"
_INPUT = re.compile(r"^\$\{\{ inputs\.([\w-]+) \}\}$")


@dataclass
class Step:
    """What one run of the action's pd-sync step left behind."""

    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


@dataclass
class Runner:
    """A fake Actions runner: a workspace, RUNNER_TEMP, and the sandbox as Canvas."""

    workspace: Path
    temp: Path
    bin: Path
    sandbox: Sandbox
    action_text: str
    steps_run: int = 0

    def run(self, **inputs: str) -> Step:
        action = yaml.safe_load(self.action_text)
        step = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
        given = {"canvas-url": self.sandbox.base_url, "canvas-token": self.sandbox.token}
        given |= inputs
        self.steps_run += 1
        files = self.temp.parent / f"step{self.steps_run}"
        files.mkdir()
        env = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.temp.parent),
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_OUTPUT": str(files / "output"),
            "GITHUB_STEP_SUMMARY": str(files / "summary"),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "example/course",
            "GITHUB_RUN_ID": "42",
            "PD_SYNC_DATA_DIR": str(self.temp.parent / "data"),
        }
        for name, value in step["env"].items():
            match = _INPUT.match(value)
            assert match, f"{name}: only inputs are passed to the step ({value})"
            key = match.group(1)
            assert key in action["inputs"], key
            env[name] = given.get(key, action["inputs"][key].get("default", ""))
        for path in (files / "output", files / "summary"):
            path.touch()
        # The runner's `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
        script = files / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Step(
            done.returncode,
            done.stdout,
            done.stderr,
            parse_outputs((files / "output").read_text(encoding="utf-8")),
            (files / "summary").read_text(encoding="utf-8"),
        )


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delimiter = line.split("<<", 1)
            value = []
            for inner in lines:
                if inner == delimiter:
                    break
                value.append(inner)
            outputs[name] = "\n".join(value)
        else:
            name, _, value = line.partition("=")
            outputs[name] = value
    return outputs


def _pinned(uses: str, path: str) -> str:
    """The file ``path`` at the commit a ``uses: owner/repo/...@sha`` reference pins."""
    commit = uses.split("#")[0].strip().rsplit("@", 1)[1]
    return git_show(commit, path)


def reached_from_the_caller(workspace: Path) -> tuple[dict[str, Any], str]:
    """What a course repository runs: the caller `init` wrote → the reusable workflow at the
    commit it pins → the composite action at the commit that pins. Returns the reusable
    workflow and the action's text."""
    caller = load_text((workspace / ".github" / "workflows" / "pd-sync.yml").read_text())
    (job,) = caller["jobs"].values()
    reusable = load_text(_pinned(job["uses"], ".github/workflows/pd-sync-reusable.yml"))
    action_uses = {
        step["uses"]
        for called in reusable["jobs"].values()
        for step in called.get("steps", [])
        if "/.github/actions/pd-sync@" in str(step.get("uses", ""))
    }
    (uses,) = action_uses
    return reusable, _pinned(uses, ".github/actions/pd-sync/action.yml")


def action_commands(reusable: dict[str, Any], event: str) -> list[str]:
    """The action's `command` inputs in the order the reusable workflow's jobs run them for
    ``event`` (needs order; steps in order; steps that only run for another event left out)."""
    order: list[str] = []
    left = dict(reusable["jobs"])

    def needs(job: dict[str, Any]) -> set[str]:
        wanted = job.get("needs", [])
        return {wanted} if isinstance(wanted, str) else set(wanted)

    while left:
        ready = [j for j, job in left.items() if needs(job) <= set(order)]
        assert ready, f"jobs waiting on each other: {sorted(left)}"
        order += ready
        for job_id in ready:
            del left[job_id]

    def runs_for(condition: object) -> bool:
        text = str(condition or "")
        return "github.event_name ==" not in text or f"'{event}'" in text

    commands = []
    for job_id in order:
        if not runs_for(reusable["jobs"][job_id].get("if")):
            continue
        for step in reusable["jobs"][job_id].get("steps", []):
            if "/.github/actions/pd-sync@" not in str(step.get("uses", "")):
                continue
            if not runs_for(step.get("if")):
                continue
            commands.append(step["with"]["command"])
    return commands


def test_the_callers_chain_runs_validate_plan_apply_on_push_and_show_on_pull_requests(
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "repo"
    assert CliRunner().invoke(cli, ["init", str(workspace)]).exit_code == 0
    reusable, _ = reached_from_the_caller(workspace)
    assert action_commands(reusable, "push") == ["validate", "plan", "apply"]
    assert action_commands(reusable, "pull_request") == ["validate", "plan", "show"]


@pytest.fixture(params=["this-repository", "caller-pinned"])
def runner(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Runner]:
    """The action as this repository runs it (HEAD), or as a course repository's caller
    reaches it through its pinned references."""
    workspace = tmp_path / "workspace"
    assert CliRunner().invoke(cli, ["init", str(workspace)]).exit_code == 0
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    # `pd-sync` on PATH runs this tree's package, whatever is installed.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "pd-sync"
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m pd_sync "$@"\n',
        encoding="utf-8",
    )
    shim.chmod(0o755)
    sandbox = Sandbox(db_path=str(tmp_path / "canvas.sqlite3"))
    sandbox.start()
    try:
        sandbox.ensure_course(COURSE, COHORT, "America/New_York")
        if request.param == "caller-pinned":
            _, action_text = reached_from_the_caller(workspace)
        else:
            action_text = ACTION.read_text(encoding="utf-8")
        yield Runner(workspace, temp, bin_dir, sandbox, action_text)
    finally:
        sandbox.stop()


def writes(sandbox: Sandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests() if r.method != "GET"]


def edit_page_in_canvas(sandbox: Sandbox, url: str, body: str) -> None:
    """A teacher's edit, through the API as Canvas's editor would send it."""
    data = urllib.parse.urlencode({"wiki_page[body]": body}).encode()
    request = urllib.request.Request(
        f"{sandbox.base_url}/api/v1/courses/{COURSE}/pages/{url}",
        data=data,
        method="PUT",
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200


def test_validate_plan_show_apply_in_order(runner: Runner) -> None:
    validated = runner.run(command="validate", path="curriculum")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "curriculum: valid" in validated.stdout

    listed = runner.run(command="cohorts", path="curriculum")
    assert listed.returncode == 0, listed.stderr
    assert COHORT in listed.outputs["cohorts"]

    runner.sandbox.clear_requests()
    planned = runner.run(command="plan", path="curriculum", cohort=COHORT)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert writes(runner.sandbox) == []  # a plan only reads
    assert planned.outputs["changes"] == "true"
    pending = int(planned.outputs["writes"])
    assert pending > 0
    plan_file = Path(planned.outputs["plan-file"])
    assert plan_file.parent.parent == runner.temp and plan_file.is_file()
    for key in ("markdown-file", "html-file"):
        assert Path(planned.outputs[key]).stat().st_size > 0, key
    assert planned.summary.startswith(f"<!-- pd-sync-plan cohort={COHORT} -->")
    assert (
        Path(planned.outputs["markdown-file"])
        .read_text(encoding="utf-8")
        .startswith(f"<!-- pd-sync-plan cohort={COHORT} -->")
    )

    shown = runner.run(command="show", **{"plan-file": str(plan_file), "markdown-limit": "2000"})
    assert shown.returncode == 0, shown.stdout + shown.stderr
    comment = Path(shown.outputs["markdown-file"]).read_text(encoding="utf-8")
    assert comment.startswith(f"<!-- pd-sync-plan cohort={COHORT} -->")
    assert len(comment) <= 2000
    # The starter's first sync fits whole, so nothing links the run (the CLI's tests cut one).
    assert "actions/runs/42" not in comment

    runner.sandbox.clear_requests()
    applied = runner.run(command="apply", **{"plan-file": str(plan_file)})
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert applied.outputs == {"changes": "true", "applied": str(pending), "failed": "0"}
    assert "::error" not in applied.stdout
    assert len(writes(runner.sandbox)) >= pending
    assert f"Applied {pending} of {pending} changes" in applied.summary
    titles = sorted(row["title"] for row in runner.sandbox.store.rows("pages", COURSE))
    assert "First Steps: Overview" in titles

    again = runner.run(command="plan", path="curriculum", cohort=COHORT)
    assert again.returncode == 0, again.stderr
    assert (again.outputs["changes"], again.outputs["writes"]) == ("false", "0")


def test_a_plan_canvas_moved_away_from_is_refused_with_no_write(runner: Runner) -> None:
    first = runner.run(command="plan", path="curriculum", cohort=COHORT)
    assert runner.run(command="apply", **{"plan-file": first.outputs["plan-file"]}).returncode == 0
    # A reviewed change to one page, planned and waiting for approval...
    week1 = runner.workspace / "curriculum" / "modules" / "first-steps" / "week1.md"
    week1.write_text(week1.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    planned = runner.run(command="plan", path="curriculum", cohort=COHORT)
    assert planned.returncode == 0, planned.stderr
    assert planned.outputs["writes"] == "1"
    # ...while a teacher edits that page in Canvas.
    (page,) = [
        row
        for row in runner.sandbox.store.rows("pages", COURSE)
        if row["title"].startswith("First Steps, Week 1")
    ]
    edit_page_in_canvas(runner.sandbox, page["url"], "<p>Edited by hand.</p>")

    runner.sandbox.clear_requests()
    applied = runner.run(command="apply", **{"plan-file": planned.outputs["plan-file"]})
    assert applied.returncode != 0
    stale = [line for line in applied.stdout.splitlines() if line.startswith("::error")]
    assert len(stale) == 1 and stale[0].startswith("::error title=pd-sync plan is stale::")
    assert "re-run the workflow to plan again" in stale[0]
    assert "plan again" in applied.summary
    assert writes(runner.sandbox) == []
    (after,) = [r for r in runner.sandbox.store.rows("pages", COURSE) if r["id"] == page["id"]]
    assert "Edited by hand." in after["body"]


def test_apply_without_a_plan_file_is_an_input_error(runner: Runner) -> None:
    refused = runner.run(command="apply")
    assert refused.returncode == 1
    assert refused.stdout.startswith("::error title=Invalid input::command 'apply' needs")
    assert writes(runner.sandbox) == []


def test_fail_on_drift_fails_the_step_but_still_hands_over_the_plan(runner: Runner) -> None:
    drifted = runner.run(
        command="plan", path="curriculum", cohort=COHORT, **{"fail-on-drift": "true"}
    )
    assert drifted.returncode == 3, drifted.stdout + drifted.stderr
    assert drifted.outputs["changes"] == "true"
    assert Path(drifted.outputs["plan-file"]).is_file()
    assert Path(drifted.outputs["markdown-file"]).stat().st_size > 0
