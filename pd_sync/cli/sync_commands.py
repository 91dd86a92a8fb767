"""The commands that talk to Canvas: ``plan``, ``apply``, ``cohorts`` and ``sandbox serve``.

Thin: options → a connected ``CanvasCourse`` → ``sync.plan_course`` / ``sync.apply_course`` →
``preview``. Part of the CLI (with ``cli.commands``), so it may import click.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import click

from pd_sync.canvas import (
    DEFAULT_WORKERS,
    CanvasCourse,
    CanvasOrigin,
    check_token,
    connect,
    parse_canvas_url,
)
from pd_sync.cli import github
from pd_sync.cli.output import colour_option, echo_inert, echo_line, inert_lines
from pd_sync.cli.progress import ApplyProgress, wants_bar
from pd_sync.curriculum import CohortSpec, Program, load_curriculum
from pd_sync.errors import ApplyError, ConfigError
from pd_sync.plan import Plan, PlanOptions
from pd_sync.preview import (
    json_text,
    render_html,
    render_json,
    render_markdown,
    terminal_lines,
    wrap_line,
)
from pd_sync.sync import apply_course, plan_course

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
    program = load_curriculum(str(options["path"]))
    cohort = pick_cohort(program, options["cohort"], options["course"])  # type: ignore[arg-type]
    if options["sandbox"]:
        from pd_sync.sandbox import Sandbox

        directory = data_dir()
        directory.mkdir(parents=True, exist_ok=True)
        sandbox = Sandbox(db_path=str(directory / SANDBOX_DB))
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


def target_options(command: _F) -> _F:
    """The options every command that reaches Canvas shares."""
    decorators = [
        click.argument("path", default="curriculum", type=click.Path(file_okay=False)),
        click.option("--cohort", help="Cohort to sync (needed when the curriculum has several)."),
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


def echo_plan(lines: list[tuple[str, str | None]]) -> None:
    """Plan lines on stdout, made inert first, then coloured as ``terminal_lines`` says (when
    ``output.colour_choice`` allows); on a terminal, long indented lines wrap under their indent."""
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
    for text, fg in lines:
        for line in inert_lines(text):
            for piece in wrap_line(line, width) if width else [line]:
                echo_line(piece, fg)


def write_html(path: str, report: str) -> None:
    try:
        Path(path).write_text(report, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write --html {path}: {error.strerror}") from None
    click.echo(f"HTML report written to {path}", err=True)


@click.command()
@target_options
@colour_option
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON (docs/plan-json.md).")
@click.option(
    "--markdown",
    "as_markdown",
    is_flag=True,
    help="Print the plan as Markdown (for a pull-request comment or job summary).",
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False),
    help="Also write a self-contained HTML report to this file.",
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes (0: none, 1: error)."
)
@click.pass_context
def plan(
    ctx: click.Context,
    /,
    as_json: bool,
    as_markdown: bool,
    html_file: str | None,
    detailed_exitcode: bool,
    **options: object,
) -> None:
    """Show what apply would change in the course. Sends only GET requests."""
    if as_json and as_markdown:
        raise click.UsageError("--json and --markdown are alternatives: pass one")
    with open_target(ctx, options) as target:
        prune = PlanOptions(prune=bool(options["prune"]))
        planned = plan_course(target.program, target.cohort, target.course, prune)
    result, cohort = target.shown(planned.plan), target.cohort.name
    if as_json:
        click.echo(render_json(result), nl=False)
    elif as_markdown:
        click.echo(render_markdown(result, cohort), nl=False)
    else:
        echo_plan(terminal_lines(result))
    if html_file:
        write_html(html_file, render_html(result, cohort))
    if github.enabled(os.environ):
        github.append_summary(os.environ, render_markdown(result, cohort))
        outputs = {"changes": result.has_changes, "writes": len(result.writes)}
        github.write_outputs(os.environ, outputs)
    if detailed_exitcode and result.has_changes:
        ctx.exit(2)


def _report_to_github(markdown: str, changes: bool, applied: int, failed: int) -> None:
    if github.enabled(os.environ):
        github.append_summary(os.environ, markdown)
        outputs = {"changes": changes, "applied": applied, "failed": failed}
        github.write_outputs(os.environ, outputs)


@click.command()
@target_options
@colour_option
@click.option("--yes", is_flag=True, help="Apply without asking for confirmation.")
@click.option("--dry-run", is_flag=True, help="Show the plan and stop; nothing is written.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 12),
    default=DEFAULT_WORKERS,
    show_default=True,
    envvar="PD_SYNC_CONCURRENCY",
    help="Most requests in flight at once [env: PD_SYNC_CONCURRENCY]; jobs sharing one token "
    "should split the default between them (Canvas's throttle, README).",
)
@click.pass_context
def apply(
    ctx: click.Context, /, yes: bool, dry_run: bool, concurrency: int, **options: object
) -> None:
    """Make the course match the curriculum: show the plan, confirm, apply, summarise.

    On a terminal a progress bar follows the writes; otherwise each result is one line.
    """
    with open_target(ctx, options) as target:
        prune = PlanOptions(prune=bool(options["prune"]))
        planned = plan_course(target.program, target.cohort, target.course, prune)
        shown = target.shown(planned.plan)
        markdown = render_markdown(shown, target.cohort.name)
        echo_plan(terminal_lines(shown))
        if dry_run or not planned.plan.has_changes:
            if dry_run:
                click.echo("Dry run: nothing was sent to Canvas.")
                markdown += "\n**Dry run: nothing was sent to Canvas.**\n"
            _report_to_github(markdown, planned.plan.has_changes, 0, 0)
            return
        if not yes:
            if not sys.stdin.isatty():
                raise ConfigError(
                    "not a terminal, so no confirmation possible: pass --yes to apply"
                )
            click.confirm("Apply these changes?", abort=True)
        with ApplyProgress(len(planned.plan.writes), bar=wants_bar()) as progress:
            reports = apply_course(
                planned, target.course, prune, on_result=progress, workers=concurrency
            )
    results = [r for report in reports for r in report.results]
    failed = [r for r in results if r.status != "done"]
    throttled = sum(report.throttled for report in reports)
    retries = sum(report.retries for report in reports)
    line = (
        f"Applied {len(results) - len(failed)} of {len(results)} changes"
        f" ({len(failed)} failed; {retries} retries; {throttled} throttle responses)."
    )
    click.echo(line)
    _report_to_github(f"{markdown}\n**{line}**\n", True, len(results) - len(failed), len(failed))
    if failed:
        raise ApplyError(f"{len(failed)} change(s) failed; fix the cause and run apply again")


@click.command()
@click.argument("path", default="curriculum", type=click.Path(file_okay=False))
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON list (a GitHub Actions matrix)."
)
def cohorts(path: str, as_json: bool) -> None:
    """List the curriculum's cohorts (targets)."""
    program = load_curriculum(path)
    rows = [
        {"cohort": c.name, "course_id": c.course_id, "start_date": c.start_date.isoformat()}
        for c in program.cohorts
    ]
    if as_json:
        click.echo(json_text(json.dumps(rows)))
        return
    for row in rows:
        echo_inert(f"{row['cohort']}\tcourse {row['course_id']}\tstarts {row['start_date']}")


