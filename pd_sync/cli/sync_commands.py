"""The commands that talk to Canvas: ``plan``, ``apply`` and ``cohorts``.

Thin: options → a connected ``CanvasCourse`` (``target``) → ``sync.plan_course`` /
``sync.apply_course`` (or, for a saved plan, ``sync.apply_saved_plan``) → ``preview``, printed
by ``reporting``. Part of the CLI (with ``cli.commands``), so it may import click.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Callable

import click

from pd_sync import __version__
from pd_sync.apply import ActionResult, ApplyReport
from pd_sync.canvas import DEFAULT_WORKERS, Retrier, RetryNotice, RetryPolicy
from pd_sync.cli import exit_codes, github
from pd_sync.cli.interrupts import stop_on_interrupt
from pd_sync.cli.machine import json_option
from pd_sync.cli.output import colour_option, echo_inert, inert_lines
from pd_sync.cli.progress import ApplyProgress, wants_bar
from pd_sync.cli.prompts import confirm_apply
from pd_sync.cli.reporting import (
    apply_document,
    check_output_target,
    echo_json,
    echo_plan,
    finish,
    report_to_github,
    write_output,
)
from pd_sync.cli.sandbox_commands import sandbox
from pd_sync.cli.saved_commands import (
    is_saved_plan_path,
    max_age_from,
    provenance_line,
    read_saved_file,
    refuse_saved_options,
    show,
    write_saved_file,
)
from pd_sync.cli.target import (
    Target,
    open_target,
    target_options,
    target_or_saved_plan_options,
)
from pd_sync.curriculum import load_curriculum
from pd_sync.errors import ConfigError
from pd_sync.plan import Plan, PlanOptions
from pd_sync.preview import (
    json_text,
    render_html,
    render_json,
    render_markdown,
    render_text,
    terminal_lines,
)
from pd_sync.saved import SavedPlan, check_target
from pd_sync.sync import apply_course, apply_saved_plan, check_saved_plan, plan_course


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
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    help="Also save the plan to this file, for `pd-sync apply FILE` to apply exactly "
    "(docs/saved-plan.md).",
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes (0: none, 1: error)."
)
@click.option(
    "--fail-on-drift",
    is_flag=True,
    help="Exit 3 when the course differs from the curriculum (for scripts and drift checks).",
)
@click.pass_context
def plan(
    ctx: click.Context,
    /,
    as_json: bool,
    as_markdown: bool,
    html_file: str | None,
    out_file: str | None,
    detailed_exitcode: bool,
    fail_on_drift: bool,
    **options: object,
) -> None:
    """Show what apply would change in the course. Sends only GET requests."""
    if as_json and as_markdown:
        raise click.UsageError("--json and --markdown are alternatives: pass one")
    for path, flag in ((html_file, "--html"), (out_file, "--out")):
        if path:
            check_output_target(path, flag)
    with open_target(ctx, options) as target:
        prune = bool(options["prune"])
        planned = plan_course(
            target.program, target.cohort, target.course, PlanOptions(prune=prune), retry_policy()
        )
    result, cohort = target.shown(planned.plan), target.cohort.name
    if as_json:
        click.echo(render_json(result), nl=False)
    elif as_markdown:
        click.echo(render_markdown(result, cohort), nl=False)
    else:
        echo_plan(terminal_lines(result))
    if html_file:
        write_output(html_file, render_html(result, cohort), "--html", "HTML report")
    if out_file:
        write_saved_file(out_file, planned, result, str(options["path"]), prune)
    if github.enabled(os.environ):
        github.append_summary(os.environ, render_markdown(result, cohort))
        outputs = {"changes": result.has_changes, "writes": len(result.writes)}
        github.write_outputs(os.environ, outputs)
    if fail_on_drift and result.has_changes:
        writes = len(result.writes)
        click.echo(
            f"Drift: the course differs from the curriculum ({writes} write"
            f"{'s' if writes != 1 else ''} would make it match).",
            err=True,
        )
        ctx.exit(exit_codes.DRIFT)
    if detailed_exitcode and result.has_changes:
        ctx.exit(exit_codes.CHANGES_PENDING)


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


Run = Callable[[Callable[[ActionResult], None], threading.Event], list[ApplyReport]]


def _confirm_and_run(plan: Plan, yes: bool, as_json: bool, run: Run) -> list[ApplyReport]:
    """Ask (unless ``--yes``), then run the writes under a progress display and Ctrl-C."""
    if not yes:
        if as_json:  # the question is on stderr; the plan it asks about too
            for line in inert_lines("\n".join(render_text(plan))):
                click.echo(line, err=True)
        confirm_apply()
    with (
        ApplyProgress(len(plan.writes), bar=wants_bar(), err=as_json) as progress,
        stop_on_interrupt() as stop,
    ):
        return run(progress, stop)


def _nothing_to_send(plan: Plan, markdown: str, dry_run: bool, as_json: bool) -> None:
    if dry_run and not as_json:
        click.echo("Dry run: nothing was sent to Canvas.")
    if dry_run:
        markdown += "\n**Dry run: nothing was sent to Canvas.**\n"
    report_to_github(markdown, plan.has_changes, 0, 0)
    if as_json:
        echo_json(apply_document(plan, [], dry_run))


@click.command()
@target_or_saved_plan_options
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
@click.option(
    "--max-age",
    help="A saved plan older than this is refused, e.g. 90m, 24h, 7d (default 24h) "
    "[env: PD_SYNC_PLAN_MAX_AGE].",
)
@click.pass_context
def apply(
    ctx: click.Context,
    /,
    yes: bool,
    dry_run: bool,
    as_json: bool,
    concurrency: int | None,
    max_age: str | None,
    **options: object,
) -> None:
    """Make the course match the curriculum: show the plan, confirm, apply, summarise.

    PATH is a curriculum folder (planned now), or a saved plan from `pd-sync plan --out FILE`,
    applied exactly as saved: Canvas is read once more and nothing is sent if anything the
    plan touches, the curriculum, or the target changed, or the plan is older than --max-age.

    On a terminal a progress bar follows the writes; otherwise each result is one line. The
    question goes to the terminal (stderr), never stdout. Ctrl-C stops starting writes, lets
    those in flight finish and exits 130; a second Ctrl-C exits at once.
    """
    workers = _concurrency(concurrency)
    if is_saved_plan_path(str(options["path"])):
        _apply_saved(ctx, str(options["path"]), yes, dry_run, as_json, workers, max_age, options)
        return
    if max_age is not None:
        raise click.UsageError("--max-age is for a saved plan: pass the file from plan --out")
    with open_target(ctx, options) as target:
        prune = PlanOptions(prune=bool(options["prune"]))
        policy = retry_policy()
        planned = plan_course(target.program, target.cohort, target.course, prune, policy)
        shown = target.shown(planned.plan)
        markdown = render_markdown(shown, target.cohort.name)
        if not as_json:
            echo_plan(terminal_lines(shown))
        if dry_run or not planned.plan.has_changes:
            _nothing_to_send(planned.plan, markdown, dry_run, as_json)
            return

        def run(
            progress: Callable[[ActionResult], None], stop: threading.Event
        ) -> list[ApplyReport]:
            return apply_course(
                planned,
                target.course,
                prune,
                policy,
                on_result=progress,
                workers=workers,
                stop=stop,
            )

        reports = _confirm_and_run(planned.plan, yes, as_json, run)
    finish(planned.plan, reports, markdown, as_json)


def _apply_saved(
    ctx: click.Context,
    path: str,
    yes: bool,
    dry_run: bool,
    as_json: bool,
    workers: int,
    max_age_flag: str | None,
    options: dict[str, object],
) -> None:
    """``apply FILE``: the saved plan's actions exactly, after one fresh look, or nothing."""
    refuse_saved_options(options)
    max_age = max_age_from(max_age_flag)
    saved = read_saved_file(path)
    target_options_of_plan = {
        **options,
        "path": saved.curriculum_path,
        "cohort": saved.cohort,
        "course": saved.course_id,
    }
    with open_target(ctx, target_options_of_plan) as target:
        check_target(
            saved, version=__version__, canvas_url=target.course.base_url, sandbox=target.sandbox
        )
        plan = saved.plan
        markdown = render_markdown(plan, saved.cohort)
        if not as_json:
            echo_inert(provenance_line(saved))
            echo_plan(terminal_lines(plan))
        policy = retry_policy()
        if dry_run or not plan.has_changes:
            _check_only(saved, target, policy, max_age)
            if not as_json and plan.has_changes:
                click.echo("The saved plan still applies: nothing it touches changed.")
            _nothing_to_send(plan, markdown, dry_run, as_json)
            return

        def run(
            progress: Callable[[ActionResult], None], stop: threading.Event
        ) -> list[ApplyReport]:
            report = apply_saved_plan(
                saved,
                target.program,
                target.cohort,
                target.course,
                now=dt.datetime.now(dt.UTC),
                max_age=max_age,
                policy=policy,
                on_result=progress,
                workers=workers,
                stop=stop,
            )
            return [report]

        reports = _confirm_and_run(plan, yes, as_json, run)
    if any(r.slugs_differ or r.vanished for r in reports) and not as_json:
        echo_inert(
            "Canvas answered differently than planned (a page address, or an object gone "
            "meanwhile); run pd-sync plan to see what is left.",
            err=True,
        )
    finish(plan, reports, markdown, as_json)


def _check_only(
    saved: SavedPlan, target: Target, policy: RetryPolicy, max_age: dt.timedelta
) -> None:
    """``apply FILE --dry-run``: would the saved plan still be applied? (GETs only.)"""
    retrier = Retrier(policy, target.course.rate_limit_remaining)
    check_saved_plan(
        saved,
        target.program,
        target.cohort,
        target.course,
        now=dt.datetime.now(dt.UTC),
        max_age=max_age,
        retrier=retrier,
    )


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
    for command in (plan, apply, show, cohorts, sandbox):
        group.add_command(command)
