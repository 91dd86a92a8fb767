"""The ``pd-sync`` command line: thin commands over the package; the only importer of click.

Errors are turned into output and exit codes in one place, ``PdSyncGroup`` (``invoke`` for what
commands raise, ``main`` for what click raises while parsing), which every command runs inside
(from the console script, ``python -m pd_sync`` and click's test runner alike): a
``PdSyncError`` becomes its message on stderr and exit code 1 (``ApplyInterrupted``: 130);
anything else is a bug, reported as one "internal error" line (the traceback too under
``--debug``) and exit code 1. Usage errors exit 1 as well, since 2 means "changes pending"
(``exit_codes``). With ``--json`` the error is also a JSON object on stdout (``machine``).

Commands are added with ``cli.add_command(...)``; they raise ``PdSyncError``s and never print
errors themselves.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import click

from pd_sync import __version__
from pd_sync.cli import exit_codes, github
from pd_sync.cli.import_commands import import_group
from pd_sync.cli.init_command import init
from pd_sync.cli.machine import error_document, json_option, wants_json
from pd_sync.cli.output import colour_option, echo_inert
from pd_sync.cli.sync_commands import register
from pd_sync.curriculum import curriculum_schema, load_curriculum, program_summary
from pd_sync.errors import ApplyInterrupted, PdSyncError, SavedPlanError, StalePlanError
from pd_sync.preview import json_text, markdown_text


class PdSyncGroup(click.Group):
    """A click group that maps exceptions from its commands to a message and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as error:  # click would exit 2, pd-sync's "changes pending"
            error.show()
            sys.exit(exit_codes.ERROR)
        except click.Abort as abort:
            if isinstance(abort.__cause__ or abort.__context__, KeyboardInterrupt):
                click.echo("Interrupted.", err=True)
                sys.exit(exit_codes.INTERRUPTED)
            click.echo("Aborted!", err=True)  # the prompt was answered "no"
            sys.exit(exit_codes.ERROR)
        sys.exit(code if isinstance(code, int) else exit_codes.OK)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise  # --help, a "no" at the prompt, ^C: ``main`` reports these
        except click.exceptions.ClickException as error:
            if wants_json(ctx):
                click.echo(error_document("UsageError", error.format_message()), nl=False)
            raise
        except PdSyncError as error:
            message = _redact(ctx, str(error))
            if github.enabled(os.environ):  # each located problem becomes an annotation
                for problem in getattr(error, "problems", ()):
                    click.echo(_redact(ctx, github.error_annotation(problem, os.environ)))
                if isinstance(error, SavedPlanError):
                    _report_refused_plan(error, message)
            if wants_json(ctx):
                click.echo(error_document(type(error).__name__, message, error), nl=False)
            echo_inert(message, err=True)  # messages quote curriculum text
            interrupted = isinstance(error, ApplyInterrupted)
            ctx.exit(exit_codes.INTERRUPTED if interrupted else exit_codes.ERROR)
        except Exception as error:
            if ctx.params.get("debug") or (ctx.obj or {}).get("debug"):
                echo_inert(_redact(ctx, traceback.format_exc().rstrip("\n")), err=True)
                hint = "this is a bug in pd-sync"
            else:
                hint = "rerun with --debug to see the traceback"
            message = _redact(ctx, f"internal error: {type(error).__name__}: {error}; {hint}")
            if wants_json(ctx):
                click.echo(error_document("InternalError", message), nl=False)
            echo_inert(message, err=True)
            ctx.exit(exit_codes.ERROR)


def _report_refused_plan(error: SavedPlanError, message: str) -> None:
    """In a workflow, a refused saved plan is an annotation and a line in the job summary that
    say nothing was written and that a re-run plans again."""
    stale = isinstance(error, StalePlanError)
    title = "pd-sync plan is stale" if stale else "pd-sync saved plan refused"
    advice = "re-run the workflow to plan again; nothing was sent to Canvas"
    click.echo(github.notice_command("error", title, f"{message}\n{advice}"))
    reasons = error.changed if isinstance(error, StalePlanError) else (message,)
    lines = [f"- {markdown_text(reason)}" for reason in reasons]
    summary = [f"**{title}: nothing was sent to Canvas.** Re-run the workflow to plan again."]
    github.append_summary(os.environ, "\n".join(["", *summary, "", *lines, ""]))


def _redact(ctx: click.Context, text: str) -> str:
    """The token must never be printed, whatever a library put into a message."""
    for secret in (ctx.obj or {}).get("secrets", []):
        if secret:
            text = text.replace(secret, "***")
    return text


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.ensure_object(dict)["debug"] = True
    return value


_DEBUG_HELP = "Show the traceback of internal errors."


@click.group(
    cls=PdSyncGroup,
    epilog=exit_codes.EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", prog_name="pd-sync")
@click.option("--debug", is_flag=True, callback=_set_debug, help=_DEBUG_HELP)
@colour_option
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Keep Canvas courses in step with a curriculum written as YAML + Markdown."""
    ctx.ensure_object(dict).setdefault("secrets", [])


@cli.command()
@click.argument("path", default="curriculum", type=click.Path(file_okay=False))
@json_option("Print the result as a JSON object, problems included (docs/plan-json.md).")
def validate(path: str, as_json: bool) -> None:
    """Check the curriculum in PATH (default: curriculum) and report every problem.

    Prints one summary line when the curriculum is valid; otherwise every problem as
    file:line:column: message, and exits with status 1. Nothing is sent to Canvas.
    """
    program = load_curriculum(path)
    summary = program_summary(program)
    if as_json:
        document = {"ok": True, "path": path, "summary": summary}
        click.echo(json_text(json.dumps(document, indent=2, sort_keys=True)))
        return
    echo_inert(f"{path}: valid — {summary}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of curriculum YAML files (for editors and CI)."""
    click.echo(json.dumps(curriculum_schema(), indent=2, sort_keys=True, ensure_ascii=False))


register(cli)
cli.add_command(init)
cli.add_command(import_group)


def _accept_debug_everywhere(group: click.Group) -> None:
    """``--debug`` after the command too (``pd-sync apply --debug``), the same switch."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _accept_debug_everywhere(command)
        command.params.append(
            click.Option(
                ["--debug"], is_flag=True, expose_value=False, callback=_set_debug, help=_DEBUG_HELP
            )
        )


_accept_debug_everywhere(cli)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``pd-sync`` console script and ``python -m pd_sync``."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="pd-sync")
