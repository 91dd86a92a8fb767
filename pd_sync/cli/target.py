"""Where ``plan`` and ``apply`` sync to: the options naming the target, checked before anything
is sent, and the connection (to Canvas, or to the embedded sandbox).

Every ordinary mistake here (no token, an empty token file, a course's address as ``--url``,
``--sandbox`` with ``--url``, a data directory that cannot be made) is a ``ConfigError`` naming
the fix. Part of the CLI, so it may import click.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pd_sync.canvas import CanvasCourse, CanvasOrigin, check_token, connect, parse_canvas_url
from pd_sync.cli import github
from pd_sync.curriculum import CohortSpec, Program, load_curriculum
from pd_sync.errors import ConfigError, PdSyncError
from pd_sync.plan import Plan

if TYPE_CHECKING:
    from pd_sync.sandbox import Sandbox

SANDBOX_DB = "sandbox.sqlite3"


@dataclass(frozen=True)
class Target:
    """Where to sync: the loaded program, the cohort, a connected course, and whether that
    course is in the embedded sandbox."""

    program: Program
    cohort: CohortSpec
    course: CanvasCourse
    sandbox: bool = False

    def shown(self, plan: Plan) -> Plan:
        """``plan`` as the views show it: its target says "sandbox" when it is the sandbox."""
        return replace(plan, target=replace(plan.target, sandbox=self.sandbox))


def data_dir() -> Path:
    """Where the embedded sandbox keeps its course between runs."""
    explicit = os.environ.get("PD_SYNC_DATA_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pd-sync"


def ensure_data_dir() -> Path:
    """``data_dir()``, made if missing; a place that cannot be a folder is the user's to fix."""
    directory = data_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(
            f"cannot make the data directory {directory}: {error.strerror}; set "
            "PD_SYNC_DATA_DIR to a folder you can write to"
        ) from None
    return directory


def open_sandbox_db(db_path: str, fix: str) -> Sandbox:
    """A sandbox on ``db_path``, or a ``ConfigError`` saying the file cannot be opened and
    ``fix``."""
    from pd_sync.sandbox import Sandbox

    try:
        return Sandbox(db_path=db_path)
    except sqlite3.Error as error:
        raise ConfigError(f"cannot open the sandbox database {db_path}: {error}; {fix}") from None


def read_token(token: str | None, token_file: str | None) -> str:
    """The token from --token-file, --token or CANVAS_API_TOKEN, checked to fit in a header
    before anything is sent (or printed: the GitHub mask command carries it)."""
    source = "--token"
    if token_file:
        source = f"--token-file {token_file}"
        try:
            token = Path(token_file).read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"cannot read --token-file {token_file}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(
                f"--token-file {token_file} is not UTF-8 text; check CANVAS_API_TOKEN / "
                "--token-file"
            ) from None
    elif not token:
        token, source = os.environ.get("CANVAS_API_TOKEN"), "CANVAS_API_TOKEN"
    if token_file and not (token or "").strip():
        raise ConfigError(
            f"--token-file {token_file} is empty: put the Canvas API token in it "
            "(Canvas: Account → Settings → New access token)"
        )
    if not token or not token.strip():
        raise ConfigError(
            "no Canvas API token: set CANVAS_API_TOKEN, or pass --token-file FILE "
            "(or --sandbox to try pd-sync against the embedded sandbox)"
        )
    return check_token(token, source)


def check_url(url: str | None) -> CanvasOrigin:
    """The one parsed Canvas origin pd-sync connects to (``canvas.parse_canvas_url``)."""
    source = "--url"
    if not url:
        url, source = os.environ.get("CANVAS_API_URL"), "CANVAS_API_URL"
    if not url:
        raise ConfigError(
            "no Canvas URL: set CANVAS_API_URL or pass --url https://canvas.example.edu"
        )
    return parse_canvas_url(url, source)


def pick_cohort(program: Program, name: str | None, course: int | None) -> CohortSpec:
    names = [c.name for c in program.cohorts]
    if name is not None:
        if name not in names:
            raise ConfigError(f"no cohort named {name!r}; the curriculum has: {', '.join(names)}")
        cohort = program.cohort(name)
    elif len(program.cohorts) == 1:
        cohort = program.cohorts[0]
    elif not program.cohorts:
        raise ConfigError("the curriculum has no cohorts: add one under `cohorts:`")
    else:
        raise ConfigError(f"several cohorts: pass --cohort NAME (one of {', '.join(names)})")
    if course is not None:
        cohort = replace(cohort, course_id=course)
    return cohort


