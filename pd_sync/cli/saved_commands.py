"""Saved plans on the command line: ``plan --out FILE`` writes one, ``apply FILE`` applies it
exactly (or refuses), ``show FILE`` renders it without reaching Canvas. Part of the CLI.

docs/saved-plan.md describes the file and when apply refuses it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import click

from pd_sync import __version__
from pd_sync.cli import github
from pd_sync.cli.machine import json_option
from pd_sync.cli.output import colour_option, echo_inert
from pd_sync.cli.reporting import check_output_target, echo_plan, write_output
from pd_sync.errors import ConfigError, SavedPlanError
from pd_sync.plan import Plan
from pd_sync.preview import render_html, render_json, render_markdown, terminal_lines
from pd_sync.saved import SavedPlan, make_saved_plan, read_saved_plan, saved_plan_text
from pd_sync.sync import CoursePlan

MAX_AGE_ENV = "PD_SYNC_PLAN_MAX_AGE"
DEFAULT_MAX_AGE = "24h"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_max_age(text: str, source: str) -> dt.timedelta:
    """``90m``, ``24h``, ``7d`` (or seconds: ``3600s``) as a duration."""
    found = re.fullmatch(r"\s*(\d{1,7})\s*([smhd])\s*", text)
    if not found or int(found[1]) == 0:
        raise ConfigError(
            f"{source} {text!r} is not a duration such as 90m, 24h or 7d; pass one "
            f"(default {DEFAULT_MAX_AGE})"
        )
    return dt.timedelta(seconds=int(found[1]) * _UNITS[found[2]])


def max_age_from(flag: str | None) -> dt.timedelta:
    if flag is not None:
        return parse_max_age(flag, "--max-age")
    text = os.environ.get(MAX_AGE_ENV, "").strip()
    if text:
        return parse_max_age(text, MAX_AGE_ENV)
    return parse_max_age(DEFAULT_MAX_AGE, "the default")


def is_saved_plan_path(path: str) -> bool:
    """``apply PATH`` takes a saved plan when PATH is a file, a curriculum when a folder."""
    return Path(path).is_file()


def read_saved_file(path: str) -> SavedPlan:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise SavedPlanError(f"cannot read the saved plan {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SavedPlanError(
            f"{path} is not UTF-8 text, so not a saved plan; pass the file "
            "`pd-sync plan --out FILE` wrote"
        ) from None
    return read_saved_plan(text, path)


def write_saved_file(
    path: str, planned: CoursePlan, shown: Plan, curriculum: str, prune: bool
) -> None:
    """``plan --out``: the plan as shown (its target says "sandbox"), with its provenance."""
    saved = make_saved_plan(
        shown,
        planned.observed,
        planned.desired,
        curriculum_path=curriculum,
        version=__version__,
        now=dt.datetime.now(dt.UTC),
        prune=prune,
    )
    write_output(path, saved_plan_text(saved), "--out", "Saved plan")
    echo_inert(f"Apply exactly this plan with: pd-sync apply {path}", err=True)
    if github.enabled(os.environ):
        github.write_outputs(os.environ, {"plan-file": path})


def provenance_line(saved: SavedPlan) -> str:
    """Where a saved plan came from, in one line."""
    made = saved.created_at.strftime("%Y-%m-%d %H:%M UTC")
    prune = "with --prune" if saved.prune else "without --prune"
    return (
        f"Saved plan made {made} by pd-sync {saved.pd_sync_version}, {prune}, from "
        f"{saved.curriculum_path} (cohort {saved.cohort}); "
        f"{len(saved.fingerprints)} Canvas objects fingerprinted."
    )


def refuse_saved_options(options: dict[str, object]) -> None:
    """A saved plan fixes its cohort, course and prune: flags that would change them are
    mistakes, not overrides."""
    for name, flag in (("cohort", "--cohort"), ("course", "--course"), ("prune", "--prune")):
        if options.get(name):
            raise click.UsageError(
                f"{flag} does not go with a saved plan: the plan already fixes it (plan again "
                f"with {flag} to change it)"
            )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@colour_option
@json_option("Print the saved plan as JSON (docs/plan-json.md).")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the plan as Markdown.")
@click.option(
    "--limit",
    type=click.IntRange(2000, 65_000),
    default=65_000,
    show_default=True,
    help="Most characters of Markdown (split GitHub's comment limit between several plans).",
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False),
    help="Also write a self-contained HTML report to this file.",
)
def show(file: str, as_json: bool, as_markdown: bool, limit: int, html_file: str | None) -> None:
    """Render a saved plan (from `pd-sync plan --out FILE`); reaches no Canvas."""
    if as_json and as_markdown:
        raise click.UsageError("--json and --markdown are alternatives: pass one")
    if html_file:
        check_output_target(html_file, "--html")
    saved = read_saved_file(file)
    if as_json:
        click.echo(render_json(saved.plan), nl=False)
    elif as_markdown:
        click.echo(render_markdown(saved.plan, saved.cohort, limit), nl=False)
    else:
        echo_inert(provenance_line(saved))
        echo_plan(terminal_lines(saved.plan))
    if html_file:
        write_output(html_file, render_html(saved.plan, saved.cohort), "--html", "HTML report")


__all__ = [
    "DEFAULT_MAX_AGE",
    "MAX_AGE_ENV",
    "is_saved_plan_path",
    "max_age_from",
    "provenance_line",
    "read_saved_file",
    "refuse_saved_options",
    "show",
    "write_saved_file",
]
