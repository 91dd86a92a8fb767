"""``pd-sync init [DIR]``: start a new curriculum repository from pd-sync's template.

Thin: ``starter.write_starter`` writes the files; this says what was written and what to run
next. Part of the CLI, so it may import click.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from pd_sync.cli.output import echo_inert
from pd_sync.starter import write_starter


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Write a new curriculum repository into DIRECTORY (new or empty; default: here).

    It holds a small curriculum under curriculum/ (one module of two weeks, a deliverable and
    a cohort) that validates and syncs into the sandbox as written, a README, a .gitignore
    and GitHub Actions workflows: one plans pull requests and applies main, one watches
    for drift daily.
    """
    root = Path(directory)
    written = write_starter(root)
    echo_inert(f"Wrote a new curriculum repository to {root} ({len(written)} files).")
    click.echo("Next:")
    if root != Path("."):
        echo_inert(f"  cd {shlex.quote(directory)}")
    click.echo("  pd-sync validate")
    click.echo("  pd-sync apply --sandbox --yes")
    click.echo("Then set the cohort's course_id in curriculum/cohorts.yml and see README.md.")