def _keep_secret(ctx: click.Context, secret: str) -> None:
    """Redact the secret from every message; in GitHub mode, have the runner mask it first.

    The mask command goes to stdout, except when stdout carries data (``--json``,
    ``--markdown``) that a workflow saves to a file and posts, e.g. as a PR comment: there it
    goes to stderr, which the runner reads for workflow commands just the same.
    """
    ctx.obj["secrets"].append(secret)
    if github.enabled(os.environ):
        data_on_stdout = bool(ctx.params.get("as_json") or ctx.params.get("as_markdown"))
        click.echo(github.mask_command(secret), err=data_on_stdout)


@contextmanager
def open_target(ctx: click.Context, options: dict[str, object]) -> Iterator[Target]:
    """Load, pick the cohort and connect — to Canvas, or to the embedded sandbox."""
    if options["sandbox"] and options["url"]:
        raise ConfigError(
            "--sandbox and --url are alternatives: pass --sandbox for the embedded sandbox, "
            "or --url (with a token) for a real Canvas"
        )
    program = load_curriculum(str(options["path"]))
    cohort = pick_cohort(program, options["cohort"], options["course"])  # type: ignore[arg-type]
    if options["sandbox"]:
        db_path = str(ensure_data_dir() / SANDBOX_DB)
        fix = "set PD_SYNC_DATA_DIR to a folder you can write to"
        sandbox = open_sandbox_db(db_path, fix)
        sandbox.start()
        try:
            sandbox.ensure_course(cohort.course_id, cohort.name, cohort.time_zone)
            _keep_secret(ctx, sandbox.token)
            course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
            yield Target(program, cohort, course, sandbox=True)
        finally:
            sandbox.stop()
        return
    origin = check_url(options["url"])  # type: ignore[arg-type]
    token = read_token(options["token"], options["token_file"])  # type: ignore[arg-type]
    _keep_secret(ctx, token)
    yield Target(program, cohort, connect(origin, token, cohort.course_id))


_F = TypeVar("_F", bound=Callable[..., Any])


def complete_cohort(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """Shell completion of ``--cohort``: the cohorts of the curriculum named so far (or of
    ``curriculum``); nothing when it does not load, since a completion must never fail.

    While completing an option's value click leaves the words before it unassigned, so a
    PATH typed before ``--cohort`` is in ``ctx.args``, not yet in ``ctx.params``.
    """
    words = [word for word in ctx.args if not word.startswith("-")]
    path = words[0] if words else ctx.params.get("path") or "curriculum"
    try:
        program = load_curriculum(str(path))
    except (PdSyncError, OSError):
        return []
    return [
        click.shell_completion.CompletionItem(c.name, help=f"course {c.course_id}")
        for c in program.cohorts
        if c.name.startswith(incomplete)
    ]


def target_options(command: _F) -> _F:
    """The options every command that reaches Canvas shares."""
    return _with_target_options(command, saved_plans=False)


def target_or_saved_plan_options(command: _F) -> _F:
    """``target_options`` where PATH may also be a saved plan file (``apply FILE``)."""
    return _with_target_options(command, saved_plans=True)


def _with_target_options(command: _F, saved_plans: bool) -> _F:
    path_type = click.Path() if saved_plans else click.Path(file_okay=False)
    decorators = [
        click.argument("path", default="curriculum", type=path_type),
        click.option(
            "--cohort",
            shell_complete=complete_cohort,
            help="Cohort to sync (needed when the curriculum has several).",
        ),
        click.option("--course", type=int, help="Canvas course id, overriding the cohort's."),
        click.option(
            "--url", help="Canvas address, e.g. https://canvas.example.edu [env: CANVAS_API_URL]."
        ),
        click.option(
            "--token",
            help="Canvas API token [env: CANVAS_API_TOKEN]; prefer the env or --token-file.",
        ),
        click.option(
            "--token-file",
            type=click.Path(dir_okay=False),
            help="Read the API token from this file.",
        ),
        click.option(
            "--sandbox", is_flag=True, help="Use the embedded sandbox Canvas (no account needed)."
        ),
        click.option(
            "--prune",
            is_flag=True,
            help="Delete pd-sync's pages/assignments that left the curriculum.",
        ),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command
