"""The commands that talk to Canvas: ``plan``, ``apply`` and ``cohorts``.

Thin: options → a connected ``CanvasCourse`` (``target``) → ``sync.plan_course`` /
``sync.apply_course`` → ``preview``. Part of the CLI (with ``cli.commands``), so it may import
click.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from pd_sync.apply import ApplyReport
from pd_sync.canvas import DEFAULT_WORKERS, RetryNotice, RetryPolicy
from pd_sync.cli import github
from pd_sync.cli.interrupts import stop_on_interrupt
from pd_sync.cli.machine import json_option
from pd_sync.cli.output import colour_option, echo_inert, echo_line, inert_lines
from pd_sync.cli.progress import ApplyProgress, wants_bar
from pd_sync.cli.prompts import confirm_apply
from pd_sync.cli.sandbox_commands import sandbox
from pd_sync.cli.target import open_target, target_options
from pd_sync.curriculum import load_curriculum
from pd_sync.errors import ApplyError, ApplyInterrupted, ConfigError
from pd_sync.plan import Plan, PlanOptions
from pd_sync.preview import (
    describe,
    json_text,
    render_html,
    render_json,
    render_markdown,
    render_text,
    terminal_lines,
    wrap_line,
)
from pd_sync.sync import apply_course, plan_course


def echo_plan(lines: list[tuple[str, str | None]]) -> None:
    """Plan lines on stdout, made inert first, then coloured as ``terminal_lines`` says (when
    ``output.colour_choice`` allows); on a terminal, long indented lines wrap under their indent."""
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
    for text, fg in lines:
        for line in inert_lines(text):
            for piece in wrap_line(line, width) if width else [line]:
                echo_line(piece, fg)


def check_html_target(path: str) -> None:
    """Before anything is read from Canvas: the report's folder must exist and be writable."""
    folder = Path(path).parent
    if not folder.is_dir():
        raise ConfigError(
            f"cannot write --html {path}: the folder {folder} does not exist; create it or "
            "name a file in an existing folder (nothing was sent)"
        )
    if not os.access(folder, os.W_OK):
        raise ConfigError(
            f"cannot write --html {path}: the folder {folder} is not writable; name a file in "
            "a folder you can write to (nothing was sent)"
        )


