"""The references the flows pin, and the dependency lock the composite action installs.

The reusable workflow names the composite action by owner/repo@sha and the workflow `pd-sync
init` writes names the reusable workflow the same way: each commit must exist in this
repository's history and carry the inputs (and, for the action, the CLI options) used at the
other end. The lock pins every runtime dependency of pyproject.toml to one version with hashes.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pd_sync import starter
from tests.workflow_files import (
    ACTION,
    CALLED,
    ROOT,
    check_command_line,
    git_show,
    jobs,
    load,
    load_text,
    pd_sync_invocations,
    uses_of_the_action,
    workflow_files,
)


def test_self_references_only_where_the_workflow_runs_in_this_repository() -> None:
    """A `$/` step in a called workflow resolves against the caller's repository."""
    for path in workflow_files():
        called = "workflow_call" in load(path)["on"]
        for uses, _ in uses_of_the_action(path):
            assert uses.startswith("$/") != called, f"{path.name}: {uses}"
    for called in CALLED:
        reusable = [uses for uses, _ in uses_of_the_action(called)]
        assert reusable and len(set(reusable)) == 1, called.name
        repository, _, rest = reusable[0].partition("/.github/actions/pd-sync@")
        assert repository == starter.GITHUB_REPOSITORY
        assert re.fullmatch(r"[0-9a-f]{40}", rest)


@pytest.mark.parametrize("called", list(CALLED), ids=[c.stem for c in CALLED])
def test_the_reusable_workflows_pinned_action_takes_every_input_it_is_given(called: Path) -> None:
    (uses, _), *_ = uses_of_the_action(called)
    commit = uses.rsplit("@", 1)[1]
    pinned = yaml.safe_load(git_show(commit, ".github/actions/pd-sync/action.yml"))
    for _, step in uses_of_the_action(called):
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


@pytest.mark.parametrize("called", list(CALLED), ids=[c.stem for c in CALLED])
def test_the_caller_that_init_writes_matches_the_reusable_workflow_it_pins(called: Path) -> None:
    caller = yaml.safe_load(starter.template_files()[CALLED[called]])
    (job,) = caller["jobs"].values()
    relative = f".github/workflows/{called.name}"
    expected = f"{starter.GITHUB_REPOSITORY}/{relative}@{starter.WORKFLOW_COMMIT}"
    assert job["uses"] == expected
    current = load(called)["on"]["workflow_call"]
    pinned = load_text(git_show(starter.WORKFLOW_COMMIT, relative))
    for interface in (current, pinned["on"]["workflow_call"]):
        assert set(job["with"]) <= set(interface["inputs"])
        assert set(job["secrets"]) <= set(interface["secrets"])
        required = {name for name, spec in interface["secrets"].items() if spec.get("required")}
        assert required <= set(job["secrets"])
    # The caller grants what the reusable workflow's jobs ask for, and nothing more.
    asked: dict[str, str] = {}
    for called_job in jobs(called).values():
        asked.update(called_job["permissions"])
    assert job["permissions"] == asked
    if "environment" in current["inputs"]:
        assert job["with"]["environment"] == "canvas-production"
    assert re.fullmatch(r"\d+(\.\d+)+", job["with"]["pd-sync-version"])


def test_the_readme_names_the_same_repository_as_init() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"uses: {starter.GITHUB_REPOSITORY}/.github/workflows/pd-sync-reusable.yml@" in readme
    assert f"`{starter.GITHUB_REPOSITORY}` stands for this project's GitHub home" in readme


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
