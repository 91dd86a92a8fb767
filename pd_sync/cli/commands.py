"""The ``pd-sync`` command line: thin commands over the package; the only importer of click.

Errors are turned into output in one place, ``PdSyncGroup.invoke``, which every command runs
inside (from the console script, ``python -m pd_sync`` and click's test runner alike): a
``PdSyncError`` becomes its message on stderr and exit code 1; anything else is a bug, reported
as one "internal error" line (the traceback too under ``--debug``) and exit code 1.

Commands are added with ``cli.add_command(...)``; they raise ``PdSyncError``s and never print
errors themselves.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Sequence

import click

from pd_sync import __version__
from pd_sync.cli import github
from pd_sync.cli.import_commands import import_group
from pd_sync.cli.output import colour_option, echo_inert
from pd_sync.cli.sync_commands import register
from pd_sync.curriculum import curriculum_schema, load_curriculum, program_summary
from pd_sync.errors import PdSyncError


class PdSyncGroup(click.Group):
    """A click group that maps exceptions from its commands to a message and an exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # usage errors, --help, ^C: click reports these itself
        except PdSyncError as error:
            if github.enabled(os.environ):  # each located problem becomes an annotation
                for problem in getattr(error, "problems", ()):
                    click.echo(_redact(ctx, github.error_annotation(problem, os.environ)))
            echo_inert(_redact(ctx, str(error)), err=True)  # messages quote curriculum text
            ctx.exit(1)
        except Exception as error:
            if ctx.params.get("debug"):
                echo_inert(_redact(ctx, traceback.format_exc().rstrip("\n")), err=True)
                hint = "this is a bug in pd-sync"
            else:
                hint = "rerun with --debug to see the traceback"
            message = f"internal error: {type(error).__name__}: {error}; {hint}"
            echo_inert(_redact(ctx, message), err=True)
            ctx.exit(1)


def _redact(ctx: click.Context, text: str) -> str:
    """The token must never be printed, whatever a library put into a message."""
    for secret in (ctx.obj or {}).get("secrets", []):
        if secret:
            text = text.replace(secret, "***")
    return text


@click.group(cls=PdSyncGroup)
@click.version_option(__version__, "--version", prog_name="pd-sync")
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
@colour_option
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Keep Canvas courses in step with a curriculum written as YAML + Markdown."""
    ctx.ensure_object(dict).setdefault("secrets", [])


@cli.command()
@click.argument("path", default="curriculum", type=click.Path(file_okay=False))
def validate(path: str) -> None:
    """Check the curriculum in PATH (default: curriculum) and report every problem.

    Prints one summary line when the curriculum is valid; otherwise every problem as
    file:line:column: message, and exits with status 1. Nothing is sent to Canvas.
    """
    program = load_curriculum(path)
    echo_inert(f"{path}: valid — {program_summary(program)}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of curriculum YAML files (for editors and CI)."""
    click.echo(json.dumps(curriculum_schema(), indent=2, sort_keys=True, ensure_ascii=False))


register(cli)
cli.add_command(import_group)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``pd-sync`` console script and ``python -m pd_sync``."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="pd-sync")