def write_html(path: str, report: str) -> None:
    try:
        Path(path).write_text(report, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write --html {path}: {error.strerror}") from None
    click.echo(f"HTML report written to {path}", err=True)


@click.command()
@target_options
@colour_option
@json_option("Print the plan (or the error) as JSON (docs/plan-json.md).")
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
    if html_file:
        check_html_target(html_file)
    with open_target(ctx, options) as target:
        prune = PlanOptions(prune=bool(options["prune"]))
        planned = plan_course(target.program, target.cohort, target.course, prune, retry_policy())
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


_CONCURRENCY_ENV = "PD_SYNC_CONCURRENCY"


def _concurrency(flag: int | None) -> int:
    """``--concurrency``, else ``PD_SYNC_CONCURRENCY`` (named as itself when it is unusable:
    the person did not type ``--concurrency``), else the default."""
    if flag is not None:
        return flag
    text = os.environ.get(_CONCURRENCY_ENV, "").strip()
    if not text:
        return DEFAULT_WORKERS
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ConfigError(
            f"{_CONCURRENCY_ENV}={text!r} is not a whole number from 1 to 12: set it to one "
            f"(e.g. {_CONCURRENCY_ENV}=4), or unset it for the default ({DEFAULT_WORKERS})"
        )
    return int(text)


def _outcome(reports: list[ApplyReport]) -> dict[str, Any]:
    """What became of each write, as data (``apply --json``'s ``result``)."""
    results = [r for report in reports for r in report.results]
    actions = [
        {
            "action": type(r.action).__name__,
            "name": r.action.name,
            "description": describe(r.action),
            "status": r.status,
            "detail": r.detail,
        }
        for r in results
    ]
    return {
        "planned": sum(report.planned for report in reports),
        "applied": sum(r.status == "done" for r in results),
        "failed": sum(r.status != "done" for r in results),
        "interrupted": any(report.stopped for report in reports),
        "retries": sum(report.retries for report in reports),
        "throttled": sum(report.throttled for report in reports),
        "actions": actions,
    }


def _document(plan: Plan, reports: list[ApplyReport], dry_run: bool) -> dict[str, object]:
    """What ``apply --json`` prints when it succeeds."""
    plan_data = json.loads(render_json(plan))
    return {"ok": True, "dry_run": dry_run, "plan": plan_data, "result": _outcome(reports)}


def _echo_json(document: dict[str, object]) -> None:
    click.echo(json_text(json.dumps(document, indent=2, sort_keys=True, default=str)))


@click.command()
@target_options
@colour_option
@click.option("--yes", is_flag=True, help="Apply without asking for confirmation.")
@click.option("--dry-run", is_flag=True, help="Show the plan and stop; nothing is written.")
@json_option("Print the plan and each write's result (or the error) as one JSON object.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 12),
    help=f"Most requests in flight at once, 1 to 12 (default {DEFAULT_WORKERS}) "
    "[env: PD_SYNC_CONCURRENCY]; jobs sharing one token "
    "should split the default between them (Canvas's throttle, README).",
)
@click.pass_context
def apply(
    ctx: click.Context,
    /,
    yes: bool,
    dry_run: bool,
    as_json: bool,
    concurrency: int | None,
    **options: object,
) -> None:
    """Make the course match the curriculum: show the plan, confirm, apply, summarise.

    On a terminal a progress bar follows the writes; otherwise each result is one line. The
    question goes to the terminal (stderr), never stdout. Ctrl-C stops starting writes, lets
    those in flight finish and exits 130; a second Ctrl-C exits at once.
    """
    workers = _concurrency(concurrency)
    with open_target(ctx, options) as target:
        prune = PlanOptions(prune=bool(options["prune"]))
        policy = retry_policy()
        planned = plan_course(target.program, target.cohort, target.course, prune, policy)
        shown = target.shown(planned.plan)
        markdown = render_markdown(shown, target.cohort.name)
        if not as_json:
            echo_plan(terminal_lines(shown))
        if dry_run or not planned.plan.has_changes:
            if dry_run and not as_json:
                click.echo("Dry run: nothing was sent to Canvas.")
            if dry_run:
                markdown += "\n**Dry run: nothing was sent to Canvas.**\n"
            _report_to_github(markdown, planned.plan.has_changes, 0, 0)
            if as_json:
                _echo_json(_document(planned.plan, [], dry_run))
            return
        if not yes:
            if as_json:  # the question is on stderr; the plan it asks about too
                for line in inert_lines("\n".join(render_text(planned.plan))):
                    click.echo(line, err=True)
            confirm_apply()
        bar = wants_bar()
        with (
            ApplyProgress(len(planned.plan.writes), bar=bar, err=as_json) as progress,
            stop_on_interrupt() as stop,
        ):
            reports = apply_course(
                planned,
                target.course,
                prune,
                policy,
                on_result=progress,
                workers=workers,
                stop=stop,
            )
    _finish(planned.plan, reports, markdown, as_json)


def _finish(plan: Plan, reports: list[ApplyReport], markdown: str, as_json: bool) -> None:
    """The closing line (or JSON), GitHub's summary, and the error a partial run is."""
    result = _outcome(reports)
    applied, failed = result["applied"], result["failed"]
    if result["interrupted"]:
        interrupted = ApplyInterrupted(applied, result["planned"], result)
        _report_to_github(f"{markdown}\n**{interrupted}**\n", True, applied, failed)
        raise interrupted
    line = (
        f"Applied {applied} of {applied + failed} changes ({failed} failed; "
        f"{result['retries']} retries; {result['throttled']} throttle responses)."
    )
    if not as_json:
        click.echo(line)
    elif not failed:
        _echo_json(_document(plan, reports, dry_run=False))
    _report_to_github(f"{markdown}\n**{line}**\n", True, applied, failed)
    if failed:
        message = f"{failed} change(s) failed; fix the cause and run apply again"
        raise ApplyError(message, result)


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


def say_retry(notice: RetryNotice) -> None:
    """While a transient failure is retried, one line on stderr says what and why."""
    echo_inert(str(notice), err=True)


def retry_policy() -> RetryPolicy:
    """The one retry policy, telling the terminal about each retry."""
    return RetryPolicy(on_retry=say_retry)


def register(group: click.Group) -> None:
    for command in (plan, apply, cohorts, sandbox):
        group.add_command(command)
