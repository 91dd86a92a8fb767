"""Reading the workflows and the composite action, for the tests of tests/test_workflow*.py.

The paths, YAML loading (with `on:` kept a string key), every step of every workflow, the
`pd-sync` command lines in `run:` scripts checked against the click CLI, and `git show` of a
pinned commit.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import click
import yaml

from pd_sync.cli import cli

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
PD_SYNC_WORKFLOW = GITHUB / "workflows" / "pd-sync.yml"
REUSABLE_WORKFLOW = GITHUB / "workflows" / "pd-sync-reusable.yml"
DRIFT_WORKFLOW = GITHUB / "workflows" / "pd-sync-drift.yml"
DRIFT_REUSABLE_WORKFLOW = GITHUB / "workflows" / "pd-sync-drift-reusable.yml"
# Each reusable workflow, and the workflow `pd-sync init` writes to call it.
CALLED = {
    REUSABLE_WORKFLOW: ".github/workflows/pd-sync.yml",
    DRIFT_REUSABLE_WORKFLOW: ".github/workflows/pd-sync-drift.yml",
}
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


def uses_of_the_action(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(uses, step) for each step of `path` that runs pd-sync's composite action."""
    found = []
    for job in load(path)["jobs"].values():
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            if uses == LOCAL_ACTION or uses.split("@")[0].endswith("/.github/actions/pd-sync"):
                found.append((uses, step))
    return found


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


def load_text(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    if True in data:
        data["on"] = data.pop(True)
    return data  # type: ignore[no-any-return]