@click.group()
def sandbox() -> None:
    """The embedded sandbox Canvas (a local Canvas API for trying pd-sync and for tests)."""


@sandbox.command("serve")
@click.option("--port", type=int, default=0, help="Port on 127.0.0.1 (0 picks a free one).")
@click.option(
    "--db", type=click.Path(dir_okay=False), help="SQLite file (default: the data directory's)."
)
@click.option("--latency", type=float, default=0.0, help="Seconds added to every API request.")
@click.option("--manage-sis", is_flag=True, help="Act as an admin token that may set SIS ids.")
@click.option(
    "--canvas-version",
    type=click.Choice(["current", "old"]),
    default="current",
    show_default=True,
    help="Act as an older Canvas release (old: the pages list ignores include[]=body).",
)
def serve(port: int, db: str | None, latency: float, manage_sis: bool, canvas_version: str) -> None:
    """Run the sandbox in the foreground; prints the URL and token to use."""
    from pd_sync.sandbox import run_foreground

    if db is None:
        data_dir().mkdir(parents=True, exist_ok=True)
        db = str(data_dir() / SANDBOX_DB)
    run_foreground(port, db, manage_sis, latency, "sandbox-token", click.echo, canvas_version)


def register(group: click.Group) -> None:
    for command in (plan, apply, cohorts, sandbox):
        group.add_command(command)
